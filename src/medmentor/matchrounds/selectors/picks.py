"""Reads of mentee picks: who may pick whom, the candidates ranked by the engine, and the
picks a match round takes as explicit ranks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import translation

from medmentor.accounts.models import User
from medmentor.matching import Problem, Rules, Weights, rank_mentors, solve
from medmentor.matchrounds.models import Pick
from medmentor.profiles.engine import as_mentee, as_mentor, engine_id, engine_labels, why_line
from medmentor.profiles.features import FEATURE_COLUMNS, Features, features_of
from medmentor.profiles.models import Block, CareerStage, Profile, ReportingLine
from medmentor.profiles.selectors import excluded_user_ids
from medmentor.profiles.taxonomy import taxonomy, vocabulary_of
from medmentor.programs.eligibility import ENGINE_SENIORITY, seniority_allows, stage_ordinal
from medmentor.programs.models import MatchingMode, Membership, Program, Role, Status
from medmentor.programs.selectors import get_program_for

# Whom each role picks.
COUNTERPART = {Role.MENTEE: Role.MENTOR, Role.MENTOR: Role.MENTEE}
SHOWN = 50  # candidates listed on the page, best first


@dataclass(frozen=True)
class Picker:
    """A participant choosing, in one of their active roles."""

    program: Program
    user: User
    role: str
    roles: tuple[str, ...]  # every active participant role of the person

    @property
    def counterpart(self) -> str:
        return COUNTERPART[Role(self.role)]


@dataclass(frozen=True)
class Candidate:
    user: User
    profile: Profile | None
    score: float | None
    why: str
    labels: dict[str, str]
    places_left: int | None  # mentors only


def picks_open(program: Program) -> bool:
    return program.matching_mode in (MatchingMode.ROUNDS, MatchingMode.BOTH)


def get_picker(user: User | AnonymousUser, program_uuid: UUID | str, role: str = "") -> Picker:
    """The access helper of the picks pages: an active mentor or mentee of a program that
    runs match rounds; anyone else 404."""
    access = get_program_for(user, program_uuid)
    program = access.program
    roles = tuple(
        r
        for r in (Role.MENTEE, Role.MENTOR)
        if (m := access.membership(r)) is not None and m.status == Status.ACTIVE
    )
    if not picks_open(program) or not roles or not user.is_authenticated:
        raise Http404
    chosen_role = role if role in roles else roles[0]
    return Picker(program=program, user=user, role=chosen_role, roles=roles)


def eligible_members(picker: Picker) -> QuerySet[Membership]:
    """Active members of the other role whom ``picker`` may name: not themselves, not in a
    reporting line, conflict or block with them (either direction), mentors with places
    left, and the program's seniority rule between the two career stages (a stage nobody
    stated does not exclude, as in the engine)."""
    members = (
        Membership.objects.filter(
            program=picker.program,
            role=picker.counterpart,
            status=Status.ACTIVE,
            user__is_active=True,
        )
        .exclude(user=picker.user)
        .select_related("user")
    )
    excluded = excluded_user_ids(picker.user)
    if excluded:
        members = members.exclude(user_id__in=excluded)
    if picker.counterpart == Role.MENTOR:
        members = members.filter(
            user__profile__is_mentor=True,
            user__profile__accepting_mentees=True,
            user__profile__active_mentees__lt=F("user__profile__mentor_capacity"),
        )
    mine = stage_ordinal(picker.user)
    if mine is not None:
        rule = picker.program.seniority_rule
        stages = vocabulary_of(taxonomy(), CareerStage).by_id.values()
        if picker.counterpart == Role.MENTOR:  # the mentor is the other person
            ok = [
                t.pk
                for t in stages
                if seniority_allows(rule, mentor_stage=t.ordinal, mentee_stage=mine)
            ]
        else:
            ok = [
                t.pk
                for t in stages
                if seniority_allows(rule, mentor_stage=mine, mentee_stage=t.ordinal)
            ]
        members = members.filter(
            Q(user__profile__career_stage_id__in=ok)
            | Q(user__profile__career_stage__isnull=True)
            | Q(user__profile__isnull=True)
        )
    return members


def eligible_user_ids(picker: Picker) -> set[int]:
    return set(eligible_members(picker).values_list("user_id", flat=True))


def _weights(program: Program) -> Weights:
    return Weights(**{c: float(w) for c, w in program.weights.items()})


def _rules(program: Program) -> Rules:
    return Rules(
        seniority=ENGINE_SENIORITY[program.seniority_rule],
        require_shared_language=False,
        ranks_exclusive=False,
    )


def ranked_candidates(picker: Picker, *, leave_out: set[int] | None = None) -> list[Candidate]:
    """Eligible people best first, scored by the engine the mentor search uses, with the
    program's four-C weights and seniority rule. ``leave_out``: user ids already picked."""
    members = [m for m in eligible_members(picker) if m.user_id not in (leave_out or set())]
    user_ids = [m.user_id for m in members] + [picker.user.pk]
    profiles = {
        p.user_id: p
        for p in Profile.objects.filter(user_id__in=user_ids).only(
            *FEATURE_COLUMNS, "uuid", "display_name"
        )
    }
    me_profile = profiles.get(picker.user.pk)
    features = features_of(list(profiles.values()), viewer=picker.user)
    mine = features.get(me_profile.pk) if me_profile else None
    vocab = taxonomy()
    language = translation.get_language() or "en"
    labels = engine_labels()
    scored: dict[int, tuple[float, str]] = {}
    if mine is not None:
        theirs = {
            m.user_id: features[profiles[m.user_id].pk] for m in members if m.user_id in profiles
        }
        scored = _scores(picker, mine, theirs, labels, language)

    def label(vocabulary: str, pk: int | None) -> str:
        term = vocab[vocabulary].by_id.get(pk) if pk else None
        return term.label if term is not None else ""

    candidates = []
    for m in members:
        profile = profiles.get(m.user_id)
        score, why = scored.get(m.user_id, (None, ""))
        candidates.append(
            Candidate(
                user=m.user,
                profile=profile,
                score=score,
                why=why,
                labels={
                    "stage": label("career-stages", profile.career_stage_id if profile else None),
                    "specialty": label("specialties", profile.specialty_id if profile else None),
                    "province": label("provinces", profile.province_id if profile else None),
                },
                places_left=profile.places_left
                if profile is not None and picker.counterpart == Role.MENTOR
                else None,
            )
        )
    # Scored people best first; Python's sort is stable, so ties keep the member order.
    candidates.sort(key=lambda c: -(c.score if c.score is not None else -1.0))
    return candidates


