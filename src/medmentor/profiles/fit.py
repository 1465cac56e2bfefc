"""How well a mentor fits a mentee, as the search ranks it: the engine's four-C scores and
reasons for the pairs a page shows (a profile, a request form, a request received), and
the search's order for a list of mentors (the request form's line-up).

Reads profiles in a constant number of queries and scores with the matching engine
(``rank_mentors`` through :mod:`medmentor.profiles.engine`), never by a formula of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import translation

from medmentor.matching import Components, RankedMentor, rank_mentors
from medmentor.profiles.engine import (
    SEARCH_RULES,
    as_mentee,
    as_mentor,
    engine_id,
    engine_labels,
    localize_reason,
)
from medmentor.profiles.features import FEATURE_COLUMNS, Features, features_of
from medmentor.profiles.models import Profile
from medmentor.profiles.visibility import Viewer


@dataclass(frozen=True)
class Fit:
    """One mentee and one mentor: the engine's score, its four Cs and its reasons (in the
    reader's language); ``eligible`` False when the pair breaks a rule of the search
    (then the reasons are the rules it breaks)."""

    score: float
    components: Components
    reasons: tuple[str, ...]
    eligible: bool


def daily_seed(viewer: Viewer) -> int:
    """Ties rotate from day to day, differently for each reader."""
    return dt.date.today().toordinal() * 100_003 + (viewer.pk or 0)


def search_order(
    viewer: Viewer, mentee: Features, mentors: Sequence[Features]
) -> list[RankedMentor]:
    """``mentors`` ranked for ``mentee`` as the search ranks them: places left first,
    then eligible, then the engine's score, ties rotating daily."""
    ranking = rank_mentors(
        as_mentee(mentee),
        [as_mentor(m) for m in mentors],
        rules=SEARCH_RULES,
        labels=engine_labels(),
        seed=daily_seed(viewer),
    )
    places = {engine_id(m): m.places_left for m in mentors}
    # Python's sort is stable: within each group the engine's order (score, then its
    # seeded tie-break) holds.
    return sorted(ranking, key=lambda r: (places[r.mentor_id] == 0, not r.eligible))


def features_by_user(viewer: Viewer, user_ids: Iterable[int]) -> dict[int, Features]:
    """The features of these people's profiles, by user id (those without a profile are
    absent); five queries whatever their number."""
    profiles = list(Profile.objects.only(*FEATURE_COLUMNS).filter(user_id__in=set(user_ids)))
    return {f.user_id: f for f in features_of(profiles, viewer=viewer).values()}


def _fit(ranked: RankedMentor, language: str) -> Fit:
    return Fit(
        score=ranked.score,
        components=ranked.components,
        reasons=tuple(localize_reason(r, language) for r in ranked.reasons),
        eligible=ranked.eligible,
    )


def fits(viewer: Viewer, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Fit]:
    """The fit of each (mentee user id, mentor user id) pair, as ``viewer`` may see the
    two (a personal field counts only if they may see it). Pairs where either has no
    profile are absent. A constant number of queries."""
    pairs = list(pairs)
    features = features_by_user(viewer, {pk for pair in pairs for pk in pair})
    by_mentee: dict[int, list[int]] = {}
    for mentee_id, mentor_id in pairs:
        if mentee_id in features and mentor_id in features and mentee_id != mentor_id:
            by_mentee.setdefault(mentee_id, []).append(mentor_id)
    language = translation.get_language() or "en"
    out: dict[tuple[int, int], Fit] = {}
    for mentee_id, mentor_ids in by_mentee.items():
        mentors = [features[pk] for pk in dict.fromkeys(mentor_ids)]
        for ranked in search_order(viewer, features[mentee_id], mentors):
            out[(mentee_id, int(ranked.mentor_id))] = _fit(ranked, language)
    return out


def fit_of(viewer: Viewer, mentee_id: int, mentor_id: int) -> Fit | None:
    """The fit of one pair (None when either has no profile)."""
    return fits(viewer, [(mentee_id, mentor_id)]).get((mentee_id, mentor_id))
