"""Confidentiality: private notes for their author, shared notes and messages for the
pair; coordinators and staff see counts and dates, never text (site, admin, API)."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmentor.mentorships import selectors
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import (
    AccessAudit,
    Baseline,
    Evaluation,
    Message,
    Note,
    NoteVisibility,
)
from medmentor.mentorships.services.audit import coordinator_view_record
from medmentor.mentorships.services.closure import evaluation_submit, mentorship_end
from medmentor.mentorships.services.conversation import (
    message_send,
    messages_mark_read,
    note_write,
)
from medmentor.mentorships.services.goals import goal_comment_add, goal_propose, goal_step_add
from medmentor.mentorships.services.keys import notes_key_rotate
from medmentor.mentorships.services.reminders import reminders_run
from medmentor.mentorships.services.selfrating import baseline_decline, baseline_submit
from medmentor.programs.models import Role
from tests.mentorships.factories import past_meeting, start_mentorship
from tests.programs.factories import MembershipFactory

PRIVATE = "PRIVATE-worry-about-my-program-director"
SHARED = "SHARED-plan-for-the-electives"
MESSAGE = "MESSAGE-can-we-talk-about-burnout"


@pytest.fixture
def words(world):
    mentee = world.access("mentee")
    return {
        "private": note_write(access=mentee, body=PRIVATE, visibility=NoteVisibility.PRIVATE),
        "shared": note_write(access=mentee, body=SHARED, visibility=NoteVisibility.SHARED),
        "message": message_send(access=mentee, body=MESSAGE),
    }


def _site_pages(world, words):
    uuid = world.mentorship.uuid
    return [
        reverse("mentorships:workspace", args=[uuid]),
        reverse("mentorships:notes", args=[uuid]),
        reverse("mentorships:messages", args=[uuid]),
        reverse("mentorships:note", args=[uuid, words["private"].uuid]),
        reverse("mentorships:mine"),
        reverse("mentorships:program", args=[world.program.uuid]),
    ]


def _read(client: Client, urls: list[str]) -> str:
    return "".join(client.get(url).content.decode() for url in urls)


def test_the_author_reads_all_their_words(world, words):
    seen = _read(world.client_for("mentee"), _site_pages(world, words)[:3])
    assert PRIVATE in seen
    assert SHARED in seen
    assert MESSAGE in seen


def test_the_partner_reads_shared_words_never_the_private_note(world, words):
    client = world.client_for("mentor")
    seen = _read(client, _site_pages(world, words))
    assert SHARED in seen
    assert MESSAGE in seen
    assert PRIVATE not in seen
    url = reverse("mentorships:note", args=[world.mentorship.uuid, words["private"].uuid])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator", "other_coordinator", "staff", "outsider"])
def test_nobody_else_reads_any_text_on_the_site(world, words, persona):
    client = world.client_for(persona)
    seen = _read(client, _site_pages(world, words))
    for text in (PRIVATE, SHARED, MESSAGE):
        assert text not in seen
    for url in _site_pages(world, words)[:4]:
        assert client.get(url).status_code == 404


def test_the_coordinator_sees_counts_and_dates_only(world, words):
    client = world.client_for("coordinator")
    page = client.post(
        reverse("mentorships:oversight", args=[world.mentorship.uuid]),
        {"reason": "Quarterly follow-up of every pair"},
    ).content.decode()
    assert "Shared notes" in page
    assert "Messages" in page
    for text in (PRIVATE, SHARED, MESSAGE):
        assert text not in page


@pytest.mark.parametrize("persona", ["coordinator", "staff", "outsider", "mentor"])
def test_the_api_keeps_the_same_rules(world, words, persona):
    client = world.client_for(persona)
    base = f"/api/mentorships/{world.mentorship.uuid}"
    notes = client.get(f"{base}/notes")
    private = client.get(f"{base}/notes/{words['private'].uuid}")
    messages = client.get(f"{base}/messages")
    if persona == "mentor":
        assert [n["body"] for n in notes.json()] == [SHARED]
        assert private.status_code == 404
        assert [m["body"] for m in messages.json()] == [MESSAGE]
    else:
        assert notes.status_code == 404
        assert private.status_code == 404
        assert messages.status_code == 404
    listing = client.get(f"/api/mentorships/programs/{world.program.uuid}").content.decode()
    for text in (PRIVATE, SHARED, MESSAGE):
        assert text not in listing


def test_the_admin_shows_no_text(world, words):
    client = world.client_for("staff")
    pages = [
        reverse("admin:mentorships_note_changelist"),
        reverse("admin:mentorships_note_change", args=[words["private"].pk]),
        reverse("admin:mentorships_note_change", args=[words["shared"].pk]),
        reverse("admin:mentorships_message_changelist"),
        reverse("admin:mentorships_message_change", args=[words["message"].pk]),
        reverse("admin:mentorships_mentorship_change", args=[world.mentorship.pk]),
        reverse("admin:mentorships_checkin_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for text in (PRIVATE, SHARED, MESSAGE):
            assert text not in body, url
    assert client.get(reverse("admin:mentorships_note_add")).status_code == 403


def test_deleting_from_the_admin_lists_no_text_either(world, words):
    mentee = world.access("mentee")
    goal = goal_propose(access=mentee, title="GOAL-leave-my-residency-program")
    goal_step_add(access=mentee, goal=goal, title="STEP-tell-nobody-yet")
    goal_comment_add(access=mentee, goal=goal, text="COMMENT-my-director-would-be-upset")
    client = world.client_for("staff")
    pages = [
        reverse("admin:mentorships_mentorship_delete", args=[world.mentorship.pk]),
        reverse("admin:accounts_user_delete", args=[world.mentee.pk]),
    ]
    secrets = (PRIVATE, SHARED, MESSAGE, "GOAL-", "STEP-", "COMMENT-")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Goal" in body or "goal" in body  # the related objects are listed...
        for text in secrets:
            assert text not in body, (url, text)  # ...without their words


def test_the_database_row_holds_no_plain_text(world, words):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM mentorships_note")
        notes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT body FROM mentorships_message")
        messages = [row[0] for row in cursor.fetchall()]
    assert len(notes) == 2
    for stored in [*notes, *messages]:
        assert stored.startswith("fernet:")
        for text in (PRIVATE, SHARED, MESSAGE):
            assert text not in stored
    assert Note.objects.get(pk=words["private"].pk).body == PRIVATE


def test_a_new_key_first_rotates_and_the_old_text_still_reads(world, words, settings):
    old = settings.NOTES_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.NOTES_ENCRYPTION_KEYS = [new, old]
    assert Note.objects.get(pk=words["shared"].pk).body == SHARED  # the old key still reads
    assert notes_key_rotate() >= 3
    settings.NOTES_ENCRYPTION_KEYS = [new]  # the old key is gone: everything still reads
    assert Note.objects.get(pk=words["shared"].pk).body == SHARED
    assert Message.objects.get().body == MESSAGE
    settings.NOTES_ENCRYPTION_KEYS = [old]  # rotated away from: the old key alone fails
    with pytest.raises(ValueError, match="no configured key"):
        Note.objects.get(pk=words["shared"].pk)


def test_an_unread_message_is_announced_by_email_without_its_text(
    world, words, mailoutbox, django_capture_on_commit_callbacks
):
    Message.objects.update(created_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_run()
    [mail] = [m for m in mailoutbox if world.mentor.email in m.to and "message" in m.subject]
    assert MESSAGE not in mail.body
    assert MESSAGE not in mail.alternatives[0][0]
    assert "not in this e-mail" in mail.body
    for message in mailoutbox:
        for text in (PRIVATE, SHARED, MESSAGE):
            assert text not in message.body


def test_reading_the_thread_sends_the_read_receipt(world, words):
    assert Message.objects.get().read_at is None
    world.client_for("mentee").get(reverse("mentorships:messages", args=[world.mentorship.uuid]))
    assert Message.objects.get().read_at is None  # the author's own reading is no receipt
    world.client_for("mentor").get(reverse("mentorships:messages", args=[world.mentorship.uuid]))
    assert Message.objects.get().read_at is not None
    page = (
        world.client_for("mentee")
        .get(reverse("mentorships:messages", args=[world.mentorship.uuid]))
        .content.decode()
    )
    assert "read " in page


def test_a_one_megabyte_note_is_refused_in_the_site_and_the_api(world):
    huge = "x" * 1_000_000
    client = world.client_for("mentee")
    response = client.post(
        reverse("mentorships:notes", args=[world.mentorship.uuid]),
        {"body": huge, "visibility": "private"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["body"]
    api = client.post(
        f"/api/mentorships/{world.mentorship.uuid}/notes",
        {"body": huge, "visibility": "private"},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "body"
    assert not Note.objects.exists()


def test_html_in_a_message_is_shown_escaped_and_links_work(world):
    client = world.client_for("mentee")
    url = reverse("mentorships:messages", args=[world.mentorship.uuid])
    client.post(url, {"body": "<img src=x onerror=alert(1)> see https://example.org/guide"})
    page = world.client_for("mentor").get(url).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="https://example.org/guide"' in page


def test_the_author_edits_a_note_and_the_partner_cannot(world, words):
    """The author rewrites their shared note; the partner, who reads it, may not change
    it (403), and the private note is not even found for them."""
    uuid = world.mentorship.uuid
    shared_url = reverse("mentorships:note", args=[uuid, words["shared"].uuid])
    author = world.client_for("mentee")
    assert SHARED in author.get(shared_url).content.decode()
    saved = author.post(shared_url, {"body": "SHARED-plan-now-with-research"})
    assert saved.status_code == 302
    assert "SHARED-plan-now-with-research" in (
        world.client_for("mentor").get(reverse("mentorships:notes", args=[uuid])).content.decode()
    )

    partner = world.client_for("mentor")
    assert partner.post(shared_url, {"body": "Rewritten by the partner"}).status_code == 403
    private_url = reverse("mentorships:note", args=[uuid, words["private"].uuid])
    assert partner.post(private_url, {"body": "Rewritten by the partner"}).status_code == 404
    assert sorted(Note.objects.values_list("body", flat=True)) == sorted(
        [PRIVATE, "SHARED-plan-now-with-research"]
    )


def test_an_empty_message_over_the_api_is_refused(world):
    response = world.client_for("mentor").post(
        f"/api/mentorships/{world.mentorship.uuid}/messages",
        {"body": "   "},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body", "message": "Write something first."}]
    assert not Message.objects.exists()


def test_a_note_cannot_be_attached_to_another_pairs_meeting(world):
    """The form offers this pair's meetings only; the service refuses another's too."""
    other_mentee = MembershipFactory(program=world.program, role=Role.MENTEE).user
    other = start_mentorship(mentor=world.mentor, mentee=other_mentee, program=world.program)
    elsewhere = past_meeting(get_mentorship_for(world.mentor, other.uuid))
    with pytest.raises(ValidationError) as refused:
        note_write(
            access=world.access("mentor"),
            body="About that meeting",
            visibility=NoteVisibility.PRIVATE,
            meeting=elsewhere,
        )
    assert refused.value.message_dict["meeting"] == ["Choose a meeting of this mentorship."]
    assert not Note.objects.exists()


COORDINATOR_REFUSED = {
    "read the notes": (lambda access: list(selectors.notes_visible_to(access)), Http404),
    "read the messages": (lambda access: list(selectors.messages_of(access)), Http404),
    "open a goal": (lambda access: selectors.goal_of(access, uuid4()), Http404),
    "write a message": (lambda access: message_send(access=access, body="Hi"), PermissionDenied),
    "end the mentorship": (lambda access: mentorship_end(access=access), ValidationError),
    "evaluate it": (lambda access: evaluation_submit(access=access, ratings={}), ValidationError),
    "rate where the pair stands": (
        lambda access: baseline_submit(access=access, ratings={}),
        ValidationError,
    ),
    "decline the rating": (lambda access: baseline_decline(access=access), ValidationError),
}


@pytest.mark.parametrize("action", COORDINATOR_REFUSED)
def test_a_coordinators_oversight_access_never_reads_or_writes_the_workspace(world, words, action):
    """The coordinator opens the mentorship for oversight (counts and dates). Whatever
    page might one day pass that access on, the pair's services refuse it by themselves."""
    access = get_mentorship_for(world.coordinator, world.mentorship.uuid, oversight=True)
    assert access.is_coordinator
    call, refusal = COORDINATOR_REFUSED[action]
    with pytest.raises(refusal):
        call(access)
    assert world.refresh().status == "active"
    assert Message.objects.get().author == world.mentee
    assert not Evaluation.objects.exists()
    assert not Baseline.objects.exists()


def test_a_coordinator_reading_marks_no_message_read_and_the_pair_logs_no_oversight(world, words):
    coordinator = get_mentorship_for(world.coordinator, world.mentorship.uuid, oversight=True)
    assert messages_mark_read(access=coordinator) == 0
    assert Message.objects.get().read_at is None
    with pytest.raises(PermissionDenied):
        coordinator_view_record(access=world.access("mentor"), reason="Looking at my own pair")
    assert not AccessAudit.objects.exists()
