"""Each person's time zone, for showing meeting times and writing invitations."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.profiles.models import CANADIAN_TIME_ZONES, Profile


def time_zone_of(user: User) -> ZoneInfo:
    """The person's own time zone (from their profile), else the site's (``TIME_ZONE``)."""
    chosen = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return ZoneInfo(chosen or settings.TIME_ZONE)


def time_zone_label(zone: ZoneInfo | str) -> str:
    """A zone as the profile names it ("Eastern time (Toronto, Montréal, Ottawa)"); a zone
    the profile does not offer keeps its IANA name."""
    key = zone if isinstance(zone, str) else zone.key
    return str(dict(CANADIAN_TIME_ZONES).get(key, key))


def wall_clock(moment: datetime, zone: ZoneInfo) -> datetime:
    """``moment`` as the clock on the wall reads it in ``zone``, without a zone: an
    e-mail's template would turn an aware time back into the site's zone."""
    return timezone.localtime(moment, zone).replace(tzinfo=None)
