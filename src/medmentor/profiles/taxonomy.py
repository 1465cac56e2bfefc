"""The taxonomy, read once and cached: terms by id and by code for every vocabulary.

Terms change rarely (in the admin, which clears the cache), and every search, form and
API answer needs their labels; caching them keeps those pages free of per-term queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache

from medmentor.profiles.models import TAXONOMIES, Term

CACHE_KEY = "profiles:taxonomy:v1"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Vocabulary:
    """One vocabulary's terms, active and retired, by id and by code."""

    by_id: dict[int, Term] = field(default_factory=dict)
    by_code: dict[str, Term] = field(default_factory=dict)

    def ids(self, codes: list[str] | tuple[str, ...]) -> list[int]:
        return [self.by_code[c].pk for c in codes if c in self.by_code]

    def active(self) -> list[Term]:
        return [t for t in self.by_id.values() if t.active]


def _load() -> dict[str, Vocabulary]:
    out = {}
    for name, model in TAXONOMIES.items():
        terms = list(model.objects.all())
        out[name] = Vocabulary({t.pk: t for t in terms}, {t.code: t for t in terms})
    return out


def taxonomy() -> dict[str, Vocabulary]:
    """Every vocabulary, keyed like :data:`TAXONOMIES` (``specialties``, ``goals``...)."""
    return cache.get_or_set(CACHE_KEY, _load, CACHE_SECONDS)


def taxonomy_changed() -> None:
    """Forget the cached terms (called by the admin after an edit)."""
    cache.delete(CACHE_KEY)
