"""The unsubscribe link of a non-essential e-mail: works without logging in, reveals no
account data, stops that program's non-essential announcement e-mails for that person
only (in-site copies and essential e-mails still arrive), and cannot be forged."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing
from django.test import Client

from medmentor.announcements.models import OptOut
from medmentor.notifications.models import Notification
from medmentor.programs.models import Role
from tests.announcements.support import build_cohort, send
from tests.programs.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return build_cohort()


def link_in(email) -> str:
    found = re.search(r"http://\S+/announcements/unsubscribe/[^/\s]+/", email.body)
    assert found, email.body
    return found.group(0)


def path_of(link: str) -> str:
    return link[link.index("/announcements/") :]


def email_to(user):
    return next(m for m in mail.outbox if m.to == [user.email])


def test_a_non_essential_email_carries_its_link_and_header(cohort):
    send(cohort.client(), cohort.program)
    email = email_to(cohort.mentees[0])
    link = link_in(email)
    assert email.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in email.alternatives[0][0]
    # Each person has their own link.
    assert link != link_in(email_to(cohort.mentees[1]))


def test_an_essential_email_has_no_unsubscribe(cohort):
    send(cohort.client(), cohort.program, essential="on")
    email = email_to(cohort.mentees[0])
    assert "unsubscribe" not in email.body
    assert "List-Unsubscribe" not in email.extra_headers


def test_unsubscribing_stops_non_essential_emails_only(cohort):
    reader, other = cohort.mentees[0], cohort.mentees[1]
    send(cohort.client(), cohort.program)
    link = path_of(link_in(email_to(reader)))
    anonymous = Client()
    page = anonymous.get(link)
    content = page.content.decode()
    assert page.status_code == 200
    assert "Ottawa Residents" in content
    # Nothing about the account: neither address nor name.
    assert reader.email not in content
    assert reader.name not in content
    response = anonymous.post(link, {"action": "unsubscribe"})
    assert response.status_code == 302
    assert OptOut.objects.filter(user=reader, program=cohort.program).exists()
    assert "Receive them by e-mail again" in anonymous.get(link).content.decode()

    mail.outbox.clear()
    send(cohort.client(), cohort.program, subject_en="Second news")
    assert reader.email not in {m.to[0] for m in mail.outbox}
    assert other.email in {m.to[0] for m in mail.outbox}
    # The in-site copy still arrives.
    assert Notification.objects.filter(recipient=reader, title__startswith="Second news").exists()

    mail.outbox.clear()
    send(cohort.client(), cohort.program, subject_en="Deadline", essential="on")
    assert reader.email in {m.to[0] for m in mail.outbox}


def test_the_opt_out_is_for_that_program_only(cohort):
    reader = cohort.mentees[0]
    send(cohort.client(), cohort.program)
    Client().post(path_of(link_in(email_to(reader))), {"action": "unsubscribe"})
    # The same person in another program still gets its announcements.
    MembershipFactory(program=cohort.other_program, user=reader, role=Role.MENTEE)
    mail.outbox.clear()
    send(cohort.other_coordinator_client(), cohort.other_program)
    assert reader.email in {m.to[0] for m in mail.outbox}


def test_resubscribing(cohort):
    reader = cohort.mentees[0]
    send(cohort.client(), cohort.program)
    link = path_of(link_in(email_to(reader)))
    Client().post(link, {"action": "unsubscribe"})
    Client().post(link, {"action": "resubscribe"})
    assert not OptOut.objects.filter(user=reader).exists()
    mail.outbox.clear()
    send(cohort.client(), cohort.program, subject_en="Again")
    assert reader.email in {m.to[0] for m in mail.outbox}


def test_one_click_unsubscribe_from_the_mail_program(cohort):
    """RFC 8058: the mail program posts to the link itself, without a session."""
    reader = cohort.mentees[0]
    send(cohort.client(), cohort.program)
    client = Client(enforce_csrf_checks=True)
    response = client.post(path_of(link_in(email_to(reader))), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 302
    assert OptOut.objects.filter(user=reader, program=cohort.program).exists()


def test_a_forged_or_altered_link_does_nothing(cohort):
    reader, other = cohort.mentees[0], cohort.mentees[1]
    send(cohort.client(), cohort.program)
    link = path_of(link_in(email_to(reader)))
    token = link.split("/")[-2]
    value, signature = token.split(":")
    other_token = path_of(link_in(email_to(other))).split("/")[-2]
    other_value = other_token.split(":")[0]
    attempts = [
        f"{other_value}:{signature}",  # another person's delivery with this signature
        f"{value}:{signature[:-1]}{'B' if signature.endswith('A') else 'A'}",  # altered
        f"{value}",
        "0" * 32 + ":" + signature,
        "not-a-token",
    ]
    for attempt in attempts:
        assert Client().get(f"/announcements/unsubscribe/{attempt}/").status_code == 404
        assert (
            Client()
            .post(f"/announcements/unsubscribe/{attempt}/", {"action": "unsubscribe"})
            .status_code
            == 404
        )
    assert not OptOut.objects.exists()
    # A good link changes only its own person and program.
    Client().post(link, {"action": "unsubscribe"})
    assert list(OptOut.objects.values_list("user", "program")) == [(reader.pk, cohort.program.pk)]


def test_a_signature_from_elsewhere_on_the_site_is_refused(cohort):
    """A value signed by another part of the site (another salt) is not a link."""
    send(cohort.client(), cohort.program)
    delivery_hex = cohort.mentees[0].pk  # any value
    forged = signing.Signer(salt="medmentor.programs.invitation").sign(f"{delivery_hex:032x}")
    assert Client().get(f"/announcements/unsubscribe/{forged}/").status_code == 404
