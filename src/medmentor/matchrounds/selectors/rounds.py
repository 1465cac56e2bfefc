"""Reads for match rounds: the access helpers (coordinators of the program; the two people
of a published proposal), result lists (pairs, or a circle round's circles), the
comparison of two runs, the CSV export."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from medmentor.accounts.models import User
from medmentor.matchrounds.models import (
    MatchRound,
    Proposal,
    ProposalStatus,
    ProposedGroup,
    ProposedGroupMember,
    Response,
    RoundKind,
    RoundStatus,
    UnmatchedEntry,
)
from medmentor.mentorships.models.mentorship import MentorshipKind
from medmentor.profiles.engine import localize_reason
from medmentor.programs.models import FOUR_CS, MentorshipFormat, Program, Role
from medmentor.programs.selectors import get_program_for


def get_round_for(
    user: User | AnonymousUser,
    program_uuid: UUID | str,
    round_uuid: UUID | str,
    *,
    kind: str = "",
) -> MatchRound:
    """A round of a program ``user`` coordinates: participants 403, everyone else 404.
    With ``kind``, a round of another kind is 404 too (pages of pairs only: lock, break,
    pair by hand, compare)."""
    program = get_program_for(user, program_uuid, manage=True).program
    rounds = MatchRound.objects.select_related("program", "created_by", "rerun_of")
    if kind:
        rounds = rounds.filter(kind=kind)
    return get_object_or_404(rounds, program=program, uuid=round_uuid)


# The mentorships each kind of round starts.
MENTORSHIP_OF = {
    RoundKind.PAIRS: MentorshipKind.PAIR,
    RoundKind.GROUPS: MentorshipKind.GROUP,
    RoundKind.CIRCLES: MentorshipKind.CIRCLE,
}


def round_kinds(program: Program) -> list[RoundKind]:
    """The kinds of round ``program``'s format runs (pairs, circles, or both)."""
    program_format = MentorshipFormat(program.mentorship_format)
    return [kind for kind, made in MENTORSHIP_OF.items() if program_format.allows(made)]


def get_round_by_uuid_for(user: User | AnonymousUser, round_uuid: UUID | str) -> MatchRound:
    """The same, from the round alone (the API's routes)."""
    program_uuid = (
        MatchRound.objects.filter(uuid=round_uuid).values_list("program__uuid", flat=True).first()
    )
    if program_uuid is None:
        raise Http404
    return get_round_for(user, program_uuid, round_uuid)


def get_proposal_of(match_round: MatchRound, proposal_uuid: UUID | str) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("round", "mentee", "mentor"),
        round=match_round,
        uuid=proposal_uuid,
    )


def get_my_proposal(user: User | AnonymousUser, proposal_uuid: UUID | str) -> Proposal:
    """A published proposal, for its mentee or its mentor only; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(my_proposals(user).select_related("mentorship"), uuid=proposal_uuid)


def my_proposals(user: User) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(
            Q(mentee=user) | Q(mentor=user), round__status=RoundStatus.PUBLISHED
        )
        .exclude(status=ProposalStatus.PROPOSED)
        # Failed at publication (the mentee was taken meanwhile): never shown to them.
        .exclude(status=ProposalStatus.FAILED, mentee_response=Response.PENDING)
        .select_related("round__program", "mentee", "mentor")
        .order_by("-round__published_at", "-id")
    )


def rounds_of(program: Program) -> QuerySet[MatchRound]:
    return MatchRound.objects.filter(program=program).select_related("created_by", "rerun_of")


def proposals_of(match_round: MatchRound, *, order: str = "score") -> QuerySet[Proposal]:
    orders = {
        "score": ("-score", "id"),
        "mentee": ("mentee__name", "mentee__email", "id"),
        "mentor": ("mentor__name", "mentor__email", "id"),
    }
    return (
        Proposal.objects.filter(round=match_round)
        .select_related("mentee", "mentor")
        .order_by(*orders.get(order, orders["score"]))
    )


def unmatched_of(match_round: MatchRound) -> QuerySet[UnmatchedEntry]:
    return (
        UnmatchedEntry.objects.filter(round=match_round)
        .select_related("user")
        .order_by("role", "code", "user__name", "id")
    )


def circles_of(match_round: MatchRound) -> QuerySet[ProposedGroup]:
    """A circle round's circles in order, each with its members' rows and users
    (``circle.rows.all()``) and the mentorship it started."""
    return (
        ProposedGroup.objects.filter(round=match_round)
        .select_related("mentorship", "mentor")
        .prefetch_related(
            Prefetch(
                "rows", queryset=ProposedGroupMember.objects.select_related("user").order_by("id")
            )
        )
        .order_by("position")
    )


def people_in(match_round: MatchRound) -> set[int]:
    """Everyone the round proposed or left unmatched (user ids): whose data its export holds."""
    proposed = Proposal.objects.filter(round=match_round).values_list("mentee_id", "mentor_id")
    circled = ProposedGroupMember.objects.filter(group__round=match_round).values_list(
        "user_id", flat=True
    )
    unmatched = UnmatchedEntry.objects.filter(round=match_round).values_list("user_id", flat=True)
    return {uid for pair in proposed for uid in pair} | set(circled) | set(unmatched)


@dataclass(frozen=True)
class Audience:
    pairs: int  # or circles or groups, in a circle or group round
    people: int


def publication_audience(match_round: MatchRound) -> Audience:
    """Who publishing would tell: both people of each proposed pair, or every member (and
    mentor) of each circle or group."""
    if match_round.forms_groups:
        groups = ProposedGroup.objects.filter(round=match_round)
        members = ProposedGroupMember.objects.filter(group__round=match_round)
        people = set(members.values_list("user_id", flat=True))
        people |= set(groups.exclude(mentor=None).values_list("mentor_id", flat=True))
        return Audience(pairs=groups.count(), people=len(people))
    proposed = Proposal.objects.filter(round=match_round, status=ProposalStatus.PROPOSED)
    pairs = list(proposed.values_list("mentee_id", "mentor_id"))
    return Audience(pairs=len(pairs), people=len({person for pair in pairs for person in pair}))


def hand_pair_choices(match_round: MatchRound) -> tuple[list[User], list[User]]:
    """Mentees the round left unmatched, and the round's mentors (fewest mentees first)."""
    paired = Proposal.objects.filter(round=match_round).values_list("mentee_id", flat=True)
    mentees = list(
        User.objects.filter(
            pk__in=UnmatchedEntry.objects.filter(round=match_round, role=Role.MENTEE).values(
                "user_id"
            )
        )
        .exclude(pk__in=paired)
        .order_by("name", "email")
    )
    mentors = list(
        User.objects.filter(pk__in=[int(uid) for uid in match_round.places]).order_by(
            "name", "email"
        )
    )
    return mentees, mentors


