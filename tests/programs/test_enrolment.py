"""Joining openly, on request and by invitation; approval, declining, leaving."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from medmentor.notifications.models import Notification
from medmentor.programs.invitations import invitation_token
from medmentor.programs.models import Membership, Program, Role, Status
from medmentor.programs.services.programs import program_invitations_revoke
from tests.factories import UserFactory
from tests.programs.factories import (
    IntakeQuestionFactory,
    MembershipFactory,
    ProgramFactory,
    coordinator_of,
)

pytestmark = pytest.mark.django_db


def join_url(program: Program, role: str = "mentee") -> str:
    return reverse("programs:join", args=[program.uuid, role])


def test_join_an_open_program_is_immediate(client):
    program = ProgramFactory(enrolment_mode="open")
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("programs:detail", args=[program.uuid])).content.decode()
    assert join_url(program) in page
    response = client.post(join_url(program))
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, program=program)
    assert (membership.role, membership.status) == (Role.MENTEE, Status.ACTIVE)
    assert membership.activated_at is not None
    mine = client.get(reverse("programs:mine")).content.decode()
    assert program.name_en in mine


def test_one_person_can_be_mentor_and_mentee_but_not_twice_the_same(client):
    program = ProgramFactory()
    person = UserFactory()
    client.force_login(person)
    client.post(join_url(program, "mentee"))
    client.post(join_url(program, "mentor"))
    again = client.post(join_url(program, "mentor"))
    assert again.status_code == 422
    assert "already in this program" in again.content.decode()
    assert Membership.objects.filter(user=person).count() == 2


def test_anonymous_is_sent_to_log_in_and_unknown_roles_are_not_found(client):
    program = ProgramFactory()
    response = client.get(join_url(program))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(join_url(program, "coordinator")).status_code == 404
    assert not Membership.objects.filter(role=Role.COORDINATOR, program=program).exists()


def test_approval_program_queue_approve_and_decline_with_notifications(
    client, django_capture_on_commit_callbacks
):
    program = ProgramFactory(enrolment_mode="approval", name_fr="Programme d'Ottawa")
    coordinator = coordinator_of(program, user__language="en").user
    french = UserFactory(language="fr", name="Dr. Amélie Roy")
    english = UserFactory(language="en", name="Dr. Sam Lee")
    for person in (french, english):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(join_url(program)).status_code == 302
    assert set(Membership.objects.filter(status=Status.PENDING).values_list("user", flat=True)) == {
        french.pk,
        english.pk,
    }
    # Coordinators hear about each request, by notification and e-mail.
    requests = Notification.objects.filter(recipient=coordinator, kind="programs.join_requested")
    assert requests.count() == 2
    assert "Dr. Amélie Roy asks to join" in mail.outbox[0].body
    mail.outbox.clear()

    client.force_login(coordinator)
    queue = client.get(reverse("programs:queue", args=[program.uuid])).content.decode()
    assert "Dr. Amélie Roy" in queue
    assert "Dr. Sam Lee" in queue
    french_request = Membership.objects.get(user=french)
    english_request = Membership.objects.get(user=english)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("programs:member_decide", args=[program.uuid, french_request.uuid, "approve"])
        )
        client.post(
            reverse("programs:member_decide", args=[program.uuid, english_request.uuid, "decline"]),
            {"reason": "This cycle is full."},
        )
    french_request.refresh_from_db()
    english_request.refresh_from_db()
    assert french_request.status == Status.ACTIVE
    assert french_request.decided_by == coordinator
    assert english_request.status == Status.DECLINED
    assert english_request.decision_reason == "This cycle is full."
    to = {message.to[0]: message for message in mail.outbox}
    assert to[french.email].subject == "Bienvenue dans Programme d'Ottawa"
    assert "est approuvée" in to[french.email].body
    assert "est approuvée" in to[french.email].alternatives[0][0]
    assert "was declined" in to[english.email].body
    assert "This cycle is full." in to[english.email].body
    assert "This cycle is full." in to[english.email].alternatives[0][0]

    # Deciding twice is refused and changes nothing.
    again = client.post(
        reverse("programs:member_decide", args=[program.uuid, english_request.uuid, "approve"]),
        follow=True,
    )
    assert "already been decided" in again.content.decode()
    english_request.refresh_from_db()
    assert english_request.status == Status.DECLINED

    # The declined person may ask again; the same row goes back to the queue.
    client.force_login(english)
    client.post(join_url(program))
    english_request.refresh_from_db()
    assert english_request.status == Status.PENDING
    assert english_request.decision_reason == ""


def test_the_queue_shows_intake_answers_in_the_coordinators_language(client):
    program = ProgramFactory(enrolment_mode="approval")
    question = IntakeQuestionFactory(program=program)
    coordinator = coordinator_of(program, user__language="fr").user
    MembershipFactory(
        program=program,
        status=Status.PENDING,
        activated_at=None,
        answers={str(question.uuid): ["in_person"]},
    )
    client.force_login(coordinator)
    queue = client.get(reverse("programs:queue", args=[program.uuid]), HTTP_ACCEPT_LANGUAGE="fr")
    html = queue.content.decode()
    assert "Comment souhaitez-vous vous rencontrer?" in html
    assert "En personne" in html


def test_htmx_decision_returns_the_request_card_only(client):
    program = ProgramFactory(enrolment_mode="approval")
    coordinator = coordinator_of(program).user
    pending = MembershipFactory(program=program, status=Status.PENDING, activated_at=None)
    client.force_login(coordinator)
    response = client.post(
        reverse("programs:member_decide", args=[program.uuid, pending.uuid, "approve"]),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode().strip()
    assert html.startswith("<li")
    assert "Active" in html
    assert "<html" not in html


def test_invitation_only_program_refuses_the_join_page(client):
    program = ProgramFactory(enrolment_mode="invitation")
    client.force_login(UserFactory())
    assert client.get(join_url(program)).status_code == 404
    assert client.post(join_url(program)).status_code == 404
    assert not Membership.objects.filter(program=program).exists()


def test_invitation_link_joins_at_once_even_in_approval_mode(client):
    program = ProgramFactory(enrolment_mode="approval", is_listed=False)
    url = reverse("programs:invitation", args=[invitation_token(program, "mentor")])
    guest_page = client.get(url)
    assert guest_page.status_code == 200
    assert program.name_en in guest_page.content.decode()
    assert "next=" in guest_page.content.decode()
    person = UserFactory()
    client.force_login(person)
    assert "Join as a mentor" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    membership = Membership.objects.get(user=person, program=program)
    assert (membership.role, membership.status) == (Role.MENTOR, Status.ACTIVE)
    # Now a member, the person sees the unlisted program.
    assert client.get(reverse("programs:detail", args=[program.uuid])).status_code == 200


def test_expired_revoked_and_tampered_invitations_are_refused(client):
    program = ProgramFactory(enrolment_mode="invitation")
    person = UserFactory()
    client.force_login(person)
    with time_machine.travel(datetime.date(2026, 1, 1)):
        old = invitation_token(program, "mentee", valid_days=7)
    expired = client.post(reverse("programs:invitation", args=[old]))
    assert expired.status_code == 404
    assert "expired" in expired.content.decode()

    fresh = invitation_token(program, "mentee")
    program_invitations_revoke(program=program)
    revoked = client.post(reverse("programs:invitation", args=[fresh]))
    assert revoked.status_code == 404
    assert "withdrawn" in revoked.content.decode()

    tampered = client.get(reverse("programs:invitation", args=[fresh[:-2] + "xx"]))
    assert tampered.status_code == 404
    assert not Membership.objects.filter(program=program).exists()


def test_coordinator_revokes_links_from_the_site(client):
    program = ProgramFactory(enrolment_mode="invitation")
    coordinator = coordinator_of(program).user
    client.force_login(coordinator)
    page = client.get(
        reverse("programs:invitations", args=[program.uuid]), {"role": "mentor", "valid_days": 7}
    ).content.decode()
    link = page.split('id="invitation-link" value="')[1].split('"')[0]
    assert link.startswith("http://testserver/programs/invitation/")
    client.post(reverse("programs:invitations_revoke", args=[program.uuid]))
    client.force_login(UserFactory())
    assert client.post(link).status_code == 404


def test_bad_link_form_names_the_field(client):
    program = ProgramFactory()
    client.force_login(coordinator_of(program).user)
    response = client.get(
        reverse("programs:invitations", args=[program.uuid]), {"role": "mentor", "valid_days": 0}
    )
    assert response.status_code == 422
    assert "valid_days" in response.context["link_form"].errors


def test_withdraw_by_the_person_and_removal_by_a_coordinator(client):
    program = ProgramFactory()
    coordinator = coordinator_of(program).user
    leaving = MembershipFactory(program=program)
    removed = MembershipFactory(program=program, role=Role.MENTOR)
    client.force_login(leaving.user)
    assert client.post(reverse("programs:withdraw", args=[leaving.uuid])).status_code == 302
    # Nobody else can withdraw my membership (not even staff).
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.post(reverse("programs:withdraw", args=[removed.uuid])).status_code == 404
    client.force_login(coordinator)
    client.post(reverse("programs:member_remove", args=[program.uuid, removed.uuid]))
    leaving.refresh_from_db()
    removed.refresh_from_db()
    assert leaving.status == Status.WITHDRAWN
    assert leaving.withdrawn_at is not None
    assert removed.status == Status.WITHDRAWN
    assert removed.decided_by == coordinator


def test_the_last_coordinator_cannot_leave(client):
    program = ProgramFactory()
    membership = coordinator_of(program)
    client.force_login(membership.user)
    response = client.post(reverse("programs:withdraw", args=[membership.uuid]), follow=True)
    assert "at least one coordinator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE


def test_member_list_filters_by_role_and_status(client, world):
    MembershipFactory(program=world.program, status=Status.PENDING, user__name="Dr. Waiting")
    client.force_login(world.coordinator)
    url = reverse("programs:members", args=[world.program.uuid])
    pending = client.get(url, {"status": "pending"}).content.decode()
    assert "Dr. Waiting" in pending
    assert world.mentor.email not in pending
    mentors = client.get(url, {"role": "mentor"}).content.decode()
    assert world.mentor.name in mentors
    assert world.mentee.name not in mentors
    assert world.mentor.email not in mentors  # by name: coordinators never see addresses
