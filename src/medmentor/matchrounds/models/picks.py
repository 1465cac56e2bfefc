"""Mentee picks: up to five people a participant names, in order, before a match round."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from medmentor.programs.models.programs import PARTICIPANT_ROLES, Program

MAX_PICKS = 5


class Pick(models.Model):
    """``chooser`` (in ``role``) names ``chosen`` as their ``rank``-th preference.

    A person has one list per program: a mentee names mentors, a mentor names mentees,
    and someone in both roles shares the five places between the two.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="picks")
    chooser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="picks_made"
    )
    chosen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="picks_received"
    )
    role = models.CharField(
        _("as"), max_length=16, choices=[(r.value, r.label) for r in PARTICIPANT_ROLES]
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PICKS)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "programs_pick"  # created in the programs app (decision 0036)
        ordering = ("program", "chooser", "rank")
        verbose_name = _("pick")
        verbose_name_plural = _("picks")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "chooser", "rank"], name="pick_one_person_per_rank"
            ),
            models.UniqueConstraint(
                fields=["program", "chooser", "chosen"], name="pick_each_person_once"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=MAX_PICKS), name="pick_rank_1_to_5"
            ),
            models.CheckConstraint(condition=~Q(chooser=F("chosen")), name="pick_not_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.chooser} → {self.chosen} (#{self.rank}, {self.program})"
