"""A coordinator's adjustments to a round under review: lock, break, pair by hand.

Hand pairs go through the engine's own checks (``check_pair`` and ``pair_violations``):
a reporting line, a conflict of interest or a block refuses the pair; any other rule it
breaks (seniority, language, a required preference, a mentor over capacity) is a warning
the coordinator confirms, stored on the proposal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.matching import check_pair
from medmentor.matching.check import pair_violations
from medmentor.matching.inputs import excluded_pairs
from medmentor.matchrounds.models import (
    MatchRound,
    Origin,
    Proposal,
    ProposalStatus,
    UnmatchedCode,
    UnmatchedEntry,
)
from medmentor.matchrounds.roundinputs import round_inputs
from medmentor.matchrounds.services.execute import round_summary
from medmentor.profiles.selectors import is_excluded_pair
from medmentor.programs.models import Role

EXCLUDED_RULE = "excluded: reporting line or conflict of interest"
BROKEN_MESSAGE = "broken by the coordinator"


def _editable(match_round: MatchRound) -> MatchRound:
    locked = MatchRound.objects.select_for_update().get(pk=match_round.pk)
    if not locked.is_editable:
        raise ValidationError(
            {"round": _("This round can no longer be changed (%(status)s).")
             % {"status": locked.get_status_display()}}
        )  # fmt: skip
    return locked


def _refresh_summary(match_round: MatchRound) -> None:
    match_round.summary = round_summary(match_round)
    match_round.save(update_fields=["summary"])


@transaction.atomic
def proposal_lock(*, proposal: Proposal, locked: bool, by: User) -> Proposal:
    """Hold a pair fixed (a re-run keeps it), or let the engine reconsider it."""
    _editable(proposal.round)
    proposal.locked = locked
    proposal.save(update_fields=["locked"])
    return proposal


@transaction.atomic
def proposal_break(*, proposal: Proposal, by: User) -> None:
    """Remove a pair: both people go to the unmatched list, "broken by the coordinator"."""
    match_round = _editable(proposal.round)
    for user_id, role in ((proposal.mentee_id, Role.MENTEE), (proposal.mentor_id, Role.MENTOR)):
        UnmatchedEntry.objects.update_or_create(
            round=match_round,
            user_id=user_id,
            role=role,
            defaults={"code": UnmatchedCode.BROKEN, "message": BROKEN_MESSAGE},
        )
    proposal.delete()
    _refresh_summary(match_round)


@dataclass(frozen=True)
class HandPairCheck:
    score: float
    components: dict[str, float | None]
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]


def hand_pair_check(*, match_round: MatchRound, mentee: User, mentor: User) -> HandPairCheck:
    """Score a pair the coordinator proposes and list the rules it breaks; raise a
    ValidationError when it must not be made at all."""
    if mentee.pk == mentor.pk:
        raise ValidationError({"mentor": _("A person cannot mentor themselves.")})
    if Proposal.objects.filter(round=match_round, mentee=mentee).exists():
        raise ValidationError({"mentee": _("This mentee already has a pair in this round.")})
    if is_excluded_pair(mentee, mentor):
        raise ValidationError(
            {"mentor": _("A reporting line, a conflict of interest or a block keeps these two "
                         "apart: they cannot be paired.")}
        )  # fmt: skip
    inputs = round_inputs(match_round.program)
    problem = inputs.problem
    mentee_id, mentor_id = str(mentee.pk), str(mentor.pk)
    if mentee_id not in {m.id for m in problem.mentees}:
        raise ValidationError(
            {"mentee": _("This person is not in the pool: not an active mentee with a profile, "
                         "or already paired in the program.")}
        )  # fmt: skip
    if str(mentor.pk) not in match_round.places:
        raise ValidationError({"mentor": _("This person is not one of this round's mentors.")})
    if mentor_id not in {t.id for t in problem.mentors}:
        raise ValidationError(
            {"mentor": _("This mentor has no place left in the program any more.")}
        )
    checked = check_pair(problem, mentee_id, mentor_id)
    if EXCLUDED_RULE in checked.broken:
        # Not a declared line (checked above): one of them declined this pair before.
        raise ValidationError(
            {"mentor": _("One of these two declined this pair in an earlier round.")}
        )
    existing = [
        (str(m), mentor_id)
        for m in Proposal.objects.filter(round=match_round, mentor=mentor).values_list(
            "mentee_id", flat=True
        )
    ]
    places = int(match_round.places[mentor_id])
    violations = pair_violations(
        problem, [*existing, (mentee_id, mentor_id)], excluded_pairs(problem)
    )
    warnings = [v.message for v in violations if v.kind == "rule" and v.mentee_id == mentee_id]
    if any(v.kind == "capacity" for v in violations) or len(existing) + 1 > places:
        warnings.append(f"mentor over capacity: {len(existing) + 1} mentees, capacity {places}")
    c = checked.components
    return HandPairCheck(
        score=checked.score,
        components={
            "consideration": c.consideration,
            "camaraderie": c.camaraderie,
            "commonality": c.commonality,
            "confidentiality": c.confidentiality,
        },
        reasons=checked.reasons,
        warnings=tuple(dict.fromkeys(warnings)),
    )


@transaction.atomic
def proposal_hand_pair(
    *, match_round: MatchRound, mentee: User, mentor: User, by: User, confirmed: bool = False
) -> Proposal:
    """Pair two people by hand (locked: a re-run keeps it). A pair that breaks a rule
    other than a reporting line needs ``confirmed``; its warnings are stored."""
    match_round = _editable(match_round)
    check = hand_pair_check(match_round=match_round, mentee=mentee, mentor=mentor)
    if check.warnings and not confirmed:
        raise ValidationError(
            {"confirm": _("This pair breaks a rule of the program; confirm to pair them anyway.")}
        )
    proposal = Proposal.objects.create(
        round=match_round,
        mentee=mentee,
        mentor=mentor,
        score=check.score,
        reasons=list(check.reasons),
        locked=True,
        origin=Origin.HAND,
        warnings=list(check.warnings),
        status=ProposalStatus.PROPOSED,
        **check.components,
    )
    UnmatchedEntry.objects.filter(round=match_round, user=mentee, role=Role.MENTEE).delete()
    UnmatchedEntry.objects.filter(round=match_round, user=mentor, role=Role.MENTOR).delete()
    _refresh_summary(match_round)
    return proposal
