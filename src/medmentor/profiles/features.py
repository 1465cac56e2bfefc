"""Profiles as plain features (codes, sets, numbers): the one place that reads what the
matching engine and the search need, in a constant number of queries.

``medmentor.profiles.engine`` turns these into the engine's inputs; match rounds (issue 6)
reuse both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from medmentor.profiles.models import CareerStage, Profile, Specialty, Term, Visibility
from medmentor.profiles.taxonomy import Vocabulary, taxonomy, vocabulary_of
from medmentor.profiles.visibility import Viewer, visible_fields

# The profile columns the features need (for ``QuerySet.only``).
FEATURE_COLUMNS = (
    "id",
    "user_id",
    "career_stage_id",
    "specialty_id",
    "province_id",
    "institution",
    "department",
    "practice_setting",
    "cadence_id",
    "modality_id",
    "time_zone",
    "gender",
    "gender_visibility",
    "pronouns_visibility",
    "city_visibility",
    "photo_visibility",
    "identities_visibility",
    "mentor_capacity",
    "active_mentees",
    "accepting_mentees",
    "is_mentor",
    "prefers_same_gender",
    "prefers_same_language",
    "prefers_other_institution",
    "prefers_same_specialty",
)
M2M = {
    "languages": "language_id",
    "interests": "interestarea_id",
    "goals_sought": "goal_id",
    "goals_offered": "goal_id",
}


@dataclass(frozen=True)
class Features:
    profile_id: int
    user_id: int
    career_stage: int | None  # the stage's seniority ordinal
    specialty: str | None
    specialty_parent: str | None
    province: str | None
    institution: str | None  # lower-cased, for comparisons
    department: str | None
    practice_setting: str | None
    languages: frozenset[str]
    interests: frozenset[str]
    goals_sought: frozenset[str]
    goals_offered: frozenset[str]
    modality: str | None
    cadence: str | None
    utc_offset: float | None
    gender: str | None  # only when the reader may see it
    capacity: int
    places_left: int
    prefers_same_gender: int
    prefers_same_language: int
    prefers_other_institution: int
    prefers_same_specialty: int


def load_m2m(
    profile_ids: Iterable[int], names: Iterable[str] = tuple(M2M)
) -> dict[str, dict[int, set[int]]]:
    """Term ids of each many-to-many field for many profiles: one query per field."""
    ids = list(profile_ids)
    out: dict[str, dict[int, set[int]]] = {}
    for name in names:
        through = getattr(Profile, name).through
        rows = through.objects.filter(profile_id__in=ids).values_list("profile_id", M2M[name])
        per: dict[int, set[int]] = {}
        for pid, tid in rows:
            per.setdefault(pid, set()).add(tid)
        out[name] = per
    return out


def utc_offset(time_zone: str, when: dt.datetime | None = None) -> float | None:
    if not time_zone:
        return None
    when = when or dt.datetime.now(dt.UTC)
    offset = when.astimezone(ZoneInfo(time_zone)).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else None


def _code(vocab: Vocabulary[Term], pk: int | None) -> str | None:
    term = vocab.by_id.get(pk) if pk is not None else None
    return term.code if term is not None else None


def _codes(vocab: Vocabulary[Term], ids: Iterable[int]) -> frozenset[str]:
    return frozenset(vocab.by_id[i].code for i in ids if i in vocab.by_id)


def features_of(
    profiles: Sequence[Profile],
    *,
    viewer: Viewer | None,
    m2m: dict[str, dict[int, set[int]]] | None = None,
) -> dict[int, Features]:
    """Features of ``profiles`` (by pk). ``viewer`` is the person reading (the search):
    a personal field such as gender is used only if that person may see it. ``None`` is
    a program's match round: gender is used if the person shares it with programs."""
    vocab = taxonomy()
    m2m = m2m if m2m is not None else load_m2m(p.pk for p in profiles)
    shown = visible_fields(viewer, profiles) if viewer is not None else {}
    for_programs = {Visibility.PROGRAMS, Visibility.MEMBERS}
    now = dt.datetime.now(dt.UTC)
    stages, specialties = vocabulary_of(vocab, CareerStage), vocabulary_of(vocab, Specialty)
    out = {}
    for p in profiles:
        stage = stages.by_id.get(p.career_stage_id) if p.career_stage_id else None
        specialty = specialties.by_id.get(p.specialty_id) if p.specialty_id else None
        parent = (
            specialties.by_id.get(specialty.parent_id)
            if specialty and specialty.parent_id
            else None
        )
        gender_ok = (
            "gender" in shown.get(p.pk, ())
            if viewer is not None
            else p.gender_visibility in for_programs
        )
        out[p.pk] = Features(
            profile_id=p.pk,
            user_id=p.user_id,
            career_stage=stage.ordinal if stage is not None else None,
            specialty=specialty.code if specialty else None,
            specialty_parent=parent.code if parent else None,
            province=_code(vocab["provinces"], p.province_id),
            institution=p.institution.strip().lower() or None,
            department=p.department.strip().lower() or None,
            practice_setting=p.practice_setting or None,
            languages=_codes(vocab["languages"], m2m["languages"].get(p.pk, ())),
            interests=_codes(vocab["interests"], m2m["interests"].get(p.pk, ())),
            goals_sought=_codes(vocab["goals"], m2m.get("goals_sought", {}).get(p.pk, ())),
            goals_offered=_codes(vocab["goals"], m2m.get("goals_offered", {}).get(p.pk, ())),
            modality=_code(vocab["modalities"], p.modality_id),
            cadence=_code(vocab["cadences"], p.cadence_id),
            utc_offset=utc_offset(p.time_zone, now),
            gender=(p.gender or None) if gender_ok else None,
            capacity=p.mentor_capacity,
            places_left=p.places_left,
            prefers_same_gender=p.prefers_same_gender,
            prefers_same_language=p.prefers_same_language,
            prefers_other_institution=p.prefers_other_institution,
            prefers_same_specialty=p.prefers_same_specialty,
        )
    return out


def with_feature_columns(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    return queryset.only(*FEATURE_COLUMNS)
