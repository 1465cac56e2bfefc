"""Self-ratings on the benefit dimensions: the baseline at the start, the same at closure.

The baseline is optional: asked in the workspace during the first weeks, reminded once,
and a person may decline it for good. The closure evaluation asks the same questions.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.evaluation import dimensions_for
from medmentor.mentorships.models import Baseline, EventKind, Mentorship, Moment, SelfRating
from medmentor.mentorships.selectors import baseline_is_open
from medmentor.mentorships.services.common import event_add


def self_rating_errors(role: str, ratings: dict[str, Any]) -> dict[str, str]:
    """Every dimension of the side's own, each an integer from 1 to 5, and nothing else."""
    errors = {}
    dimensions = dimensions_for(role)
    for dimension in dimensions:
        value = ratings.get(dimension.code)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[dimension.code] = _("Rate “%(label)s” from 1 to 5.") % {
                "label": dimension.statement
            }
    for code in set(ratings) - {dimension.code for dimension in dimensions}:
        errors[code] = _("Unknown dimension.")
    return errors


def self_rating_save(*, access: MentorshipAccess, moment: str, ratings: dict[str, int]) -> None:
    """Store already-validated scores, one row per dimension; closure scores carry the
    person's starting score beside them."""
    now = timezone.now()
    before: dict[str, int] = {}
    if moment == Moment.CLOSURE:
        before = dict(
            SelfRating.objects.filter(
                mentorship=access.mentorship, user=access.user, moment=Moment.BASELINE
            ).values_list("dimension", "score")
        )
    SelfRating.objects.bulk_create(
        SelfRating(
            mentorship=access.mentorship,
            user=access.user,
            role=access.role,
            moment=moment,
            dimension=code,
            score=score,
            given_at=now,
            baseline_score=before.get(code),
        )
        for code, score in ratings.items()
    )


def _require_open(access: MentorshipAccess) -> None:
    if not access.is_party:
        raise ValidationError(_("Only the pair rates itself."))
    # Two answers sent at once: the second waits here, then finds the first.
    Mentorship.objects.select_for_update().filter(pk=access.mentorship.pk).first()
    if Baseline.objects.filter(mentorship=access.mentorship, user=access.user).exists():
        raise ValidationError(_("You have already answered this. Thank you!"))
    if not baseline_is_open(access.mentorship):
        raise ValidationError(_("The starting self-rating is asked in the first weeks only."))


@transaction.atomic
def baseline_submit(*, access: MentorshipAccess, ratings: dict[str, Any]) -> Baseline:
    _require_open(access)
    errors = self_rating_errors(access.role, ratings)
    if errors:
        raise ValidationError(errors)
    baseline = Baseline.objects.create(
        mentorship=access.mentorship, user=access.user, role=access.role, given_at=timezone.now()
    )
    self_rating_save(access=access, moment=Moment.BASELINE, ratings=dict(ratings))
    event_add(mentorship=access.mentorship, kind=EventKind.BASELINE, actor=access.user)
    return baseline


@transaction.atomic
def baseline_decline(*, access: MentorshipAccess) -> Baseline:
    """No, thank you: the prompt and its reminder stop for this person and mentorship."""
    _require_open(access)
    return Baseline.objects.create(
        mentorship=access.mentorship,
        user=access.user,
        role=access.role,
        declined_at=timezone.now(),
    )
