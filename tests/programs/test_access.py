"""The coordinator's area beyond who reaches it (tests/core/test_permission_matrix.py
walks every page with every persona): refused writes change nothing, hidden programs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medmentor.programs.models import Membership, Program, Role, Status
from tests.programs.factories import IntakeQuestionFactory, MembershipFactory
from tests.programs.personas import ALLOWED, COORDINATOR_MATRIX

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", [p for p, e in COORDINATOR_MATRIX.items() if e != ALLOWED])
def test_denied_writes_change_nothing(world, persona):
    program = world.program
    question = IntakeQuestionFactory(program=program)
    pending = MembershipFactory(program=program, status=Status.PENDING, activated_at=None)
    nonce = program.invitation_nonce
    client = world.client_for(persona)
    posts = [
        reverse("programs:settings", args=[program.uuid]),
        reverse("programs:question_delete", args=[program.uuid, question.uuid]),
        reverse("programs:member_decide", args=[program.uuid, pending.uuid, "approve"]),
        reverse("programs:member_remove", args=[program.uuid, pending.uuid]),
        reverse("programs:invitations_revoke", args=[program.uuid]),
        reverse("programs:duplicate", args=[program.uuid]),
    ]
    for url in posts:
        response = client.post(url, {"name_en": "Hijacked", "reason": "x"})
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login"))
    program.refresh_from_db()
    pending.refresh_from_db()
    assert program.name_en != "Hijacked"
    assert program.invitation_nonce == nonce
    assert program.questions.filter(pk=question.pk).exists()
    assert pending.status == Status.PENDING
    assert Program.objects.count() == 3  # two of the world and the open community


def test_coordinator_of_a_program_cannot_touch_its_members_through_another(world):
    """A membership UUID of program B under program A's URL is not found."""
    stranger = MembershipFactory(program=world.other_program, status=Status.PENDING)
    client = world.client_for("coordinator")
    url = reverse("programs:member_decide", args=[world.program.uuid, stranger.uuid, "approve"])
    assert client.post(url).status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == Status.PENDING


def test_a_withdrawn_coordinator_loses_the_area(world):
    Membership.objects.filter(user=world.coordinator, role=Role.COORDINATOR).update(
        status=Status.WITHDRAWN
    )
    client = world.client_for("coordinator")
    assert client.get(reverse("programs:settings", args=[world.program.uuid])).status_code == 404


def test_unlisted_program_is_hidden_from_outsiders(world):
    Program.objects.filter(pk=world.program.pk).update(is_listed=False)
    url = reverse("programs:detail", args=[world.program.uuid])
    assert world.client_for("outsider").get(url).status_code == 404
    assert world.client_for("staff").get(url).status_code == 404
    assert world.client_for("anonymous").get(url).status_code == 404
    assert world.client_for("mentee").get(url).status_code == 200
    assert world.client_for("coordinator").get(url).status_code == 200
    listing = world.client_for("anonymous").get(reverse("programs:list")).content.decode()
    assert world.program.name_en not in listing
    assert world.other_program.name_en in listing
