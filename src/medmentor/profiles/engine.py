"""Profiles as the matching engine's inputs: the one adapter, used by the mentor search
and by match rounds, so that both score pairs the same way.

The engine's reasons are short English phrases built from the labels we pass (already in
the reader's language); :func:`localize_reason` renders them in French.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.utils import translation

from medmentor.matching import Mentee, Mentor, Preference, Rules
from medmentor.profiles.features import Features
from medmentor.profiles.models import Gender, Importance, PracticeSetting
from medmentor.profiles.taxonomy import taxonomy, taxonomy_version

# Direct requests from the search follow the open community's rules: a mentor's career
# stage at or above the mentee's, a language in common when both state languages.
SEARCH_RULES = Rules(seniority="peer", require_shared_language=True, ranks_exclusive=False)

_IMPORTANCE = {
    Importance.NICE: 0.25,
    Importance.SOMEWHAT: 0.5,
    Importance.IMPORTANT: 0.75,
    Importance.VERY: 1.0,
    Importance.MUST: 1.0,
}


def _preference(attribute: str, values: frozenset[str], level: int) -> Preference | None:
    if not level or not values:
        return None
    return Preference(
        attribute,
        values,
        importance=_IMPORTANCE[Importance(level)],
        required=level == Importance.MUST,
    )


def engine_id(features: Features) -> str:
    """The id a person has in the engine: their user id (exclusions are by user)."""
    return str(features.user_id)


def _shared(f: Features) -> dict[str, Any]:
    """What mentees and mentors both bring (the engine's ``Participant``)."""
    return {
        "career_stage": f.career_stage,
        "specialty": f.specialty,
        "specialty_parent": f.specialty_parent,
        "province": f.province,
        "institution": f.institution,
        "department": f.department,
        "languages": f.languages,
        "interests": f.interests,
        "modality": f.modality,
        "cadence": f.cadence,
        "utc_offset": f.utc_offset,
        "gender": f.gender,
        "career_path": f.practice_setting,
    }


def as_mentee(f: Features) -> Mentee:
    preferences = [
        _preference(
            "gender", frozenset({f.gender}) if f.gender else frozenset(), f.prefers_same_gender
        ),
        _preference("language", f.languages, f.prefers_same_language),
    ]
    return Mentee(
        engine_id(f),
        goals=f.goals_sought,
        preferences=tuple(p for p in preferences if p is not None),
        confidentiality="institution" if f.prefers_other_institution and f.institution else None,
        **_shared(f),
    )


def as_mentor(f: Features) -> Mentor:
    return Mentor(engine_id(f), goals=f.goals_offered, capacity=max(f.capacity, 1), **_shared(f))


def engine_labels() -> dict[str, str]:
    """Code -> label in the active language, for the engine's reasons."""
    return dict(_engine_labels(translation.get_language() or "en", taxonomy_version()))


@functools.lru_cache(maxsize=8)
def _engine_labels(language: str, version: str) -> dict[str, str]:
    """Built once per language and taxonomy version in each process (every search and
    profile page needs them: some four hundred translated labels)."""
    labels: dict[str, str] = {}
    for vocabulary in taxonomy().values():
        for term in vocabulary.by_id.values():
            labels.setdefault(term.code, term.label)
    for choices in (Gender, PracticeSetting):
        for value, label in choices.choices:
            labels[str(value)] = str(label).lower()
    return labels


# The engine's phrases (medmentor/matching/explain.py and check.py) and their French.
_PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), t)
    for p, t in [
        (r"^both speak (?P<x>.+)$", "parle aussi {x}"),
        (r"^both prefer (?P<x>.+)$", "préfère aussi : {x}"),
        (r"^same meeting rhythm: (?P<x>.+)$", "même rythme de rencontres : {x}"),
        (r"^same career path: (?P<x>.+)$", "même parcours : {x}"),
        # as rounds stored them before 2026-11-25:
        (r"^both want (?P<x>.+) meetings$", "même rythme de rencontres : {x}"),
        (r"^both in (?P<x>.+)$", "aussi en {x}"),
        (r"^both (?P<x>.+)$", "même domaine : {x}"),
        (r"^related specialties \((?P<x>.+)\)$", "spécialités apparentées ({x})"),
        (r"^shared interests?: (?P<x>.+)$", "intérêts communs : {x}"),
        (r"^offers (?P<x>.+)$", "offre : {x}"),
        (r"^(?P<x>.+) mentor, as preferred$", "mentor ({x}), comme souhaité"),
        (r"^in (?P<x>.+), as preferred$", "en {x}, comme souhaité"),
        (r"^speaks (?P<x>.+), as preferred$", "parle {x}, comme souhaité"),
        (r"^same time zone$", "même fuseau horaire"),
        (r"^time zones (?P<x>.+) h apart$", "fuseaux horaires à {x} h d'écart"),
        (r"^from another institution, as asked$", "d'un autre établissement, comme demandé"),
        (r"^from another department, as asked$", "d'un autre département, comme demandé"),
        (r"^little stated in common$", "peu de points communs déclarés"),
        (r"^no shared language$", "aucune langue en commun"),
        (
            r"^mentor's career stage is not (?P<x>.+) the mentee's$",
            "étape de carrière moins avancée que la vôtre",
        ),
        (r"^required preference not met: (?P<x>.+)$", "ne répond pas à une exigence"),
        # what a peer circle's members share (medmentor/matching/circles/form.py):
        (r"^all speak (?P<x>.+)$", "parlent tous {x}"),
        (r"^all in (?P<x>.+) \(specialty family\)$", "tous en {x} (famille de spécialités)"),
        (
            r"^(?P<n>\d+) of (?P<of>\d+) in (?P<x>.+) \(specialty family\)$",
            "{n} sur {of} en {x} (famille de spécialités)",
        ),
        (r"^all in (?P<x>.+)$", "tous en {x}"),
        (r"^(?P<n>\d+) of (?P<of>\d+) on career path (?P<x>.+)$", "{n} sur {of} au parcours {x}"),
        (r"^(?P<n>\d+) of (?P<of>\d+) in (?P<x>.+)$", "{n} sur {of} en {x}"),
        (r"^same career stage \((?P<x>.+)\)$", "même étape de carrière ({x})"),
        (r"^similar career stages \((?P<x>.+)\)$", "étapes de carrière voisines ({x})"),
        (r"^all (?P<x>.+)$", "tous : {x}"),
    ]
]
_LIST_WORDS = [(re.compile(r" and "), " et "), (re.compile(r"(\d+) more"), r"\1 autres")]


