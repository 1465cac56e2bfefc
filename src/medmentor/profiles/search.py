"""The mentor search: filters and free text in the database, ranking by the engine.

1. The database filters listed mentors (a complete mentor profile, an active account)
   by the chosen filters and the free text (PostgreSQL full-text search on a GIN index;
   ``LIKE`` on SQLite), leaves out everyone in a reporting line, conflict or block with
   the searcher (both directions), and orders them coarsely: places left first, then a
   cheap SQL estimate of fit to the searcher, then a per-day rotation.
2. The first :data:`POOL` of that order are scored by the matching engine
   (``rank_mentors``, the same four-C scores as a match round) and re-ordered: places
   left first, then eligible, then the engine's score, ties rotating daily. Each result
   carries the engine's reasons as a one-line "why".
3. Pages past the pool follow the database's order.

The number of queries is the same whatever the number of results.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Combinable, RawSQL
from django.db.models.functions import Mod
from django.db.models.lookups import GreaterThan
from django.utils import translation
from pydantic import BaseModel, ConfigDict

from medmentor.accounts.models import User
from medmentor.profiles.engine import engine_id, why_line
from medmentor.profiles.features import (
    FEATURE_COLUMNS,
    Features,
    features_of,
    load_m2m,
)
from medmentor.profiles.fit import search_order
from medmentor.profiles.models import CareerStage, Importance, Profile, Specialty, Term, term_bits
from medmentor.profiles.selectors import excluded_user_ids
from medmentor.profiles.services import normalize_text
from medmentor.profiles.taxonomy import Vocabulary, taxonomy, vocabulary_of
from medmentor.profiles.visibility import visible_fields

PAGE_SIZE = 20
POOL = 100  # results ranked by the engine (five pages)
MAX_TERMS = 8
INACTIVE_KEY = "profiles:inactive-users"
RESULT_COLUMNS = (
    *FEATURE_COLUMNS,
    "uuid",
    "display_name",
    "user__name",
    "offering",
    "city",
    "pronouns",
    "photo",
)


class SearchFilters(BaseModel):
    """What a mentee filters the search by: the page's form and the API's query parameters
    (the API's schema is this class, so the two cannot drift apart)."""

    model_config = ConfigDict(frozen=True)

    q: str = ""
    specialty: str = ""
    career_stage: str = ""
    province: str = ""
    language: str = ""
    interest: str = ""
    goal: str = ""
    modality: str = ""
    accepting: bool = False
    page: int = 1

    @classmethod
    def from_cleaned(cls, data: dict[str, Any]) -> SearchFilters:
        values = {k: v for k, v in data.items() if k in cls.model_fields and v}
        return cls(**values)


@dataclass(frozen=True)
class MentorResult:
    profile: Profile
    features: Features
    visible: frozenset[str]  # personal fields the searcher may see
    score: float | None = None
    eligible: bool = True
    why: str = ""
    languages: tuple[str, ...] = ()
    goals_offered: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)  # stage, specialty, province
    # May the searcher ask them now, and if not why: the programs app's ``AskOption``,
    # set by the page (the API leaves it out).
    ask: Any = None

    @property
    def has_places(self) -> bool:
        return self.features.places_left > 0


@dataclass(frozen=True)
class SearchPage:
    results: list[MentorResult]
    total: int
    page: int
    ranked: bool  # ranked by the engine for this searcher
    filters: SearchFilters = field(default_factory=SearchFilters)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _terms(q: str) -> list[str]:
    return re.findall(r"[^\W_]+", normalize_text(q))[:MAX_TERMS]


def text_filter(queryset: QuerySet[Profile], q: str) -> QuerySet[Profile]:
    terms = _terms(q)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        # Whole words, the last one also as a prefix (it may be half typed), on the
        # stored, GIN-indexed column (migration 0003).
        query = " & ".join([*terms[:-1], f"{terms[-1]}:*"])
        return queryset.filter(
            RawSQL(
                "profiles_profile.search_vector @@ to_tsquery('simple'::regconfig, %s)",
                [query],
                output_field=BooleanField(),
            )
        )
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def inactive_user_ids() -> set[int]:
    """Deactivated accounts (few), cached for a minute rather than joined on every search."""
    ids: set[int] | None = cache.get(INACTIVE_KEY)
    if ids is None:
        ids = set(User.objects.filter(is_active=False).values_list("pk", flat=True))
        cache.set(INACTIVE_KEY, ids, 60)
    return ids