# Warnings the rounds write themselves (the engine's own phrases go through
# ``localize_reason``).
_OWN_PHRASES = [
    (
        re.compile(r"^mentor over capacity: (\d+) mentees, capacity (\d+)$"),
        "mentor au-delà de sa capacité : {0} personnes mentorées, capacité {1}",
    ),
    (re.compile(r"^broken by the coordinator$"), "séparé par la coordination"),
]


def localize(phrase: str, language: str) -> str:
    """An engine reason or a round's warning (stored with English labels) in
    ``language``."""
    if language.startswith("fr"):
        for pattern, template in _OWN_PHRASES:
            match = pattern.match(phrase)
            if match:
                return template.format(*match.groups())
    return localize_reason(phrase, language, english_labels=True)


def localized(phrases: Iterable[str]) -> list[str]:
    """Reasons or warnings in the reader's language."""
    language = get_language() or "en"
    return [localize(p, language) for p in phrases]


@dataclass(frozen=True)
class Comparison:
    both: list[tuple[User, User]]
    only_a: list[tuple[User, User]]
    only_b: list[tuple[User, User]]


def rounds_compare(a: MatchRound, b: MatchRound) -> Comparison:
    """Pairs in both runs, only in ``a``, only in ``b`` (as (mentee, mentor))."""
    pairs_a = set(Proposal.objects.filter(round=a).values_list("mentee_id", "mentor_id"))
    pairs_b = set(Proposal.objects.filter(round=b).values_list("mentee_id", "mentor_id"))
    users = User.objects.in_bulk({uid for pair in pairs_a | pairs_b for uid in pair})

    def people(pairs: set[tuple[int, int]]) -> list[tuple[User, User]]:
        rows = [(users[m], users[t]) for m, t in pairs]
        return sorted(rows, key=lambda r: (r[0].name, r[0].email))

    return Comparison(
        both=people(pairs_a & pairs_b),
        only_a=people(pairs_a - pairs_b),
        only_b=people(pairs_b - pairs_a),
    )


EXPORT_HEADER = [
    "mentee",
    "mentor",
    "score",
    *FOUR_CS,
    "status",
    "origin",
    "locked",
    "warnings",
]


CIRCLES_EXPORT_HEADER = ["circle", "member", "score", "reasons"]
GROUPS_EXPORT_HEADER = ["group", "mentor", "mentee", "score", "reasons"]


def groups_export_rows(match_round: MatchRound) -> Iterator[list[str]]:
    """A circle or group round's rows: one per member of each circle (mentee of each
    group, with its mentor), then one per person left out with the reason."""
    with_mentor = match_round.kind == RoundKind.GROUPS
    yield GROUPS_EXPORT_HEADER if with_mentor else CIRCLES_EXPORT_HEADER
    for circle in circles_of(match_round):
        mentor = [circle.mentor.get_full_name() if circle.mentor else ""] if with_mentor else []
        for row in circle.rows.all():
            yield [
                str(circle.position),
                *mentor,
                row.user.get_full_name(),
                f"{circle.score:.4f}",
                "; ".join(circle.reasons),
            ]
    for entry in unmatched_of(match_round).iterator(chunk_size=1000):
        blank = [""] if with_mentor else []
        yield ["", *blank, entry.user.get_full_name(), "", f"unplaced: {entry.code}"]


def round_export_rows(match_round: MatchRound) -> Iterator[list[str]]:
    """The CSV rows: one per proposal (best first), then one per unmatched person (made
    safe for spreadsheets by ``core.spreadsheet``); a circle round's are
    ``groups_export_rows``."""
    if match_round.forms_groups:
        yield from groups_export_rows(match_round)
        return
    yield EXPORT_HEADER
    for p in proposals_of(match_round).iterator(chunk_size=1000):
        yield [
            p.mentee.get_full_name(),
            p.mentor.get_full_name(),
            f"{p.score:.4f}",
            *("" if v is None else f"{v:.4f}" for _, v in p.components),
            p.status,
            p.origin,
            "yes" if p.locked else "no",
            "; ".join(p.warnings),
        ]
    for entry in unmatched_of(match_round).iterator(chunk_size=1000):
        person = entry.user.get_full_name()
        yield [
            person if entry.role == Role.MENTEE else "",
            person if entry.role == Role.MENTOR else "",
            "",
            *("" for _ in FOUR_CS),
            f"unmatched: {entry.code}",
            "",
            "",
            entry.message,
        ]
