"""Writes: make (or reset) a person's feed, stop it, note that a calendar read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.calendars.models import CalendarFeed
from medmentor.calendars.selectors import SECRET_PREFIX
from medmentor.core.bearer import new_secret

# A calendar app reads the feed every hour or more often: noting each read would write
# on every request; once in a few minutes tells the person whether it is in use.
FETCH_NOTED_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeed
    secret: str  # shown once, never stored


def _revoke_active(owner: User) -> int:
    return CalendarFeed.objects.filter(owner=owner, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def calendar_feed_reset(*, owner: User) -> NewFeed:
    """A new address for ``owner``'s feed; the one before (if any) stops answering."""
    # One reset at a time per person: the second waits, then revokes the first's feed.
    User.objects.select_for_update().filter(pk=owner.pk).first()
    _revoke_active(owner)
    secret = new_secret(SECRET_PREFIX)
    feed = CalendarFeed.objects.create(owner=owner, digest=secret.digest, hint=secret.hint)
    return NewFeed(feed=feed, secret=secret.plaintext)


@transaction.atomic
def calendar_feed_stop(*, owner: User) -> bool:
    """Revoke ``owner``'s feed; False if there was none."""
    return _revoke_active(owner) > 0


def calendar_feed_fetched(*, feed: CalendarFeed) -> None:
    """Note that a calendar read the feed, at most once every few minutes."""
    now = timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).filter(
        Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lt=now - FETCH_NOTED_EVERY)
    ).update(last_fetched_at=now)
