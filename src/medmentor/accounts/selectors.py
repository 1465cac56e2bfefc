"""Reads of accounts: a person's own exports of their data, and the log of who accessed it."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from medmentor.accounts.models import AccessLogEntry, DataExport, User


def get_data_export_for(user: User, export_uuid: UUID | str) -> DataExport:
    """The person's own export while it is kept; anyone else (staff included) gets 404."""
    export = DataExport.objects.filter(uuid=export_uuid, user_id=user.pk).first()
    if export is None or not export.is_ready:
        raise Http404
    return export


def access_log_of(user: User) -> QuerySet[AccessLogEntry]:
    """What "Access to my data" lists: the entries about the person, newest first."""
    return AccessLogEntry.objects.filter(subject=user).order_by("-at", "-id")
