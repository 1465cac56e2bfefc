"""Changes to accounts that are ours rather than allauth's."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from medmentor.accounts.models import User


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and everything that belongs only to it (privacy law's right to
    erasure). The goodbye e-mail is rendered before the row goes and sent on commit."""
    address = user.email
    with translation.override(user.language):
        subject = render_to_string("accounts/email/deleted_subject.txt").strip()
        body = render_to_string("accounts/email/deleted.txt", {"email": address})
    user.delete()
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))
