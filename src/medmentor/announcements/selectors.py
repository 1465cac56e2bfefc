"""Reads for announcements: the reach of a segment now, a program's sent log with its
counts, a reader's own copy, and what an unsubscribe link stands for."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from medmentor.accounts.models import User
from medmentor.announcements.models import Announcement, Delivery, OptOut
from medmentor.announcements.tokens import unsubscribe_token_read
from medmentor.matchrounds.models import MatchRound
from medmentor.programs.models import Program
from medmentor.segments.selectors import ROUND_SEGMENTS, Segment, segment_members

# Below this many recipients, the sent log does not say how many opened it: with two or
# three readers, the figure would tell who read and who did not.
SMALL_COUNT = 5


def segment_reach(program: Program, segment: str, match_round: MatchRound | None = None) -> int:
    """How many people ``segment`` of ``program`` holds now (0 for an unknown segment)."""
    if segment not in Segment.values:
        return 0
    if segment in ROUND_SEGMENTS and (match_round is None or match_round.program_id != program.pk):
        return 0
    return segment_members(program, segment, match_round=match_round).count()


def announcements_of(program: Program) -> QuerySet[Announcement]:
    """The program's announcements, newest first, with their counts: ``recipients``
    (delivered in-site), ``emailed`` and ``opened`` (the in-site copy read)."""
    return (
        Announcement.objects.filter(program=program)
        .select_related("author", "match_round")
        .annotate(
            recipients=Count("deliveries"),
            emailed=Count("deliveries", filter=Q(deliveries__emailed_at__isnull=False)),
            opened=Count("deliveries", filter=Q(deliveries__notification__read_at__isnull=False)),
        )
    )


def get_announcement_of(program: Program, announcement_uuid: UUID | str) -> Announcement:
    """An announcement of a program the caller already manages; else 404."""
    announcement = announcements_of(program).filter(uuid=announcement_uuid).first()
    if announcement is None:
        raise Http404
    return announcement


def get_delivery_for(user: User, announcement_uuid: UUID | str) -> Delivery:
    """The reader's own copy of an announcement; anyone else gets 404 (its author and
    staff included: they read it in the sent log)."""
    delivery = (
        Delivery.objects.select_related("announcement__program", "notification")
        .filter(announcement__uuid=announcement_uuid, recipient=user)
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery


@dataclass(frozen=True)
class Subscription:
    """What an unsubscribe link stands for: one person, one program."""

    user: User
    program: Program

    @property
    def opted_out(self) -> bool:
        return OptOut.objects.filter(user=self.user, program=self.program).exists()


def subscription_from_token(token: str) -> Subscription:
    """The person and program an unsubscribe link was made for; 404 for a link that is
    not ours (forged, altered, or of a delivery that is gone)."""
    delivery_hex = unsubscribe_token_read(token)
    if delivery_hex is None:
        raise Http404
    delivery = (
        Delivery.objects.select_related("recipient", "announcement__program")
        .filter(uuid=UUID(hex=delivery_hex))
        .first()
    )
    if delivery is None:
        raise Http404
    return Subscription(user=delivery.recipient, program=delivery.announcement.program)