@functools.lru_cache(maxsize=8)
def _label_translator(language: str, version: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """English labels -> ``language``'s, and one pattern finding any of them (longest
    first, so "Academic career and promotion" wins over its parts). ``version`` is the
    taxonomy's, so an edited term is picked up."""
    with translation.override("en"):
        english = engine_labels()
    with translation.override(language):
        local = engine_labels()
    table = {
        english[code]: local[code]
        for code in english
        if code in local and english[code] != local[code]
    }
    if not table:
        return None, {}
    alternatives = "|".join(re.escape(label) for label in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), table


def localize_reason(reason: str, language: str, *, english_labels: bool = False) -> str:
    """One engine reason in ``language`` (English as the engine wrote it, or French).

    The search writes its reasons with labels already in the reader's language; a match
    round stores them with English labels (``english_labels=True``), which are then
    translated too."""
    if not language.startswith("fr"):
        return reason
    for pattern, template in _PHRASES:
        match = pattern.match(reason)
        if match:
            value = match.groupdict().get("x", "")
            if english_labels:
                labels, table = _label_translator(language, taxonomy_version())
                if labels is not None:
                    value = labels.sub(lambda found: table[found.group(0)], value)  # noqa: B023 (used at once)
            for word, french in _LIST_WORDS:
                value = word.sub(french, value)
            return template.format(**{**match.groupdict(), "x": value})
    return reason


def why_line(reasons: tuple[str, ...], language: str, limit: int = 3) -> str:
    """The one-line "why" of a search result."""
    return " · ".join(localize_reason(r, language) for r in reasons[:limit])