def _scores(
    picker: Picker,
    mine: Features,
    theirs: dict[int, Features],
    labels: dict[str, str],
    language: str,
) -> dict[int, tuple[float, str]]:
    weights, rules = _weights(picker.program), _rules(picker.program)
    out: dict[int, tuple[float, str]] = {}
    if picker.counterpart == Role.MENTOR:
        ranking = rank_mentors(
            as_mentee(mine),
            [as_mentor(f) for f in theirs.values()],
            weights,
            rules=rules,
            labels=labels,
            seed=picker.program.pk,
        )
        by_engine_id = {engine_id(f): uid for uid, f in theirs.items()}
        for r in ranking:
            out[by_engine_id[r.mentor_id]] = (r.score, why_line(r.reasons, language))
        return out
    # A mentor choosing mentees: one engine run with this mentor alone and room for
    # everyone, so that each eligible mentee is paired with them and scored as a round
    # scores the pair.
    mentees = {engine_id(f): uid for uid, f in theirs.items()}
    me_as_mentor = replace(as_mentor(mine), capacity=max(len(theirs), 1))
    result = solve(
        Problem(
            mentees=tuple(as_mentee(f) for f in theirs.values()),
            mentors=(me_as_mentor,),
            weights=weights,
            rules=rules,
            labels=labels,
        ),
        seed=picker.program.pk,
    )
    for pair in result.pairs:
        out[mentees[pair.mentee_id]] = (pair.score, why_line(pair.reasons, language))
    return out


def picks_of(picker: Picker) -> list[Pick]:
    """The picker's picks in their current role, in rank order."""
    return list(
        Pick.objects.filter(program=picker.program, chooser=picker.user, role=picker.role)
        .select_related("chosen__profile")
        .order_by("rank")
    )


def picks_count(picker: Picker) -> int:
    """Every pick of the person in this program, both roles (they share the places)."""
    return Pick.objects.filter(program=picker.program, chooser=picker.user).count()


def _pair_excluded() -> tuple[Exists, Exists]:
    """A pick's two people are in a reporting line or conflict, or a block (either
    direction; a line declared by e-mail counts for the account with that address,
    primary or verified)."""

    def line_between(person: str, other: str) -> Q:
        verified = EmailAddress.objects.filter(
            user=OuterRef(OuterRef(other)), verified=True
        ).values("email")
        return Q(person=OuterRef(person)) & (
            Q(other=OuterRef(other))
            | Q(other__isnull=True, other_email=OuterRef(f"{other}__email"))
            | Q(other__isnull=True, other_email__in=verified)
        )

    lines = ReportingLine.objects.filter(
        line_between("chooser", "chosen") | line_between("chosen", "chooser")
    )
    blocks = Block.objects.filter(
        Q(blocker=OuterRef("chooser"), blocked=OuterRef("chosen"))
        | Q(blocker=OuterRef("chosen"), blocked=OuterRef("chooser"))
    )
    return Exists(lines), Exists(blocks)


def picks_by_user(program: Program, *, role: str | None = None) -> dict[int, list[int]]:
    """Chooser user id -> chosen user ids in rank order, for both roles (or ``role``):
    the explicit ranks a match round takes. Picks of people no longer active in their
    role, of people no longer active in the other role, and of pairs now excluded by a
    reporting line, conflict or block are left out. One query."""

    def active(user: str, role_of: Q) -> Exists:
        return Exists(
            Membership.objects.filter(
                role_of, program=program, user=OuterRef(user), status=Status.ACTIVE
            )
        )

    picks = Pick.objects.filter(program=program, chooser__is_active=True, chosen__is_active=True)
    if role:
        picks = picks.filter(role=role)
    in_line, blocked = _pair_excluded()
    rows = (
        picks.alias(
            chooser_active=active("chooser", Q(role=OuterRef("role"))),
            chosen_mentor=active("chosen", Q(role=Role.MENTOR)),
            chosen_mentee=active("chosen", Q(role=Role.MENTEE)),
            in_line=in_line,
            blocked=blocked,
        )
        .filter(chooser_active=True, in_line=False, blocked=False)
        .filter(Q(role=Role.MENTEE, chosen_mentor=True) | Q(role=Role.MENTOR, chosen_mentee=True))
        .order_by("chooser_id", "rank")
        .values_list("chooser_id", "chosen_id")
    )
    out: dict[int, list[int]] = {}
    for chooser_id, chosen_id in rows:
        out.setdefault(chooser_id, []).append(chosen_id)
    return out
