"""Starting a match round: checks, then the background task runs it on commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.matchrounds.models import Algorithm, MatchRound, RoundKind, RoundStatus
from medmentor.matchrounds.selectors.rounds import round_kinds
from medmentor.matchrounds.services.execute import rounds_fail_lost
from medmentor.matchrounds.tasks import run_match_round
from medmentor.programs.models import MatchingMode, Program


def _check_program(program: Program, kind: str) -> None:
    if program.matching_mode == MatchingMode.REQUESTS:
        raise ValidationError(
            {"program": _("This program matches by direct requests only, not by rounds.")}
        )
    if kind not in RoundKind.values:
        raise ValidationError({"kind": _("Choose pairs, groups or peer circles.")})
    if RoundKind(kind) not in round_kinds(program):
        raise ValidationError(
            {
                "kind": _("This program's mentorships run as %(format)s: it has no %(kind)s.")
                % {
                    "format": program.get_mentorship_format_display().lower(),
                    "kind": RoundKind(kind).label.lower(),
                }
            }
        )


@transaction.atomic
def round_start(
    *,
    program: Program,
    by: User,
    kind: str = RoundKind.PAIRS,
    algorithm: str = Algorithm.STABLE,
    seed: int = 0,
    rerun_of: MatchRound | None = None,
) -> MatchRound:
    """Queue a round of ``program`` proposing pairs or peer circles (``kind``, as the
    program's format allows; circles take its size range); the background task runs it
    once this commits. ``algorithm`` applies to pairs only."""
    _check_program(program, kind)
    if algorithm not in Algorithm.values:
        raise ValidationError({"algorithm": _("Choose stable or optimal.")})
    if not 0 <= seed <= 2**31 - 1:
        raise ValidationError({"seed": _("The seed is a whole number from 0 to 2147483647.")})
    # Lock the program row so two coordinators cannot start two rounds at once.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    rounds_fail_lost(program=program)
    if MatchRound.objects.filter(
        program=program, status__in=(RoundStatus.QUEUED, RoundStatus.RUNNING)
    ).exists():
        raise ValidationError(
            {"program": _("A round of this program is already running; wait for it to finish.")}
        )
    match_round = MatchRound.objects.create(
        program=program,
        kind=kind,
        algorithm=algorithm,
        seed=seed,
        created_by=by,
        rerun_of=rerun_of,
    )
    transaction.on_commit(lambda: run_match_round.enqueue(match_round.pk))
    return match_round


@transaction.atomic
def round_rerun(*, match_round: MatchRound, by: User, algorithm: str = "") -> MatchRound:
    """A new round of the same program that keeps the locked and hand-made pairs of
    ``match_round`` fixed and matches everyone else again (a circle round, which has no
    locks, simply runs again)."""
    if match_round.status not in (RoundStatus.READY, RoundStatus.FAILED):
        raise ValidationError(
            {"round": _("Only a round under review can be run again around its locks.")}
        )
    return round_start(
        program=match_round.program,
        by=by,
        kind=match_round.kind,
        algorithm=algorithm or match_round.algorithm,
        seed=match_round.seed,
        rerun_of=match_round,
    )
