"""The coordinator's pages: write (with the reach now), the sent log and its counts, one
message as sent; bad input and the rate limit refused with nothing saved; who may do it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from medmentor.announcements.models import Announcement
from medmentor.announcements.services import ANNOUNCEMENTS_PER_DAY, announcement_queue
from medmentor.matchrounds.models import MatchRound, RoundStatus
from medmentor.notifications.models import Notification
from tests.announcements.support import (
    build_cohort,
    list_url,
    message,
    new_url,
    person,
    send,
)
from tests.factories import logged_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return build_cohort()


def detail_url(announcement: Announcement) -> str:
    return f"/programs/{announcement.program.uuid}/manage/announcements/{announcement.uuid}/"


def test_the_form_shows_how_many_the_segment_reaches_now(cohort):
    client = cohort.client()
    page = client.get(new_url(cohort.program))
    assert page.status_code == 200
    assert "This reaches 5 people now." in page.content.decode()
    # htmx asks for the count alone when the segment changes.
    fragment = client.get(new_url(cohort.program), {"segment": "mentors"}, HTTP_HX_REQUEST="true")
    assert fragment.content.decode().strip().startswith('<p id="reach"')
    assert "This reaches 2 people now." in fragment.content.decode()
    # Without JavaScript, the count button posts the form back, text kept, nothing saved.
    preview = client.post(new_url(cohort.program), message(segment="mentees", preview="1"))
    assert preview.status_code == 200
    assert "This reaches 3 people now." in preview.content.decode()
    assert "Welcome evening on March 3" in preview.content.decode()
    assert not Announcement.objects.exists()
    round_count = client.get(
        new_url(cohort.program),
        {"segment": "unmatched", "match_round": str(cohort.match_round.uuid)},
        HTTP_HX_REQUEST="true",
    )
    assert "This reaches 1 person now." in round_count.content.decode()


def test_the_sent_log_counts_delivered_emailed_and_opened(cohort):
    readers = [person(cohort.program, name=f"Reader {k}") for k in range(2)]
    send(cohort.client(), cohort.program)
    announcement = Announcement.objects.get()
    log = cohort.client().get(list_url(cohort.program))
    content = log.content.decode()
    assert log.status_code == 200
    assert "Welcome evening on March 3" in content
    assert "Dr. Claire Coordinator" in content  # the author, by name
    assert cohort.coordinator.email not in content
    assert "Everyone (mentors and mentees)" in content
    row = cohort.client().get(detail_url(announcement)).context["announcement"]
    assert (row.recipients, row.emailed, row.opened) == (7, 7, 0)
    # Two readers open it: one from the notifications list, one from the e-mail's link.
    notification = Notification.objects.get(recipient=readers[0])
    logged_in_client(readers[0]).post(f"/notifications/{notification.uuid}/read/")
    logged_in_client(readers[1]).get(f"/announcements/{announcement.uuid}/")
    page = cohort.client().get(detail_url(announcement))
    row = page.context["announcement"]
    assert (row.recipients, row.emailed, row.opened) == (7, 7, 2)
    assert "Join us at 6 pm." in page.content.decode()
    assert cohort.client().get(list_url(cohort.program)).context["announcements"][0].opened == 2


def test_opened_is_not_shown_below_five_recipients(cohort):
    send(cohort.client(), cohort.program, segment="mentors")
    page = cohort.client().get(detail_url(Announcement.objects.get()))
    assert "Shown from 5 recipients" in page.content.decode()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject_en": ""}, "subject_en"),
        ({"subject_en": "   "}, "subject_en"),
        ({"body_en": ""}, "body_en"),
        ({"segment": "the-whole-hospital"}, "segment"),
        ({"segment": "cohort", "match_round": ""}, "match_round"),
        ({"subject_fr": "Soirée", "body_fr": ""}, "body_fr"),
        ({"subject_en": "x" * 151}, "subject_en"),
    ],
)
def test_bad_input_is_refused_with_nothing_saved(cohort, fields, field):
    response = send(cohort.client(), cohort.program, **fields)
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert not Announcement.objects.exists()
    assert not Notification.objects.filter(kind="announcements.announcement").exists()
    assert not mail.outbox


def test_a_round_of_another_program_is_refused(cohort):
    foreign = MatchRound.objects.create(program=cohort.other_program, status=RoundStatus.PUBLISHED)
    response = send(
        cohort.client(), cohort.program, segment="cohort", match_round=str(foreign.uuid)
    )
    assert response.status_code == 422
    assert response.context["form"].errors["match_round"]
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        announcement_queue(
            program=cohort.program,
            author=cohort.coordinator,
            segment="cohort",
            match_round=foreign,
            subject_en="Hello",
            body_en="Hello",
        )
    assert "match_round" in refused.value.message_dict
    assert not Announcement.objects.exists()
    assert not mail.outbox


def test_the_rate_limit(cohort):
    for k in range(ANNOUNCEMENTS_PER_DAY):
        assert send(cohort.client(), cohort.program, subject_en=f"News {k}").status_code == 302
    mail.outbox.clear()
    response = send(cohort.client(), cohort.program, subject_en="One too many")
    assert response.status_code == 422
    assert "in the last 24 hours" in response.content.decode()
    assert Announcement.objects.count() == ANNOUNCEMENTS_PER_DAY
    assert not mail.outbox
    # Another program has its own allowance.
    assert send(cohort.other_coordinator_client(), cohort.other_program).status_code == 302
    # A day later, the program may write again.
    Announcement.objects.filter(program=cohort.program).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    assert send(cohort.client(), cohort.program, subject_en="Next day").status_code == 302


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("other_coordinator", 404),
        ("mentee", 403),
        ("mentor", 403),
        ("staff", 404),
    ],
)
def test_who_may_not_write_or_read_the_log(cohort, persona, status):
    send(cohort.client(), cohort.program)
    announcement = Announcement.objects.get()
    mail.outbox.clear()
    user = {
        "anonymous": None,
        "outsider": person(cohort.other_program, name="Outsider"),
        "other_coordinator": cohort.other_coordinator,
        "mentee": cohort.mentees[0],
        "mentor": cohort.mentors[0],
        "staff": person(cohort.other_program, name="Staff", is_staff=True, is_superuser=True),
    }[persona]
    client = logged_in_client(user)
    for url in (list_url(cohort.program), new_url(cohort.program), detail_url(announcement)):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert "/accounts/login/" in response["Location"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(new_url(cohort.program), message(subject_en="Sneaky"))
    assert response.status_code == status
    assert Announcement.objects.count() == 1
    assert not mail.outbox


def test_only_a_recipient_reads_the_copy(cohort):
    send(cohort.client(), cohort.program, segment="mentees")
    announcement = Announcement.objects.get()
    url = f"/announcements/{announcement.uuid}/"
    assert logged_in_client(cohort.mentees[0]).get(url).status_code == 200
    for other in (cohort.mentors[0], cohort.coordinator, cohort.elsewhere, cohort.withdrawn):
        assert logged_in_client(other).get(url).status_code == 404
    assert logged_in_client(None).get(url).status_code == 302


def test_the_messages_tab(cohort):
    page = cohort.client().get(reverse("programs:settings", args=[cohort.program.uuid]))
    assert list_url(cohort.program) in page.content.decode()
