"""A person takes away everything MedMentor holds about them: prepared in the background,
e-mailed when ready, downloadable and readable for a few days, then emptied; logged."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from medmentor.accounts.models import DataExport
from medmentor.accounts.services import data_exports_purge
from medmentor.concerns.models import Concern
from medmentor.mentorships.models import CheckIn, NoteVisibility
from medmentor.mentorships.services.checkins import checkin_submit, checkins_open_due
from medmentor.mentorships.services.conversation import message_send, note_write
from medmentor.mentorships.services.goals import goal_comment_add, goal_propose
from medmentor.mentorships.services.meetings import meeting_log
from medmentor.mentorships.services.selfrating import baseline_submit
from medmentor.programs.models import Membership, Role
from tests.mentorships.factories import past_meeting
from tests.mentorships.test_closure import FULL_MENTEE_RATINGS
from tests.programs.factories import IntakeQuestionFactory

SECTIONS = ["account", "profile", "programs", "mentorships", "notifications", "directory"]


@pytest.fixture
def history(world):
    """The mentee's year: words of her own, her partner's, answers, a concern."""
    mentee, mentor = world.access("mentee"), world.access("mentor")
    question = IntakeQuestionFactory(program=world.program, text_en="How would you like to meet?")
    Membership.objects.filter(user=world.mentee, role=Role.MENTEE).update(
        answers={str(question.uuid): ["virtual"]}
    )
    note_write(access=mentee, body="MY-PRIVATE-NOTE", visibility=NoteVisibility.PRIVATE)
    note_write(access=mentor, body="HIS-PRIVATE-NOTE", visibility=NoteVisibility.PRIVATE)
    message_send(access=mentee, body="MY-MESSAGE")
    message_send(access=mentor, body="HIS-MESSAGE")
    goal = goal_propose(access=mentee, title="MY-GOAL")
    goal_comment_add(access=mentor, goal=goal, text="HIS-COMMENT")
    meeting = past_meeting(mentor, days_ago=3)
    meeting_log(
        access=mentor, meeting=meeting, discussed="THE-LOG", next_steps="", minutes_spent=50
    )
    baseline_submit(access=mentee, ratings=FULL_MENTEE_RATINGS)
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        checkins_open_due(today=timezone.localdate())
    checkin = CheckIn.objects.get(user=world.mentee)
    checkin_submit(
        access=mentee, checkin=checkin, score=4, meetings_held=1, note_for_coordinator="MY-CHECKIN"
    )
    Concern.objects.create(
        program=world.program,
        reporter=world.mentee,
        about=world.outsider,
        text="MY-CONCERN",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return world


def prepared(client, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("accounts:data")).status_code == 302
    return DataExport.objects.get()


def test_my_data_holds_everything_that_is_mine_or_about_me(
    history, mailoutbox, django_capture_on_commit_callbacks
):
    client = history.client_for("mentee")
    mail.outbox.clear()
    export = prepared(client, django_capture_on_commit_callbacks)
    assert export.is_ready
    assert export.via == DataExport.Via.PAGE
    assert [m.to for m in mail.outbox] == [[history.mentee.email]]
    assert "ready" in mail.outbox[0].subject

    response = client.get(reverse("accounts:data_download", args=[export.uuid]))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["format"] == "medmentor.personal-data"
    # Stored, the document's keys come back in the database's order (jsonb sorts them).
    assert sorted(data["sections"]) == sorted(SECTIONS)
    text = response.content.decode()
    for mine in ("MY-PRIVATE-NOTE", "MY-MESSAGE", "MY-GOAL", "MY-CHECKIN", "MY-CONCERN"):
        assert mine in text, mine
    # What she took part in: her partner's messages, comments and the meeting's log.
    for shared in ("HIS-MESSAGE", "HIS-COMMENT", "THE-LOG"):
        assert shared in text, shared
    # Never her partner's private note, nor anyone's address but her own.
    assert "HIS-PRIVATE-NOTE" not in text
    assert history.mentor.email not in text
    assert history.outsider.email not in text
    account = data["sections"]["account"]
    assert account["email"] == history.mentee.email
    assert account["second_factor"] == []
    membership = next(
        m for m in data["sections"]["programs"]["memberships"] if m["role"] == "mentee"
    )
    assert membership["intake_answers"] == [
        {"question": "How would you like to meet?", "answer": ["Virtually"]}
    ]
    mentorship = data["sections"]["mentorships"][0]
    assert mentorship["with"] == history.mentor.name
    assert {r["dimension"] for r in mentorship["my_self_ratings"]} == set(FULL_MENTEE_RATINGS)
    assert data["sections"]["notifications"]

    page = client.get(reverse("accounts:data_read", args=[export.uuid])).content.decode()
    assert "MY-PRIVATE-NOTE" in page
    assert "Intake answers" in page


def test_only_the_person_reads_it_and_only_for_a_while(history, django_capture_on_commit_callbacks):
    export = prepared(history.client_for("mentee"), django_capture_on_commit_callbacks)
    urls = [
        reverse("accounts:data_download", args=[export.uuid]),
        reverse("accounts:data_read", args=[export.uuid]),
    ]
    for persona in ("mentor", "coordinator", "staff", "outsider"):
        for url in urls:
            assert history.client_for(persona).get(url).status_code == 404, (persona, url)
    assert history.client_for("anonymous").get(urls[0]).status_code == 302
    later = export.expires_at + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert history.client_for("mentee").get(urls[0]).status_code == 404
        assert data_exports_purge(now=timezone.now()) == 1
    export.refresh_from_db()
    assert export.data is None  # emptied; the row stays, as the log
    page = history.client_for("mentee").get(reverse("accounts:data")).content.decode()
    assert "Deleted" in page


def test_the_api_gives_the_same_document_and_logs_it(history):
    client = history.client_for("mentee")
    data = client.get("/api/profiles/me/export").json()
    assert list(data["sections"]) == SECTIONS
    assert "MY-PRIVATE-NOTE" in json.dumps(data)
    logged = DataExport.objects.get()
    assert logged.via == DataExport.Via.API
    assert logged.data is None
    assert client.get("/profile/export.json")["Location"] == reverse("accounts:data")
