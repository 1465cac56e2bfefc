"""The activity export, letters of recognition, idempotent reminders, starting a pair."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from medmentor.mentorships.models import (
    Mentorship,
    NoteVisibility,
    RecognitionLetter,
    ReminderSent,
)
from medmentor.mentorships.services.checkins import checkins_open_due
from medmentor.mentorships.services.conversation import note_write
from medmentor.mentorships.services.goals import goal_propose
from medmentor.mentorships.services.lifecycle import mentorship_start
from medmentor.mentorships.services.meetings import meeting_log, meeting_schedule
from medmentor.mentorships.services.reminders import reminders_run
from medmentor.mentorships.timezones import time_zone_of
from medmentor.profiles.models import Profile
from medmentor.profiles.services import block_add, profile_get_or_create, reporting_line_add
from tests.concurrency import at_once, postgresql_only
from tests.factories import UserFactory
from tests.mentorships.factories import past_meeting, start_mentorship


def test_the_activity_export_holds_only_the_readers_own_words(world):
    mentor, mentee = world.access("mentor"), world.access("mentee")
    first = past_meeting(mentor, days_ago=10)
    meeting_log(
        access=mentor, meeting=first, discussed="MENTOR-LOG", next_steps="", minutes_spent=90
    )
    second = past_meeting(mentee, days_ago=3)
    meeting_log(
        access=mentee, meeting=second, discussed="MENTEE-LOG", next_steps="", minutes_spent=30
    )
    note_write(
        access=mentor, body="MENTOR-REFLECTION", visibility=NoteVisibility.PRIVATE, meeting=second
    )
    note_write(
        access=mentee, body="MENTEE-PRIVATE", visibility=NoteVisibility.PRIVATE, meeting=second
    )
    note_write(
        access=mentee, body="MENTEE-SHARED", visibility=NoteVisibility.SHARED, meeting=second
    )

    response = world.client_for("mentor").get(reverse("dashboard:activity_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert [r["hours"] for r in rows] == ["1.50", "0.50"]
    assert rows[0]["activity"] == "Mentoring meeting (as mentor)"
    assert rows[0]["partner"] == "Amira Haddad"
    assert rows[0]["date"] == timezone.localdate(first.starts_at).isoformat()
    assert rows[0]["reflection"] == "MENTOR-LOG"
    assert rows[1]["reflection"] == "MENTOR-REFLECTION"
    text = response.getvalue().decode()
    for words in ("MENTEE-LOG", "MENTEE-PRIVATE", "MENTEE-SHARED"):
        assert words not in text

    page = world.client_for("mentor").get(reverse("dashboard:activity")).content.decode()
    assert "Mainpro+" in page
    assert "2.00" in page  # total hours
    assert "MENTEE-PRIVATE" not in page
    mentee_csv = (
        world.client_for("mentee").get(reverse("dashboard:activity_csv")).getvalue().decode()
    )
    assert "MENTEE-LOG" in mentee_csv
    assert "MENTOR-REFLECTION" not in mentee_csv
    assert world.client_for("anonymous").get(reverse("dashboard:activity_csv")).status_code == 302


def test_a_coordinator_issues_a_signed_letter_anyone_can_verify(world):
    meeting = past_meeting(world.access("mentor"))
    meeting_log(
        access=world.access("mentor"),
        meeting=meeting,
        discussed="",
        next_steps="",
        minutes_spent=120,
    )
    url = reverse("mentorships:letter_new", args=[world.program.uuid, world.mentor.uuid])
    assert world.client_for("mentor").post(url).status_code == 403
    assert world.client_for("other_coordinator").post(url).status_code == 404
    response = world.client_for("coordinator").post(url)
    letter_page = world.client_for("mentor").get(response["Location"]).content.decode()
    assert "Claire Coordinator" in letter_page
    assert "Hours given: 2.00" in letter_page
    code = letter_page.split("<code>")[1].split("</code>")[0]
    verify = world.client_for("anonymous").get(reverse("mentorships:verify", args=[code]))
    assert verify.status_code == 200
    assert "Jean Tremblay" in verify.content.decode()
    forged = world.client_for("anonymous").get(
        reverse("mentorships:verify", args=[code[:-2] + "xx"])
    )
    assert forged.status_code == 404
    assert world.client_for("outsider").get(response["Location"]).status_code == 404


def test_no_letter_for_someone_who_has_not_mentored_in_the_program(world):
    """A coordinator asks a letter for a participant who never mentored here (a mentee,
    say): refused with the reason, and no letter exists."""
    url = reverse("mentorships:letter_new", args=[world.program.uuid, world.mentee.uuid])
    response = world.client_for("coordinator").post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "mentorships:program", args=[world.program.uuid]
    )
    assert "This person has not mentored in this program." in response.content.decode()
    assert not RecognitionLetter.objects.exists()


def test_reminders_are_sent_once(world, mailoutbox, django_capture_on_commit_callbacks):
    mentor = world.access("mentor")
    meeting_schedule(
        access=mentor,
        starts_at=timezone.now() + timedelta(hours=5),
        duration_minutes=60,
        modality="video",
    )
    goal = goal_propose(access=mentor, title="Submit the abstract")
    type(goal).objects.filter(pk=goal.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    for checkin in checkins_open_due(today=world.mentorship.started_on + timedelta(days=30)):
        type(checkin).objects.filter(pk=checkin.pk).update(due_on=timezone.localdate())
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_run(now=timezone.now())
    assert first["meeting_upcoming"] == 2
    assert first["goal_overdue"] == 2
    assert first["checkin_due"] == 2
    sent = len(mailoutbox)
    assert sent == 6
    assert any("meeting soon" in m.subject for m in mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = reminders_run(now=timezone.now())
    assert sum(second.values()) == 0
    assert len(mailoutbox) == sent
    assert ReminderSent.objects.count() == 6


def test_start_refuses_a_full_mentor_and_records_the_start(world):
    other = UserFactory()
    with pytest.raises(ValidationError) as refused:
        start_mentorship(mentor=world.mentor, mentee=other, program=world.program, capacity=1)
    assert "capacity" in str(refused.value)
    assert Mentorship.objects.filter(mentor=world.mentor).count() == 1
    with pytest.raises(ValidationError):
        start_mentorship(mentor=world.mentee, mentee=world.mentee, program=None)
    with pytest.raises(ValidationError):
        start_mentorship(mentor=world.mentor, mentee=world.mentee, program=world.program)
    started = start_mentorship(mentor=world.mentor, mentee=other, program=None, capacity=2)
    assert started.program is None
    assert started.status_changes.get().to_status == "active"
    assert started.agreement.version == 1
    assert Profile.objects.get(user=world.mentor).active_mentees == 2


def test_start_refuses_a_pair_inside_a_reporting_line_or_block(world):
    supervisor, resident, blocker = UserFactory(), UserFactory(), UserFactory()
    profile_get_or_create(user=resident)
    reporting_line_add(person=resident, other=supervisor, kind="supervisor")
    with pytest.raises(ValidationError) as refused:
        start_mentorship(mentor=supervisor, mentee=resident, program=None)
    assert "reporting line" in str(refused.value)
    block_add(blocker=blocker, blocked=supervisor)
    with pytest.raises(ValidationError):
        start_mentorship(mentor=supervisor, mentee=blocker, program=None)
    assert not Mentorship.objects.filter(mentor=supervisor).exists()


def test_start_refuses_someone_who_does_not_mentor(world):
    newcomer, mentee = UserFactory(), UserFactory()
    with pytest.raises(ValidationError) as refused:
        mentorship_start(mentor=newcomer, mentee=mentee, program=None, source="request", by=None)
    assert "does not offer to mentor" in str(refused.value)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_starts_never_exceed_the_capacity():
    postgresql_only()
    mentor = UserFactory()
    profile_get_or_create(user=mentor)  # before the threads, so only the accepts race
    mentees = [UserFactory() for _ in range(4)]

    results = at_once(
        *(
            lambda m=m: start_mentorship(mentor=mentor, mentee=m, program=None, capacity=2)
            for m in mentees
        )
    )

    assert sum(isinstance(r, ValidationError) for r in results) == 2
    assert Mentorship.objects.filter(mentor=mentor, status="active").count() == 2


@pytest.mark.django_db
def test_each_side_sees_times_in_the_time_zone_of_their_profile():
    person = UserFactory()
    assert str(time_zone_of(person)) == "America/Toronto"  # no profile: the site's zone
    profile = profile_get_or_create(user=person)
    Profile.objects.filter(pk=profile.pk).update(time_zone="America/Vancouver")
    assert str(time_zone_of(person)) == "America/Vancouver"


def test_the_activity_export_neutralises_formulas(world):
    world.mentee.name = '=HYPERLINK("http://evil")'
    world.mentee.save()
    meeting = past_meeting(world.access("mentor"), days_ago=5)
    meeting_log(
        access=world.access("mentor"),
        meeting=meeting,
        discussed="@SUM(A1)",
        next_steps="",
        minutes_spent=30,
    )
    response = world.client_for("mentor").get(reverse("dashboard:activity_csv"))
    row = next(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert row["partner"].startswith("'=")
    assert row["reflection"] == "'@SUM(A1)"
