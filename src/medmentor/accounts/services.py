"""Changes to accounts that are ours rather than allauth's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.erasure import erase_everywhere
from medmentor.accounts.export import personal_data_of
from medmentor.accounts.models import DataExport, User
from medmentor.accounts.tasks import build_data_export
from medmentor.core.email import email_send, render_email


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
    transaction.on_commit(lambda: email_send(email, to=address))


@transaction.atomic
def data_export_request(*, user: User) -> DataExport:
    """Prepare the person's data in the background; they are e-mailed when it is ready."""
    export = DataExport.objects.create(user=user, via=DataExport.Via.PAGE)
    access_log(actor=user, action=Action.EXPORT, what=What.PERSONAL_DATA, subjects=[user])
    transaction.on_commit(lambda: build_data_export.enqueue(export.pk))
    return export


@transaction.atomic
def data_export_now(*, user: User) -> dict[str, Any]:
    """The person's data at once (the API); only the fact of the export is kept."""
    now = timezone.now()
    DataExport.objects.create(user=user, via=DataExport.Via.API, ready_at=now, expires_at=now)
    access_log(
        actor=user, action=Action.EXPORT, what=What.PERSONAL_DATA, subjects=[user], detail="API"
    )
    return personal_data_of(user)


def data_exports_purge(*, now: datetime) -> int:
    """Empty the exports whose time is up (their rows stay, as the log)."""
    return DataExport.objects.filter(expires_at__lte=now, data__isnull=False).update(data=None)