def listed_mentors() -> QuerySet[Profile]:
    """Mentors with a complete profile (the partial index ``profile_listed``)."""
    return Profile.objects.filter(is_mentor=True, is_complete=True)


def _family_ids(vocab: Vocabulary[Specialty], pk: int) -> list[int]:
    """A specialty and its subspecialties or areas."""
    return [pk, *(t.pk for t in vocab.by_id.values() if t.parent_id == pk)]


def _has_places() -> Case:
    return Case(
        When(accepting_mentees=True, active_mentees__lt=F("mentor_capacity"), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _has_term(
    qs: QuerySet[Profile], vocabulary: Vocabulary[Term], relation: str, code: str
) -> QuerySet[Profile]:
    """Profiles linked to the term. While every term id of the vocabulary is below 63,
    each has a bit of its own and the profile's bit set answers exactly, without a
    join; otherwise the many-to-many table does."""
    term = vocabulary.by_code.get(code)
    if term is None:
        return qs.none()
    if max(vocabulary.by_id, default=0) < 63:
        return qs.filter(GreaterThan(F(f"{relation}_bits").bitand(term_bits([term.pk])), 0))
    return qs.filter(**{relation: term.pk})


def filtered_mentors(filters: SearchFilters, *, exclude: set[int]) -> QuerySet[Profile]:
    """Listed mentors matching the filters, minus the excluded people."""
    vocab = taxonomy()
    qs = listed_mentors().exclude(user_id__in=exclude) if exclude else listed_mentors()
    specialties = vocabulary_of(vocab, Specialty)
    if filters.specialty and filters.specialty in specialties.by_code:
        ids = _family_ids(specialties, specialties.by_code[filters.specialty].pk)
        # Secondary specialties: one uncorrelated subquery (hashed once), not one per row.
        others = Profile.other_specialties.through.objects.filter(specialty_id__in=ids)
        qs = qs.filter(Q(specialty_id__in=ids) | Q(pk__in=others.values("profile_id")))
    for name, (vocabulary, column) in {
        "career_stage": ("career-stages", "career_stage_id"),
        "province": ("provinces", "province_id"),
    }.items():
        code = getattr(filters, name)
        if code:
            term = vocab[vocabulary].by_code.get(code)
            qs = qs.filter(**{column: term.pk if term else -1})
    for name, (vocabulary, relation) in {
        "language": ("languages", "languages"),
        "interest": ("interests", "interests"),
        "goal": ("goals", "goals_offered"),
    }.items():
        code = getattr(filters, name)
        if code:
            qs = _has_term(qs, vocab[vocabulary], relation, code)
    if filters.modality:
        modalities = vocab["modalities"]
        chosen = modalities.by_code.get(filters.modality)
        either = modalities.by_code.get("either")
        if chosen is not None and chosen is not either and either is not None:
            qs = qs.filter(modality_id__in=[chosen.pk, either.pk])
    if filters.accepting:
        qs = qs.filter(accepting_mentees=True, active_mentees__lt=F("mentor_capacity"))
    return text_filter(qs, filters.q)


def _fit_estimate(me: Features, vocab: dict[str, Vocabulary[Term]]) -> Combinable:
    """A cheap SQL estimate of the engine's score, to choose the pool it ranks: plain
    columns and bit sets only, no join or subquery per row."""
    parts: list[Case] = []

    def add(points: int, condition: Q | GreaterThan) -> None:
        parts.append(
            Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())
        )

    specialties = vocabulary_of(vocab, Specialty)
    if me.specialty:
        mine = specialties.by_code[me.specialty].pk
        family = _family_ids(
            specialties, specialties.by_code[me.specialty_parent or me.specialty].pk
        )
        add(3, Q(specialty_id=mine))
        add(2, Q(specialty_id__in=family))
    if me.career_stage is not None:
        stages = vocabulary_of(vocab, CareerStage).by_id.values()
        senior = [t.pk for t in stages if t.ordinal >= me.career_stage]
        add(4, Q(career_stage_id__in=senior))
    if me.province:
        add(1, Q(province_id=vocab["provinces"].by_code[me.province].pk))
    for column, codes, points, vocabulary in (
        ("languages_bits", me.languages, 4, "languages"),
        ("goals_offered_bits", me.goals_sought, 2, "goals"),
        ("interests_bits", me.interests, 2, "interests"),
    ):
        if codes:
            bits = term_bits(vocab[vocabulary].ids(tuple(codes)))
            add(points, GreaterThan(F(column).bitand(bits), 0))
    if not parts:
        return Value(0)
    total: Combinable = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _must_rules(qs: QuerySet[Profile], me: Features, me_profile: Profile) -> QuerySet[Profile]:
    """Preferences set to "must" that the database can apply itself."""
    if me.prefers_other_institution == Importance.MUST and me_profile.institution.strip():
        qs = qs.exclude(institution__iexact=me_profile.institution.strip())
    if me.prefers_same_specialty == Importance.MUST and me.specialty:
        specialties = vocabulary_of(taxonomy(), Specialty)
        family = _family_ids(
            specialties, specialties.by_code[me.specialty_parent or me.specialty].pk
        )
        qs = qs.filter(specialty_id__in=family)
    return qs


def _rotation() -> Mod:
    day = dt.date.today().toordinal() % 10007
    return Mod(F("id") * 7919 + day, 10007)


def _labels(vocab: Vocabulary[Term], ids: set[int] | None) -> tuple[str, ...]:
    return tuple(sorted(vocab.by_id[i].label for i in ids or () if i in vocab.by_id))


def _label(vocab: Vocabulary[Term], pk: int | None) -> str:
    term = vocab.by_id.get(pk) if pk is not None else None
    return term.label if term is not None else ""


def search_mentors(viewer: User, filters: SearchFilters) -> SearchPage:
    """One page of mentors for ``viewer`` (signed in)."""
    vocab = taxonomy()
    exclude = excluded_user_ids(viewer) | inactive_user_ids() | {viewer.pk}
    me_profile = Profile.objects.only(*FEATURE_COLUMNS).filter(user_id=viewer.pk).first()
    me = features_of([me_profile], viewer=viewer)[me_profile.pk] if me_profile else None
    qs = filtered_mentors(filters, exclude=exclude)
    if me is not None and me_profile is not None:
        qs = _must_rules(qs, me, me_profile)
    ordered = qs.annotate(
        has_places=_has_places(),
        fit=_fit_estimate(me, vocab) if me else Value(0),
        rotation=_rotation(),
    ).order_by("-has_places", "-fit", "rotation", "id")
    # Order narrow rows first, then read the chosen few whole. Free text: the count comes
    # with the ordering (one pass over the text index instead of two); otherwise a
    # separate count keeps both scans of the covering index parallel.
    order: list[int] | None = None
    if filters.q and me is not None and (filters.page - 1) * PAGE_SIZE < POOL:
        head = list(ordered.annotate(total=Window(Count("id")))[:POOL].values_list("id", "total"))
        order = [pk for pk, _ in head]
        total = head[0][1] if head else 0
    else:
        total = qs.count()
    page = min(max(filters.page, 1), max(1, -(-total // PAGE_SIZE)))
    start = (page - 1) * PAGE_SIZE
    ranked = me is not None and start < POOL
    if order is None:
        window = ordered[:POOL] if ranked else ordered[start : start + PAGE_SIZE]
        order = list(window.values_list("id", flat=True))
    chosen = Profile.objects.select_related("user").only(*RESULT_COLUMNS).in_bulk(order)
    rows = [chosen[pk] for pk in order if pk in chosen]
    m2m = load_m2m([p.pk for p in rows], ("languages", "interests", "goals_offered"))
    features = features_of(rows, viewer=viewer, m2m=m2m)

    def results(shown: list[Profile], extra: dict[int, dict[str, Any]]) -> list[MentorResult]:
        visible = visible_fields(viewer, shown)
        return [
            MentorResult(
                profile=p,
                features=features[p.pk],
                visible=visible[p.pk],
                languages=_labels(vocab["languages"], m2m["languages"].get(p.pk)),
                goals_offered=_labels(vocab["goals"], m2m["goals_offered"].get(p.pk)),
                labels={
                    "stage": _label(vocab["career-stages"], p.career_stage_id),
                    "specialty": _label(vocab["specialties"], p.specialty_id),
                    "province": _label(vocab["provinces"], p.province_id),
                },
                **extra.get(p.pk, {}),
            )
            for p in shown
        ]

    if not ranked:
        return SearchPage(results(rows, {}), total, page, False, filters)

    assert me is not None
    by_id = {engine_id(features[p.pk]): p for p in rows}
    ranking = search_order(viewer, me, [features[p.pk] for p in rows])[start : start + PAGE_SIZE]
    language = translation.get_language() or "en"
    extra = {
        by_id[r.mentor_id].pk: {
            "score": r.score,
            "eligible": r.eligible,
            "why": why_line(r.reasons, language),
        }
        for r in ranking
    }
    shown = [by_id[r.mentor_id] for r in ranking]
    return SearchPage(results(shown, extra), total, page, True, filters)
