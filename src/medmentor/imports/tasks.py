"""Background work of participant imports: the invitations to people new to the site."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from medmentor.accounts.models import User
from medmentor.core.email import RenderedEmail, bilingual, email_send, render_email
from medmentor.imports.models import Invitation, ParticipantImport
from medmentor.programs.models import Program

BILINGUAL = ("en", "fr")  # no language given in the file: English, then French
TEMPLATE = "imports/email/invitation"


def welcome_path(user: User) -> str:
    """The invitation's link: sets the password (allauth's password-reset key, which a
    new password uses up) and confirms the address."""
    return reverse(
        "imports:import_welcome",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )


def invitation_email(
    user: User, program: Program, inviter: User | None, language: str, roles: list[str]
) -> RenderedEmail:
    context = {
        "program": program,
        "inviter": inviter,
        "person": user,
        "url": f"{settings.SITE_URL}{welcome_path(user)}",
        "site_url": settings.SITE_URL,
        "roles": roles,
    }
    languages = (language,) if language else BILINGUAL
    return bilingual([render_email(TEMPLATE, context, language=code) for code in languages])


@task()
def send_import_invitations(import_id: int, people: list[list[Any]]) -> None:
    """E-mail each ``[user id, language, roles]`` of the import its invitation, once: a
    retry of this task skips whom it has invited already. Someone who has set a password
    meanwhile is on the site already and is skipped too."""
    batch = (
        ParticipantImport.objects.select_related("program", "coordinator")
        .filter(pk=import_id)
        .first()
    )
    if batch is None:
        return
    users = User.objects.in_bulk([int(person[0]) for person in people])
    for pk, language, roles in people:
        user = users.get(int(pk))
        if user is None or user.has_usable_password() or not user.is_active:
            continue
        with transaction.atomic():
            _invitation, new = Invitation.objects.get_or_create(participant_import=batch, user=user)
            if not new:
                continue
            # Sent inside the transaction: a failed sending leaves no row, so a retry sends it.
            email = invitation_email(
                user, batch.program, batch.coordinator, str(language or ""), list(roles)
            )
            email_send(email, to=user.email)
