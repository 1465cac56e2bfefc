"""A person who deletes their account takes their own words with them and leaves their
partner's records whole: the mentorship, its meetings and hours, the partner's notes and
messages stay, with a "former member" where the person was."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from django.utils import translation

from medmentor.accounts.models import FORMER_MEMBER_EMAIL, User
from medmentor.accounts.services import account_delete
from medmentor.mentorships.models import (
    ClosureReason,
    GoalComment,
    Meeting,
    Mentorship,
    MentorshipStatus,
    Message,
    Note,
    NoteVisibility,
)
from medmentor.mentorships.services.conversation import message_send, note_write
from medmentor.mentorships.services.goals import goal_comment_add, goal_propose
from medmentor.mentorships.services.meetings import meeting_log
from medmentor.notifications.models import Notification
from tests.mentorships.factories import past_meeting


def test_the_mentor_keeps_their_record_when_the_mentee_leaves(
    world, django_capture_on_commit_callbacks
):
    mentor, mentee = world.access("mentor"), world.access("mentee")
    for days_ago, who, words in ((20, mentor, "MENTOR-LOG"), (5, mentee, "MENTEE-LOG")):
        meeting = past_meeting(who, days_ago=days_ago)
        meeting_log(access=who, meeting=meeting, discussed=words, next_steps="", minutes_spent=60)
    note_write(access=mentor, body="MENTOR-NOTE", visibility=NoteVisibility.SHARED)
    note_write(access=mentee, body="MENTEE-NOTE", visibility=NoteVisibility.SHARED)
    message_send(access=mentor, body="MENTOR-MESSAGE")
    message_send(access=mentee, body="MENTEE-MESSAGE")
    goal = goal_propose(access=mentee, title="Choose a fellowship")
    goal_comment_add(access=mentee, goal=goal, text="MENTEE-COMMENT")
    client = world.client_for("mentor")
    before = list(csv.DictReader(io.StringIO(
        client.get(reverse("dashboard:activity_csv")).getvalue().decode()
    )))  # fmt: skip
    assert len(before) == 2
    departed_name, departed_email = world.mentee.name, world.mentee.email

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=world.mentee)

    mentorship = Mentorship.objects.get(pk=world.mentorship.pk)
    assert mentorship.mentee.email == FORMER_MEMBER_EMAIL
    assert mentorship.status == MentorshipStatus.ENDED
    assert mentorship.closure_reason == ClosureReason.MENTEE_ENDED
    # The mentor's hours are all still there; the departed's words are not.
    after = list(csv.DictReader(io.StringIO(
        client.get(reverse("dashboard:activity_csv")).getvalue().decode()
    )))  # fmt: skip
    assert [row["hours"] for row in after] == [row["hours"] for row in before]
    assert {row["partner"] for row in after} == {"Former member"}
    assert Meeting.objects.filter(mentorship=mentorship).count() == 2
    assert not Meeting.objects.filter(discussed="MENTEE-LOG").exists()
    assert Meeting.objects.filter(discussed="MENTOR-LOG").exists()
    assert list(Note.objects.values_list("body", flat=True)) == ["MENTOR-NOTE"]
    assert list(Message.objects.values_list("body", flat=True)) == ["MENTOR-MESSAGE"]
    assert not GoalComment.objects.exists()
    assert mentorship.goals.get().title == "Choose a fellowship"  # the pair's goal stays

    workspace = client.get(reverse("mentorships:workspace", args=[mentorship.uuid]))
    assert workspace.status_code == 200
    page = workspace.content.decode()
    assert "Mentorship with Former member" in page
    assert "MENTOR-NOTE" in page
    for trace in (departed_name, departed_email, "MENTEE-"):
        assert trace not in page
    listed = client.get("/api/mentorships/").json()
    assert [(m["mentor"], m["mentee"]) for m in listed] == [(world.mentor.name, "Former member")]
    # The mentor is told it ended, and nothing in their notifications names the mentee.
    told = Notification.objects.filter(recipient=world.mentor)
    assert told.filter(kind="mentorships.ended").exists()
    for notification in told:
        text = notification.title + notification.body + notification.body_html
        assert departed_name not in text, notification.kind
        # Nor in the languages the site may show it in.
        assert notification.texts, notification.kind
        assert departed_name not in str(notification.texts), notification.kind
        assert departed_email not in text


def test_a_departed_mentor_reads_as_former_member_in_each_language(world):
    account_delete(user=world.mentor)
    mentorship = Mentorship.objects.get(pk=world.mentorship.pk)
    assert mentorship.closure_reason == ClosureReason.MENTOR_ENDED
    with translation.override("fr"):
        assert str(mentorship.mentor) == "Ex-membre"
    assert str(mentorship.mentor) == "Former member"
    former = User.objects.get(email=FORMER_MEMBER_EMAIL)
    assert not former.is_active
    assert not former.has_usable_password()
    # The coordinator's view of the program holds the record, without the person.
    page = world.client_for("coordinator").get(
        reverse("mentorships:program", args=[world.program.uuid])
    )
    assert "Former member" in page.content.decode()


def test_two_people_leaving_share_the_one_placeholder(world):
    account_delete(user=world.mentee)
    account_delete(user=world.mentor)
    assert User.objects.filter(email=FORMER_MEMBER_EMAIL).count() == 1
    # With both gone, the mentorship is nobody's record any more.
    assert not Mentorship.objects.filter(pk=world.mentorship.pk).exists()
