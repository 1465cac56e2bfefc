"""A program's pool as the matching engine's :class:`~medmentor.matching.Problem` (pair
rounds), or as the peers and exclusions of ``form_circles`` (circle rounds).

The one adapter from a program and its participants' profiles to the engine for match
rounds. People become engine inputs through ``profiles.features`` and ``profiles.engine``
(the same adapter the mentor search uses), so a round and the search score a pair the
same way. Loading takes a constant number of queries, whatever the size of the pool.

Engine ids are user ids as text. A person who is both a mentee and a mentor of the
program has the same id on both sides; the engine never pairs someone with themselves.
In a circle round they are one peer.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import translation

from medmentor.matching import Mentee, Mentor, Problem, Question, Rules, Weights
from medmentor.matchrounds.models import (
    LIVE_PROPOSAL_STATUSES,
    Proposal,
    ProposalStatus,
    RoundStatus,
)
from medmentor.mentorships.models import Mentorship
from medmentor.mentorships.models.mentorship import (
    LIVE_STATUSES,
    MemberRole,
    MentorshipKind,
    MentorshipMember,
)
from medmentor.profiles.engine import as_mentee, as_mentor, engine_labels
from medmentor.profiles.features import Features, features_of, load_m2m, with_feature_columns
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import excluded_pairs_among
from medmentor.programs.eligibility import ENGINE_SENIORITY
from medmentor.programs.models import (
    CHOICE_KINDS,
    PARTICIPANT_ROLES,
    IntakeQuestion,
    Membership,
    Program,
    Role,
    Status,
)

# An intake question's weight (0-100) against the profile's own terms of its four-C
# component, each of which counts 1: a weight of 25 counts as much as one of them.
QUESTION_WEIGHT_UNIT = 25.0


@dataclass(frozen=True)
class Pool:
    """Who a round would take, before the engine runs."""

    mentee_ids: tuple[int, ...]
    mentor_places: Mapping[int, int]  # mentor user id -> places left
    mentees_without_profile: tuple[int, ...] = ()
    mentors_without_profile: tuple[int, ...] = ()
    mentors_full: int = 0
    mentors_paused: int = 0  # not accepting mentees for now

    @property
    def places(self) -> int:
        return sum(self.mentor_places.values())


@dataclass(frozen=True)
class RoundInputs:
    problem: Problem
    pool: Pool
    locked: tuple[tuple[int, int], ...] = ()
    dropped_locks: tuple[tuple[int, int], ...] = field(default_factory=tuple)


def _engine_id(user_id: int) -> str:
    return str(user_id)


def _members(program: Program, *roles: str) -> QuerySet[Membership, Any]:
    """Active participants of ``program`` in ``roles`` as a subquery of user ids: filters
    by a join, not by a list of thousands of ids (which costs more to send than to run)."""
    return Membership.objects.filter(
        program=program, role__in=roles, status=Status.ACTIVE, user__is_active=True
    ).values("user_id")


def pool_of(program: Program) -> Pool:
    """Active mentees without a live mentorship or a live published proposal in the
    program; active mentors with a mentor profile, accepting mentees, and places left
    (capacity minus live mentorships, anywhere, minus published proposals still awaiting
    answers)."""
    mentee_ids = set(_members(program, Role.MENTEE).values_list("user_id", flat=True))
    mentor_ids = set(_members(program, Role.MENTOR).values_list("user_id", flat=True))
    paired = set(
        Mentorship.objects.filter(program=program, status__in=LIVE_STATUSES).values_list(
            "mentee_id", flat=True
        )
    ) | set(
        MentorshipMember.objects.filter(
            mentorship__program=program,
            mentorship__status__in=LIVE_STATUSES,
            role=MemberRole.MENTEE,
        ).values_list("user_id", flat=True)
    )
    proposed = set(
        Proposal.objects.filter(
            round__program=program,
            round__status=RoundStatus.PUBLISHED,
            status__in=LIVE_PROPOSAL_STATUSES,
        ).values_list("mentee_id", flat=True)
    )
    mentee_ids -= paired | proposed
    with_profile = mentee_ids & set(
        Profile.objects.filter(user_id__in=_members(program, Role.MENTEE)).values_list(
            "user_id", flat=True
        )
    )
    mentor_profiles = Profile.objects.filter(
        user_id__in=_members(program, Role.MENTOR), is_mentor=True
    ).values_list("user_id", "mentor_capacity", "accepting_mentees")
    # A mentor who paused ("not accepting mentees" on the profile) gets no proposals.
    capacity = {uid: cap for uid, cap, accepting in mentor_profiles if accepting}
    paused = {uid for uid, _cap, accepting in mentor_profiles if not accepting}
    mentors = _members(program, Role.MENTOR)
    # Places taken: one per live pair, one per mentee of a live group they mentor.
    live = Counter(
        dict(
            Mentorship.objects.filter(
                mentor_id__in=mentors, kind=MentorshipKind.PAIR, status__in=LIVE_STATUSES
            )
            .values("mentor_id")
            .annotate(n=Count("id"))
            .values_list("mentor_id", "n")
        )
    ) + Counter(
        dict(
            MentorshipMember.objects.filter(
                role=MemberRole.MENTEE,
                mentorship__status__in=LIVE_STATUSES,
                mentorship__members__role=MemberRole.MENTOR,
                mentorship__members__user_id__in=mentors,
            )
            .values("mentorship__members__user_id")
            .annotate(n=Count("id"))
            .values_list("mentorship__members__user_id", "n")
        )
    )
    waiting = Counter(
        dict(
            Proposal.objects.filter(mentor_id__in=mentors, status=ProposalStatus.PUBLISHED)
            .values("mentor_id")
            .annotate(n=Count("id"))
            .values_list("mentor_id", "n")
        )
    )
    places = {uid: cap - live[uid] - waiting[uid] for uid, cap in capacity.items()}
    return Pool(
        mentee_ids=tuple(sorted(with_profile)),
        mentor_places={uid: n for uid, n in sorted(places.items()) if n > 0},
        mentees_without_profile=tuple(sorted(mentee_ids - with_profile)),
        mentors_without_profile=tuple(sorted(mentor_ids - set(capacity) - paused)),
        mentors_full=sum(1 for n in places.values() if n <= 0),
        mentors_paused=len(paused),
    )


def _questions(
    questions: Iterable[IntakeQuestion],
) -> list[tuple[Question, IntakeQuestion | None, IntakeQuestion | None]]:
    """The engine's questions with the mentee's and the mentor's intake question behind
    each. Questions are asked of one role; a weighted question is compared with the
    other role's question offering the same choices (e.g. "language you want to be
    mentored in" with "languages you mentor in"). Without such a counterpart only one
    side has answers and the engine leaves the term out."""
    by_role: dict[str, list[IntakeQuestion]] = {Role.MENTEE: [], Role.MENTOR: []}
    for question in questions:
        by_role.setdefault(question.role, []).append(question)
    used: set[int] = set()
    out = []
    for question in [*by_role[Role.MENTEE], *by_role[Role.MENTOR]]:
        if question.pk in used:
            continue
        other_role = Role.MENTOR if question.role == Role.MENTEE else Role.MENTEE
        counterpart = next(
            (
                q
                for q in by_role[other_role]
                if q.pk not in used and set(q.codes) == set(question.codes)
            ),
            None,
        )
        pair = [question] + ([counterpart] if counterpart else [])
        weight = max(q.matching_weight for q in pair)
        if weight <= 0:
            continue
        used.update(q.pk for q in pair)
        mentee_q = next((q for q in pair if q.role == Role.MENTEE), None)
        mentor_q = next((q for q in pair if q.role == Role.MENTOR), None)
        # The rule is the mentee side's when both set one: it is the mentee's wish.
        rule_q = mentee_q if mentee_q and mentee_q.matching_weight else question
        engine_q = Question(
            code=str(question.uuid),
            rule=rule_q.matching_rule,
            weight=weight / QUESTION_WEIGHT_UNIT,
            label=question.text_en,
        )
        out.append((engine_q, mentee_q, mentor_q))
    return out


def _answers(
    membership_answers: Mapping[str, Sequence[str]],
    questions: list[tuple[Question, IntakeQuestion | None, IntakeQuestion | None]],
    role: str,
) -> dict[str, frozenset[str]]:
    out = {}
    for engine_q, mentee_q, mentor_q in questions:
        asked = mentee_q if role == Role.MENTEE else mentor_q
        if asked is not None:
            codes = membership_answers.get(str(asked.uuid))
            if codes:
                out[engine_q.code] = frozenset(codes)
    return out


def _ranks(ranked: Sequence[int], allowed: set[int]) -> tuple[str, ...]:
    seen: list[int] = []
    for user_id in ranked:
        if user_id in allowed and user_id not in seen:
            seen.append(user_id)
    return tuple(_engine_id(u) for u in seen)


def _labels() -> dict[str, str]:
    """Labels for the engine's reasons. Rounds store reasons in English (a round is read
    by coordinators and participants in either language); ``localize_reason`` renders
    them in French when shown."""
    with translation.override("en"):
        return engine_labels()


def round_inputs(
    program: Program,
    *,
    ranks: Mapping[int, Sequence[int]] | None = None,
    locked: Iterable[tuple[int, int]] = (),
    pool: Pool | None = None,
) -> RoundInputs:
    """The engine's problem for one round of ``program``.

    ``ranks``: user id -> user ids in order of preference (mentees rank mentors, mentors
    rank mentees; picks come first, everyone else follows by score). ``locked``:
    (mentee user id, mentor user id) pairs held fixed; a pair that no longer fits (a
    person left the pool, a new reporting line, no place left) is dropped and reported.
    """
    ranks = ranks or {}
    pool = pool or pool_of(program)
    user_ids = set(pool.mentee_ids) | set(pool.mentor_places)
    members = _members(program, Role.MENTEE, Role.MENTOR)
    profiles = [
        p
        for p in with_feature_columns(Profile.objects.filter(user_id__in=members))
        if p.user_id in user_ids
    ]
    features = features_of(profiles, viewer=None, m2m=load_m2m(p.pk for p in profiles))
    by_user = {f.user_id: f for f in features.values()}
    questions = _questions(program.questions.filter(kind__in=CHOICE_KINDS))
    answers: dict[tuple[int, str], Mapping[str, Sequence[str]]] = {}
    if questions:
        rows = Membership.objects.filter(
            program=program, role__in=(Role.MENTEE, Role.MENTOR)
        ).values_list("user_id", "role", "answers")
        answers = {(uid, role): value or {} for uid, role, value in rows if uid in user_ids}
    mentee_set, mentor_set = set(pool.mentee_ids), set(pool.mentor_places)

    mentees: list[Mentee] = []
    for user_id in pool.mentee_ids:
        mentee = as_mentee(by_user[user_id])
        mentees.append(
            dataclasses.replace(
                mentee,
                answers=_answers(answers.get((user_id, Role.MENTEE), {}), questions, Role.MENTEE),
                ranks=_ranks(ranks.get(user_id, ()), mentor_set),
            )
        )
    mentors: list[Mentor] = []
    for user_id, places in pool.mentor_places.items():
        mentor = as_mentor(by_user[user_id])
        mentors.append(
            dataclasses.replace(
                mentor,
                capacity=places,
                answers=_answers(answers.get((user_id, Role.MENTOR), {}), questions, Role.MENTOR),
                ranks=_ranks(ranks.get(user_id, ()), mentee_set),
            )
        )

    excluded: set[tuple[int, int]] = set()
    for pair in excluded_pairs_among(user_ids):
        a, b = tuple(pair) if len(pair) == 2 else (next(iter(pair)),) * 2
        for mentee_id, mentor_id in ((a, b), (b, a)):
            if mentee_id in mentee_set and mentor_id in mentor_set:
                excluded.add((mentee_id, mentor_id))
    # A pair one of whom declined in an earlier round is not proposed again.
    declined = Proposal.objects.filter(
        round__program=program, status=ProposalStatus.DECLINED
    ).values_list("mentee_id", "mentor_id")
    excluded.update((a, b) for a, b in declined if a in mentee_set and b in mentor_set)
    # Two people already in a mentorship together (say, from the open community) are
    # not proposed to each other again.
    together = (
        Mentorship.objects.filter(
            status__in=LIVE_STATUSES,
            mentee__program_memberships__program=program,
            mentor__program_memberships__program=program,
        )
        .values_list("mentee_id", "mentor_id")
        .distinct()
    )
    excluded.update((a, b) for a, b in together if a in mentee_set and b in mentor_set)

    kept: list[tuple[int, int]] = []
    dropped: list[tuple[int, int]] = []
    load: Counter[int] = Counter()
    for mentee_id, mentor_id in locked:
        fits = (
            mentee_id in mentee_set
            and mentor_id in mentor_set
            and mentee_id != mentor_id
            and (mentee_id, mentor_id) not in excluded
            and load[mentor_id] < pool.mentor_places[mentor_id]
            and mentee_id not in {m for m, _ in kept}
        )
        if fits:
            kept.append((mentee_id, mentor_id))
            load[mentor_id] += 1
        else:
            dropped.append((mentee_id, mentor_id))

    problem = Problem(
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        weights=Weights(**{c: float(w) for c, w in program.weights.items()}),
        rules=Rules(
            seniority=ENGINE_SENIORITY[program.seniority_rule],
            require_shared_language=True,
            ranks_exclusive=False,
        ),
        questions=tuple(q for q, _, _ in questions),
        exclusions=tuple(sorted((_engine_id(a), _engine_id(b)) for a, b in excluded)),
        locked=tuple((_engine_id(a), _engine_id(b)) for a, b in kept),
        labels=_labels(),
    )
    return RoundInputs(problem=problem, pool=pool, locked=tuple(kept), dropped_locks=tuple(dropped))


def mentees_apart(inputs: RoundInputs) -> tuple[tuple[str, str], ...]:
    """Every two mentees of the pool a reporting line, a conflict of interest or a block
    keeps apart: a group round never puts them in one group."""
    return _apart(set(inputs.pool.mentee_ids))


def _apart(user_ids: set[int]) -> tuple[tuple[str, str], ...]:
    """The pairs of ``user_ids`` never in one circle or group, as engine ids."""
    return tuple(
        sorted(
            (_engine_id(a), _engine_id(b))
            for a, b in (sorted(pair) for pair in excluded_pairs_among(user_ids) if len(pair) == 2)
        )
    )


# -- circle rounds --------------------------------------------------------------------
@dataclass(frozen=True)
class CirclePool:
    """Who a circle round would take: the program's active participants (mentors and
    mentees alike, once each) not already in a live circle of the program."""

    people: tuple[int, ...]  # with a profile: the engine's peers
    without_profile: tuple[int, ...] = ()
    in_a_circle: int = 0  # already in a live circle of the program (left out)


@dataclass(frozen=True)
class CircleInputs:
    """``form_circles``'s arguments for one circle round (the size range and the seed
    are the program's and the round's)."""

    people: tuple[Mentee, ...]  # a Mentee is the engine's richest Participant
    exclusions: tuple[tuple[str, str], ...]
    weights: Weights
    rules: Rules
    questions: tuple[Question, ...]
    labels: Mapping[str, str]
    pool: CirclePool


def circle_pool_of(program: Program) -> CirclePool:
    enrolled = set(_members(program, *PARTICIPANT_ROLES).values_list("user_id", flat=True))
    circled = set(
        MentorshipMember.objects.filter(
            mentorship__program=program,
            mentorship__kind=MentorshipKind.CIRCLE,
            mentorship__status__in=LIVE_STATUSES,
            user_id__in=enrolled,
        ).values_list("user_id", flat=True)
    )
    free = enrolled - circled
    with_profile = set(
        Profile.objects.filter(user_id__in=_members(program, *PARTICIPANT_ROLES)).values_list(
            "user_id", flat=True
        )
    )
    return CirclePool(
        people=tuple(sorted(free & with_profile)),
        without_profile=tuple(sorted(free - with_profile)),
        in_a_circle=len(circled),
    )


def _peer(features: Features, answers: Mapping[str, frozenset[str]]) -> Mentee:
    """A person as a peer: the mentee's view of their profile (their own preferences and
    confidentiality), with the goals they seek and those they offer alike, since peers
    both seek and offer."""
    seeker = as_mentee(features)
    return dataclasses.replace(
        seeker, goals=features.goals_sought | features.goals_offered, answers=answers
    )


def circle_inputs(program: Program, *, pool: CirclePool | None = None) -> CircleInputs:
    """The peers of one circle round of ``program`` and the pairs never in one circle:
    every reporting line, conflict of interest and block between two of them.

    Intake answers: a person enrolled in both roles answers each engine question with
    their mentee answers first, their mentor answers where they gave none."""
    pool = pool or circle_pool_of(program)
    user_ids = set(pool.people)
    profiles = [
        p
        for p in with_feature_columns(
            Profile.objects.filter(user_id__in=_members(program, *PARTICIPANT_ROLES))
        )
        if p.user_id in user_ids
    ]
    features = features_of(profiles, viewer=None, m2m=load_m2m(p.pk for p in profiles))
    by_user = {f.user_id: f for f in features.values()}
    questions = _questions(program.questions.filter(kind__in=CHOICE_KINDS))
    answers: dict[int, dict[str, frozenset[str]]] = {uid: {} for uid in user_ids}
    if questions:
        rows = Membership.objects.filter(program=program, role__in=PARTICIPANT_ROLES).values_list(
            "user_id", "role", "answers"
        )
        # Mentor answers first, so that the mentee's overwrite them.
        for uid, role, value in sorted(rows, key=lambda row: row[1] == Role.MENTEE):
            if uid in answers:
                answers[uid].update(_answers(value or {}, questions, role))
    people = tuple(_peer(by_user[uid], answers[uid]) for uid in pool.people)
    return CircleInputs(
        people=people,
        exclusions=_apart(user_ids),
        weights=Weights(**{c: float(w) for c, w in program.weights.items()}),
        # Seniority does not apply to peers; two members who both state languages share
        # one, as a pair does.
        rules=Rules(require_shared_language=True),
        questions=tuple(q for q, _, _ in questions),
        labels=_labels(),
        pool=pool,
    )
