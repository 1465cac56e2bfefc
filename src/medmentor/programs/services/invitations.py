"""Sending invitation links by e-mail."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.core.email import bilingual, render_email
from medmentor.notifications.services import notification_send
from medmentor.programs.emails import WORDING_TEMPLATE, program_wording, role_label
from medmentor.programs.invitations import invitation_expiry, invitation_token
from medmentor.programs.models import EmailKey, Program
from medmentor.programs.tasks import send_guest_invitation

BILINGUAL = ("en", "fr")  # a guest's language is unknown: English, then French


def invitation_url(token: str) -> str:
    return reverse("programs:invitation", args=[token])


@transaction.atomic
def invitation_send(
    *, program: Program, role: str, email: str, by: User, valid_days: int
) -> User | None:
    """Invite ``email`` to join as ``role``.

    Someone already on the site gets a notification in their language; anyone else a
    single e-mail in English and French, sent when the transaction commits. Returns the
    existing user, if any.
    """
    token = invitation_token(program, role, valid_days=valid_days)
    path = invitation_url(token)
    wording = program_wording(
        program,
        EmailKey.INVITATION,
        {
            "inviter": by.get_full_name(),
            "role": role_label(role),
            "deadline": invitation_expiry(token),
            "link": path,
        },
        variant=role,
    )
    context = {"program": program, "role": role, "inviter": by, "wording": wording}
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None:
        notification_send(
            recipient=user,
            kind="programs.invitation",
            template=WORDING_TEMPLATE,
            context=context,
            url=path,
        )
        return user
    # We do not know a guest's language: one message, English then French.
    message = bilingual(
        [
            render_email("programs/email/invitation_guest", context, language=language)
            for language in BILINGUAL
        ]
    )
    address = email.strip()
    transaction.on_commit(
        lambda: send_guest_invitation.enqueue(address, message.subject, message.text, message.html)
    )
    return None
