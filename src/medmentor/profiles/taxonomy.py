"""The taxonomy, read once per process: terms by id and by code for every vocabulary.

Terms change rarely (in the admin) and every search, form and API answer needs their
labels. Each process keeps the terms in memory, tagged with a version held in the shared
cache; an admin edit writes a new version (:func:`taxonomy_changed`) and every process
reloads on its next read. Reading costs one small cache lookup, no query.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast

from django.core.cache import cache

from medmentor.profiles.models import TAXONOMIES, Term

VERSION_KEY = "profiles:taxonomy:version"
NAME_OF = {model: name for name, model in TAXONOMIES.items()}

T = TypeVar("T", bound=Term)

_lock = threading.Lock()
_memo: tuple[str, dict[str, Vocabulary[Term]]] | None = None


@dataclass(frozen=True)
class Vocabulary(Generic[T]):
    """One vocabulary's terms, active and retired, by id and by code."""

    by_id: dict[int, T] = field(default_factory=dict)
    by_code: dict[str, T] = field(default_factory=dict)

    def ids(self, codes: list[str] | tuple[str, ...]) -> list[int]:
        return [self.by_code[c].pk for c in codes if c in self.by_code]

    def active(self) -> list[T]:
        return [t for t in self.by_id.values() if t.active]


def _load() -> dict[str, Vocabulary[Term]]:
    out = {}
    for name, model in TAXONOMIES.items():
        terms: list[Term] = list(model.objects.all())
        out[name] = Vocabulary({t.pk: t for t in terms}, {t.code: t for t in terms})
    return out


def vocabulary_of(vocab: Mapping[str, Vocabulary[Term]], model: type[T]) -> Vocabulary[T]:
    """``model``'s vocabulary in ``vocab`` (what :func:`taxonomy` returns), typed as its
    terms, for code that reads a model's own fields (a career stage's ``ordinal``, a
    specialty's ``parent_id``, a province's ``time_zone``)."""
    # Each vocabulary holds the terms of its model only (_load reads model.objects).
    return cast(Vocabulary[T], vocab[NAME_OF[model]])


def taxonomy() -> dict[str, Vocabulary[Term]]:
    """Every vocabulary, keyed like :data:`TAXONOMIES` (``specialties``, ``goals``...)."""
    global _memo
    version = cache.get(VERSION_KEY)
    memo = _memo
    if version is not None and memo is not None and memo[0] == version:
        return memo[1]
    with _lock:
        if version is None:
            version = uuid.uuid4().hex
            cache.set(VERSION_KEY, version, None)
        _memo = (version, _load())
        return _memo[1]


def taxonomy_version() -> str:
    """Changes whenever a term does: a key for anything cached that shows terms."""
    taxonomy()
    assert _memo is not None
    return _memo[0]


def taxonomy_changed() -> None:
    """Make every process reload the terms (called by the admin after an edit)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
