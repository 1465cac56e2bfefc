"""Changes to accounts that are ours rather than allauth's."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction

from medmentor.accounts.erasure import erase_everywhere
from medmentor.accounts.models import User
from medmentor.core.email import render_email


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and everything that belongs only to it (privacy law's right to
    erasure), and keep what belongs to others too, where a "former member" takes the
    person's place (``accounts.erasure``). The goodbye e-mail is rendered before the row
    goes and sent on commit."""
    if user.is_former_member:
        raise ValueError("The former-member placeholder is not an account to delete.")
    address = user.email
    email = render_email("accounts/email/deleted", {"email": address}, language=user.language)
    erase_everywhere(user)
    user.delete()
    transaction.on_commit(
        lambda: send_mail(email.subject, email.text, None, [address], html_message=email.html)
    )
