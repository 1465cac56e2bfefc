"""Why a coordinator should look at a live mentorship: the "needs attention" rules.

One query per rule over any set of mentorships, so that a program's dashboard and its
report cost the same few queries for ten pairs or ten thousand. Never any text the pair
wrote: only that a rule holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.mentorships.models import CheckIn, Mentorship
from medmentor.mentorships.models.checkins import LOW_SCORE
from medmentor.mentorships.models.mentorship import LIVE_STATUSES

MISSED_AFTER = timedelta(days=14)  # an unanswered check-in counts as missed after this
SUPPORT_RECENT = timedelta(days=30)  # a request for support stays on the list this long
DEFAULT_INACTIVITY_DAYS, DEFAULT_NOTICE_DAYS = 90, 7


class Attention(TextChoices):
    MISSED_CHECKINS = "missed_checkins", _("Two check-ins missed")
    LOW_SCORE = "low_score", _("A low check-in score")
    INACTIVE = "inactive", _("No activity for a long time")
    CLOSING = "closing", _("Closing soon for inactivity")
    SUPPORT = "support", _("Asked for support")


def inactivity_limits(mentorship: Mentorship) -> tuple[int, int]:
    """(days without activity that count as inactive, notice days before closure)."""
    program = mentorship.program
    if program is None:
        return DEFAULT_INACTIVITY_DAYS, DEFAULT_NOTICE_DAYS
    return program.inactivity_days, program.closure_notice_days


def is_inactive(mentorship: Mentorship, now: datetime) -> bool:
    days, _notice = inactivity_limits(mentorship)
    return mentorship.last_activity_at <= now - timedelta(days=days)


@dataclass(frozen=True)
class Flagged:
    program_id: int | None
    reasons: tuple[Attention, ...]


def attention_flags(
    mentorships: QuerySet[Mentorship], now: datetime | None = None
) -> dict[int, Flagged]:
    """The live mentorships among ``mentorships`` that need attention, and why (in the
    order of ``Attention``)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    live = mentorships.filter(status__in=LIVE_STATUSES)
    checkins = CheckIn.objects.filter(mentorship__in=live.values("pk"))
    found: dict[int, set[Attention]] = defaultdict(set)
    programs: dict[int, int | None] = {}

    def mark(reason: Attention, rows: Iterable[tuple[int, int | None]]) -> None:
        for pk, program_id in rows:
            found[pk].add(reason)
            programs[pk] = program_id

    missed = (
        checkins.filter(submitted_at__isnull=True, due_on__lt=today - MISSED_AFTER)
        .values("mentorship_id", "mentorship__program_id", "user_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by()
    )
    mark(
        Attention.MISSED_CHECKINS,
        ((row["mentorship_id"], row["mentorship__program_id"]) for row in missed),
    )
    latest_number = (
        CheckIn.objects.filter(
            mentorship=OuterRef("mentorship"), user=OuterRef("user"), submitted_at__isnull=False
        )
        .order_by("-number")
        .values("number")[:1]
    )
    mark(
        Attention.LOW_SCORE,
        checkins.filter(submitted_at__isnull=False, score__lte=LOW_SCORE)
        .filter(number=Subquery(latest_number))
        .values_list("mentorship_id", "mentorship__program_id"),
    )
    mark(Attention.INACTIVE, _inactive(live, now).values_list("pk", "program_id"))
    mark(
        Attention.CLOSING,
        live.filter(inactivity_notice_at__isnull=False).values_list("pk", "program_id"),
    )
    mark(
        Attention.SUPPORT,
        checkins.filter(alert_consent=True, submitted_at__gte=now - SUPPORT_RECENT).values_list(
            "mentorship_id", "mentorship__program_id"
        ),
    )
    return {
        pk: Flagged(programs[pk], tuple(r for r in Attention if r in reasons))
        for pk, reasons in found.items()
    }


def _inactive(live: QuerySet[Mentorship], now: datetime) -> QuerySet[Mentorship]:
    """No activity for the program's number of days (each program sets its own)."""
    limits = Q()
    for days in set(live.values_list("program__inactivity_days", flat=True).order_by()):
        since = now - timedelta(days=days or DEFAULT_INACTIVITY_DAYS)
        program = Q(program__isnull=True) if days is None else Q(program__inactivity_days=days)
        limits |= program & Q(last_activity_at__lte=since)
    return live.filter(limits) if limits else live.none()


def attention_reasons(mentorship: Mentorship, now: datetime | None = None) -> list[str]:
    """Why a coordinator should look at this one mentorship (no text the pair wrote)."""
    flagged = attention_flags(Mentorship.objects.filter(pk=mentorship.pk), now).get(mentorship.pk)
    return [str(reason.label) for reason in flagged.reasons] if flagged else []
