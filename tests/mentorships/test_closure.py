"""Inactivity notice then auto-closure, the no-fault end, the evaluation, the end date."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from medmentor.mentorships.models import (
    ClosureReason,
    Evaluation,
    EventKind,
    Meeting,
    MeetingStatus,
    MentorshipEvent,
    MentorshipStatus,
    Moment,
    Note,
    SelfRating,
    StatusChange,
)
from medmentor.mentorships.services.closure import evaluation_submit, mentorship_end
from medmentor.mentorships.services.conversation import message_send
from medmentor.mentorships.services.meetings import meeting_schedule
from medmentor.mentorships.services.reminders import reminders_run
from tests.factories import UserFactory
from tests.mentorships.factories import past_meeting, start_mentorship

FULL_MENTEE_RATINGS = {
    "life_professional_skills": 4,
    "professional_development": 5,
    "personal_development": 4,
    "career_coaching": 5,
    "guidance": 5,
    "renewed_interest": 3,
    "goal_setting": 4,
    "wellness": 3,
}


def test_inactivity_notice_then_auto_closure(world, mailoutbox, django_capture_on_commit_callbacks):
    world.program.inactivity_days, world.program.closure_notice_days = 90, 7
    world.program.save()
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=89), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_run()
        assert world.refresh().inactivity_notice_at is None
    with time_machine.travel(start + timedelta(days=91), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_run()
            reminders_run()
        assert world.refresh().inactivity_notice_at is not None
        notices = [m for m in mailoutbox if "close for inactivity" in m.subject]
        assert sorted(m.to[0] for m in notices) == sorted([world.mentor.email, world.mentee.email])
    with time_machine.travel(start + timedelta(days=97), tick=False):
        reminders_run()
        assert world.refresh().status == MentorshipStatus.ACTIVE  # the notice is not over
    with time_machine.travel(start + timedelta(days=98, hours=1), tick=False):
        reminders_run()
        mentorship = world.refresh()
    assert mentorship.status == MentorshipStatus.ENDED
    assert mentorship.closure_reason == ClosureReason.INACTIVITY
    change = StatusChange.objects.filter(mentorship=mentorship).last()
    assert change.by is None
    assert "without activity" in change.reason


def test_activity_during_the_notice_keeps_the_mentorship(world):
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=91), tick=False):
        reminders_run()
        assert world.refresh().inactivity_notice_at is not None
    with time_machine.travel(start + timedelta(days=93), tick=False):
        message_send(access=world.access("mentor"), body="Shall we meet next week?")
    with time_machine.travel(start + timedelta(days=100), tick=False):
        reminders_run()
        mentorship = world.refresh()
    assert mentorship.status == MentorshipStatus.ACTIVE
    assert mentorship.inactivity_notice_at is None


def test_the_planned_end_date_closes_it(world):
    with time_machine.travel(
        timezone.now()
        + timedelta(days=(world.mentorship.planned_end_on - world.mentorship.started_on).days + 1),
        tick=False,
    ):
        call_command("remind", stdout=StringIO())
    assert world.refresh().status == MentorshipStatus.ENDED
    assert world.mentorship.closure_reason == ClosureReason.COMPLETED


def test_either_side_ends_with_a_private_reason_then_both_evaluate(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    uuid = world.mentorship.uuid
    mentee = world.client_for("mentee")
    with django_capture_on_commit_callbacks(execute=True):
        response = mentee.post(
            reverse("mentorships:end", args=[uuid]), {"private_reason": "Our schedules clash"}
        )
    assert response["Location"] == reverse("mentorships:evaluation", args=[uuid])
    assert world.refresh().status == MentorshipStatus.ENDED
    assert world.mentorship.closure_reason == ClosureReason.MENTEE_ENDED
    reason = Note.objects.get()
    assert reason.author == world.mentee
    assert reason.is_private
    # The partner is told it ended, not why; both are asked for the evaluation.
    for mail in mailoutbox:
        assert "Our schedules clash" not in mail.body
    assert {m.to[0] for m in mailoutbox if "evaluation" in m.subject} == {
        world.mentor.email,
        world.mentee.email,
    }
    assert (
        "Our schedules clash"
        not in world.client_for("mentor")
        .get(reverse("mentorships:workspace", args=[uuid]))
        .content.decode()
    )

    bad = mentee.post(reverse("mentorships:evaluation", args=[uuid]), {"guidance": 9})
    assert bad.status_code == 422
    assert bad.context["form"].errors["guidance"]
    assert not Evaluation.objects.exists()

    good = mentee.post(
        reverse("mentorships:evaluation", args=[uuid]),
        {
            **FULL_MENTEE_RATINGS,
            "would_recommend": "yes",
            "comments": "Thank you!",
            "wants_rematch": "on",
        },
    )
    assert good.status_code == 302
    evaluation = Evaluation.objects.get(user=world.mentee)
    closure_scores = SelfRating.objects.filter(user=world.mentee, moment=Moment.CLOSURE)
    assert {r.dimension: r.score for r in closure_scores} == FULL_MENTEE_RATINGS
    assert evaluation.wants_rematch
    assert evaluation.would_recommend is True
    mentor_form = world.client_for("mentor").get(reverse("mentorships:evaluation", args=[uuid]))
    assert "My leadership skills" in mentor_form.content.decode()
    # The workspace is read-only now.
    late = world.client_for("mentor").post(
        reverse("mentorships:goal_new", args=[uuid]), {"title": "Too late", "progress": 0}
    )
    assert late.status_code == 422
    assert not world.mentorship.goals.exists()


def test_the_evaluation_waits_for_the_end(world):
    response = world.client_for("mentee").post(
        reverse("mentorships:evaluation", args=[world.mentorship.uuid]), FULL_MENTEE_RATINGS
    )
    assert response.status_code == 422
    assert not Evaluation.objects.exists()


def test_the_mentor_ending_it_is_counted_apart(world):
    response = world.client_for("mentor").post(
        reverse("mentorships:end", args=[world.mentorship.uuid]), {"private_reason": ""}
    )
    assert response.status_code == 302
    assert world.refresh().closure_reason == ClosureReason.MENTOR_ENDED


def test_would_recommend_is_asked_with_the_evaluation(world):
    mentee = world.client_for("mentee")
    uuid = world.mentorship.uuid
    mentee.post(reverse("mentorships:end", args=[uuid]), {"private_reason": ""})
    missing = mentee.post(reverse("mentorships:evaluation", args=[uuid]), FULL_MENTEE_RATINGS)
    assert missing.status_code == 422
    assert missing.context["form"].errors["would_recommend"]
    assert not Evaluation.objects.exists()
    assert not SelfRating.objects.exists()
    mentee.post(
        reverse("mentorships:evaluation", args=[uuid]),
        {**FULL_MENTEE_RATINGS, "would_recommend": "no"},
    )
    assert Evaluation.objects.get().would_recommend is False


def test_ending_cancels_the_meetings_to_come_in_both_calendars(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    uuid = world.mentorship.uuid
    client = world.client_for("mentee")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("mentorships:meeting_new", args=[uuid]),
            {"starts_at": "2036-03-10T09:00", "duration_minutes": 60, "modality": "video"},
        )
    held = past_meeting(world.access("mentor"))
    meeting = Meeting.objects.get(status=MeetingStatus.SCHEDULED, starts_at__gt=timezone.now())
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mentorships:end", args=[uuid]), {}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    held.refresh_from_db()
    assert held.status == MeetingStatus.SCHEDULED  # the past stays as it was
    for person in (world.mentor, world.mentee):
        [calendar] = [
            Calendar.from_ical(content)
            for message in mailoutbox
            if person.email in message.to
            for name, content, _type in message.attachments
            if name.endswith(".ics")
        ]
        assert calendar["METHOD"] == "CANCEL"
        event = calendar.walk("VEVENT")[0]
        assert str(event["UID"]) == f"meeting-{meeting.uuid}@medmentor"
        assert event["STATUS"] == "CANCELLED"


def test_the_planned_end_date_cancels_the_meetings_left(world, mailoutbox):
    meeting = meeting_schedule(
        access=world.access("mentor"),
        starts_at=timezone.now() + timedelta(days=400),
        duration_minutes=30,
        modality="phone",
    )
    reminders_run(now=timezone.now() + timedelta(days=366))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_an_ended_mentorship_shows_the_day_it_ended(world):
    planned = date_filter(world.mentorship.planned_end_on, "DATE_FORMAT")
    later = timezone.now() + timedelta(days=40)
    with time_machine.travel(later, tick=False):
        mentorship_end(access=world.access("mentor"))
        for persona in ("mentee", "mentor"):
            client = world.client_for(persona)
            header = client.get(reverse("mentorships:workspace", args=[world.mentorship.uuid]))
            started = date_filter(world.mentorship.started_on, "DATE_FORMAT")
            ended = date_filter(timezone.localdate(), "DATE_FORMAT")
            assert f"from {started}, ended {ended}" in header.content.decode()
            assert planned not in header.content.decode()
            mine = client.get(reverse("mentorships:mine")).content.decode()
            assert "Past mentorships" in mine
            assert f"from {started}, ended {ended}" in mine
            assert "You have no mentorship yet" not in mine


def test_the_timeline_names_statuses_in_the_readers_language(world):
    """A status was frozen in the language of whoever changed it ("Active" for a French
    reader); it is named when shown now, old English rows too."""
    uuid = world.mentorship.uuid
    world.client_for("mentee").post(reverse("mentorships:end", args=[uuid]), {})
    MentorshipEvent.objects.create(
        mentorship=world.mentorship,
        kind=EventKind.STATUS,
        at=timezone.now() - timedelta(days=30),
        detail="Active",  # as rows written before stored it
    )
    french = world.client_for("mentor")
    french.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    timeline = french.get(reverse("mentorships:workspace", args=[uuid])).content.decode()
    timeline = timeline[timeline.index('id="timeline"') :]
    with translation.override("fr"):
        ended, active = str(MentorshipStatus.ENDED.label), str(MentorshipStatus.ACTIVE.label)
    assert (ended, active) != ("Ended", "Active")  # the catalogue names them
    assert f": {ended}</li>" in timeline
    assert f": {active}</li>" in timeline
    assert ": Active</li>" not in timeline


def test_the_evaluation_over_the_api_checks_the_ratings_and_is_given_once(world):
    """Over the API the ratings are the service's to check: a score out of range names its
    dimension; a second evaluation is refused and the first stands."""
    url = f"/api/mentorships/{world.mentorship.uuid}/evaluation"
    mentee = world.client_for("mentee")
    mentee.post(reverse("mentorships:end", args=[world.mentorship.uuid]), {"private_reason": ""})
    bad = mentee.post(
        url, {"ratings": {**FULL_MENTEE_RATINGS, "guidance": 9}}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["guidance"]
    assert not Evaluation.objects.exists()
    assert not SelfRating.objects.exists()

    good = mentee.post(
        url,
        {"ratings": FULL_MENTEE_RATINGS, "would_recommend": True, "comments": "Thank you!"},
        content_type="application/json",
    )
    assert good.status_code == 201
    twice = mentee.post(
        url,
        {"ratings": FULL_MENTEE_RATINGS, "would_recommend": False, "comments": "Changed my mind"},
        content_type="application/json",
    )
    assert twice.status_code == 422
    assert twice.json()["errors"] == [
        {"field": "__all__", "message": "You have already given your evaluation. Thank you!"}
    ]
    evaluation = Evaluation.objects.get()
    assert (evaluation.would_recommend, evaluation.comments) == (True, "Thank you!")
    assert SelfRating.objects.filter(moment=Moment.CLOSURE).count() == len(FULL_MENTEE_RATINGS)


def test_the_closure_services_bound_their_texts_themselves(world):
    """The forms and the API bound the private reason and the comments; the services
    refuse overlong ones on their own."""
    with pytest.raises(ValidationError) as reason:
        mentorship_end(access=world.access("mentee"), private_reason="x" * 20_001)
    assert "private_reason" in reason.value.message_dict
    assert world.refresh().status == MentorshipStatus.ACTIVE
    assert not Note.objects.exists()

    mentorship_end(access=world.access("mentee"))
    with pytest.raises(ValidationError) as comments:
        evaluation_submit(
            access=world.access("mentee"), ratings=FULL_MENTEE_RATINGS, comments="x" * 20_001
        )
    assert comments.value.message_dict["comments"] == ["Keep this under 20,000 characters."]
    assert not Evaluation.objects.exists()


def test_a_pair_without_a_program_is_closed_after_the_default_90_days_and_7_of_notice(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    """A pair set up without a program (staff, in the admin) follows the site's default
    inactivity rule: notice after 90 days without activity, closure 7 days later."""
    mentor, mentee = UserFactory(), UserFactory()
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=None)
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=89), tick=False):
        reminders_run()
    mentorship.refresh_from_db()
    assert mentorship.inactivity_notice_at is None
    with (
        time_machine.travel(start + timedelta(days=91), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_run()
    mentorship.refresh_from_db()
    assert mentorship.inactivity_notice_at is not None
    notices = [m for m in mailoutbox if "close for inactivity" in m.subject]
    assert sorted(m.to[0] for m in notices) == sorted([mentor.email, mentee.email])
    assert "90 days" in notices[0].body
    with time_machine.travel(start + timedelta(days=98, hours=1), tick=False):
        reminders_run()
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED
    assert mentorship.closure_reason == ClosureReason.INACTIVITY
