"""What the concerns app asks of a coordinator next: concerns not yet resolved."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import ngettext_lazy

from medmentor.concerns.models import Concern, ConcernStatus
from medmentor.core.actions import PendingAction
from medmentor.programs.models import Program
from medmentor.programs.pending import per_program_actions


def concerns_pending_actions(programs: Sequence[Program]) -> list[PendingAction]:
    return per_program_actions(
        Concern.objects.exclude(status=ConcernStatus.RESOLVED),
        programs,
        ngettext_lazy(
            "%(count)d concern reported in %(program)s is not resolved",
            "%(count)d concerns reported in %(program)s are not resolved",
            "count",
        ),
        "concerns:concerns",
    )
