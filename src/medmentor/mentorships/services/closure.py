"""Closure: the no-fault way out, the end date, inactivity; then the evaluation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.models import (
    ClosureReason,
    Evaluation,
    EventKind,
    Mentorship,
    MentorshipStatus,
    Moment,
    Note,
    NoteVisibility,
)
from medmentor.mentorships.models.conversation import NOTE_LIMIT
from medmentor.mentorships.selectors.attention import inactivity_limits, is_inactive
from medmentor.mentorships.services.common import event_add, notify
from medmentor.mentorships.services.lifecycle import status_change
from medmentor.mentorships.services.meetings import meetings_cancel_upcoming
from medmentor.mentorships.services.selfrating import self_rating_errors, self_rating_save


def evaluation_url(mentorship: Mentorship) -> str:
    return reverse("mentorships:evaluation", args=[mentorship.uuid])


def _close(
    mentorship: Mentorship, *, by: User | None, reason: str, category: ClosureReason
) -> None:
    mentorship.closure_reason = category  # saved with the status
    status_change(mentorship=mentorship, to=MentorshipStatus.ENDED, by=by, reason=reason)
    meetings_cancel_upcoming(mentorship=mentorship, by=by)
    notify(
        recipients=mentorship.people(),
        kind="ended",
        mentorship=mentorship,
        url=evaluation_url(mentorship),
        context={"by": by},
    )


@transaction.atomic
def mentorship_end(*, access: MentorshipAccess, private_reason: str = "") -> Mentorship:
    """Either side of a pair, any member of a circle or a group's mentor ends it, no fault.
    A reason stays private to its writer (a private note)."""
    if not access.is_party:
        raise ValidationError(_("Only the pair ends a mentorship."))
    if not access.mentorship.is_live:
        raise ValidationError(_("This mentorship has already ended."))
    if not access.can_end:
        raise PermissionDenied(_("A group's mentors end the group."))
    private_reason = private_reason.strip()
    if len(private_reason) > NOTE_LIMIT:
        raise ValidationError(
            {"private_reason": _("Keep this under %(n)s characters.") % {"n": NOTE_LIMIT}}
        )
    if private_reason:
        now = timezone.now()
        Note.objects.create(
            mentorship=access.mentorship,
            author=access.user,
            visibility=NoteVisibility.PRIVATE,
            body=private_reason,
            created_at=now,
            updated_at=now,
        )
    if access.role == "mentor":
        reason, category = _("Ended by the mentor (no fault)"), ClosureReason.MENTOR_ENDED
    elif access.role == "peer":  # counted with early closures by the people mentored
        reason, category = _("Ended by a member (no fault)"), ClosureReason.MENTEE_ENDED
    else:
        reason, category = _("Ended by the mentee (no fault)"), ClosureReason.MENTEE_ENDED
    _close(access.mentorship, by=access.user, reason=reason, category=category)
    return access.mentorship


@transaction.atomic
def mentorships_close_due(*, now: datetime) -> dict[str, int]:
    """End date reached: close. Inactive: warn both, then close after the notice period.

    Safe to run again and again: each step happens once (``inactivity_notice_at``).
    """
    counts = {"ended": 0, "noticed": 0, "closed_inactive": 0}
    today = timezone.localdate(now)
    live = Mentorship.objects.select_for_update(of=("self",)).filter(
        status__in=(MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED)
    )
    for mentorship in live.select_related("program", "mentor", "mentee"):
        if mentorship.planned_end_on <= today:
            _close(
                mentorship,
                by=None,
                reason=_("The planned end date was reached"),
                category=ClosureReason.COMPLETED,
            )
            counts["ended"] += 1
            continue
        if mentorship.status != MentorshipStatus.ACTIVE or not is_inactive(mentorship, now):
            continue
        days, notice_days = inactivity_limits(mentorship)
        if mentorship.inactivity_notice_at is None:
            mentorship.inactivity_notice_at = now
            mentorship.save(update_fields=["inactivity_notice_at"])
            event_add(mentorship=mentorship, kind=EventKind.INACTIVITY_NOTICE)
            notify(
                recipients=mentorship.people(),
                kind="inactivity_notice",
                mentorship=mentorship,
                context={"days": days, "closes_on": (now + timedelta(days=notice_days)).date()},
            )
            counts["noticed"] += 1
        elif mentorship.inactivity_notice_at <= now - timedelta(days=notice_days):
            _close(
                mentorship,
                by=None,
                reason=_("Closed after %(days)s days without activity") % {"days": days},
                category=ClosureReason.INACTIVITY,
            )
            counts["closed_inactive"] += 1
    return counts


@transaction.atomic
def evaluation_submit(
    *,
    access: MentorshipAccess,
    ratings: dict[str, Any],
    would_recommend: bool | None = None,
    comments: str = "",
    wants_rematch: bool = False,
) -> Evaluation:
    """The closure self-rating (the baseline's questions again), and a few words."""
    mentorship = access.mentorship
    if not access.is_party:
        raise ValidationError(_("Only the pair evaluates its mentorship."))
    if not mentorship.is_ended:
        raise ValidationError(_("The evaluation opens when the mentorship ends."))
    Mentorship.objects.select_for_update().filter(pk=mentorship.pk).first()
    if Evaluation.objects.filter(mentorship=mentorship, user=access.user).exists():
        raise ValidationError(_("You have already given your evaluation. Thank you!"))
    errors = self_rating_errors(access.role, ratings)
    if len(comments) > 20_000:
        errors["comments"] = _("Keep this under %(n)s characters.") % {"n": "20,000"}
    if errors:
        raise ValidationError(errors)
    evaluation = Evaluation.objects.create(
        mentorship=mentorship,
        user=access.user,
        role=access.role,
        would_recommend=would_recommend,
        comments=comments.strip(),
        wants_rematch=wants_rematch and access.role == "mentee",
        submitted_at=timezone.now(),
    )
    self_rating_save(access=access, moment=Moment.CLOSURE, ratings=dict(ratings))
    event_add(mentorship=mentorship, kind=EventKind.EVALUATION, actor=access.user)
    return evaluation
