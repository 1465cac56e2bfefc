"""Reads for program reports about match rounds: the cohort a round considered, and the
pools and proposals of the rounds published in a period, counted in the database."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypedDict

from django.db.models import Count, Exists, F, OuterRef, Q

from medmentor.core.periods import Period
from medmentor.matchrounds.models import (
    MatchRound,
    Proposal,
    ProposedGroupMember,
    RoundStatus,
    UnmatchedEntry,
)
from medmentor.programs.models import PARTICIPANT_ROLES, Membership, Role
from medmentor.programs.selectors.reporting import Cohort, in_cohort


class PoolCount(TypedDict):
    """How many people of a program were in the pools of its published rounds, in a role."""

    program_id: int
    role: str
    n: int


class ProposalCount(TypedDict):
    """How many proposals of a program's published rounds have one status."""

    program_id: int
    status: str
    n: int


def cohort_of_round(match_round: MatchRound) -> Cohort:
    """The people a round considered: proposed or left unmatched, in either role (a circle
    round's people in whichever roles they are enrolled)."""
    proposed = Proposal.objects.filter(round=match_round)
    unmatched = UnmatchedEntry.objects.filter(round=match_round)
    in_circles = ProposedGroupMember.objects.filter(group__round=match_round)
    return Membership.objects.filter(program_id=match_round.program_id).filter(
        Q(role=Role.MENTEE, user_id__in=proposed.values("mentee_id"))
        | Q(role=Role.MENTOR, user_id__in=proposed.values("mentor_id"))
        | Q(role=Role.MENTEE, user_id__in=unmatched.filter(role=Role.MENTEE).values("user_id"))
        | Q(role=Role.MENTOR, user_id__in=unmatched.filter(role=Role.MENTOR).values("user_id"))
        | Q(role__in=(Role.MENTOR, Role.MENTEE), user_id__in=in_circles.values("user_id"))
    )


def round_counts(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> tuple[list[PoolCount], list[ProposalCount]]:
    """Rounds published in the period: the people in their pools (by role), and their
    proposals by status."""
    published = Q(
        round__status=RoundStatus.PUBLISHED,
        round__published_at__gte=period.since,
        round__published_at__lt=period.until,
    )
    here = published & Q(round__program_id=OuterRef("program_id"), user=OuterRef("user"))

    def in_pool(role: str, proposed_as: str) -> Q:
        proposed = Proposal.objects.filter(
            published,
            round__program_id=OuterRef("program_id"),
            **{proposed_as: OuterRef("user")},
        )
        unmatched = UnmatchedEntry.objects.filter(here, role=role)
        return Q(role=role) & (Q(Exists(proposed)) | Q(Exists(unmatched)))

    pools = list(
        Membership.objects.filter(program_id__in=program_ids, role__in=PARTICIPANT_ROLES)
        .filter(in_cohort(cohort, program="program_id", user="user_id"))
        .filter(in_pool(Role.MENTEE, "mentee") | in_pool(Role.MENTOR, "mentor"))
        .values("program_id", "role")
        .annotate(n=Count("id"))
        .order_by()
    )
    proposals = list(
        Proposal.objects.filter(published, round__program_id__in=program_ids)
        .filter(in_cohort(cohort, program="round__program_id", user="mentee_id"))
        .values("status", program_id=F("round__program_id"))
        .annotate(n=Count("id"))
        .order_by()
    )
    return pools, proposals
