"""The taxonomy, read once per process: terms by id and by code for every vocabulary.

Terms change rarely (in the admin) and every search, form and API answer needs their
labels. Each process keeps the terms in memory, tagged with a version held in the shared
cache; an admin edit writes a new version (:func:`taxonomy_changed`) and every process
reloads on its next read.

Within a web request the version is looked up once, at the first read, and trusted for the
rest of the request (a search page reads the taxonomy some fifteen times: fifteen cache
round trips before). An edit made elsewhere is seen from the next request on; one made in
this request at once. Outside requests (task workers, commands) every read looks it up.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from asgiref.local import Local
from django.core.cache import cache

from medmentor.profiles.models import TAXONOMIES, Term

VERSION_KEY = "profiles:taxonomy:version"
NAME_OF = {model: name for name, model in TAXONOMIES.items()}

T = TypeVar("T", bound=Term)

_lock = threading.Lock()
_memo: tuple[str, dict[str, Vocabulary[Term]]] | None = None
# The request being served by this thread (or coroutine): whether one is, and the version
# it has read.
_request = Local()


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


def request_started(**kwargs: Any) -> None:
    """A request begins (the ``request_started`` signal): look the version up once more."""
    _request.serving = True
    _request.version = None


def request_finished(**kwargs: Any) -> None:
    """The request is over: reads outside requests look the version up every time."""
    _request.serving = False
    _request.version = None


def _current_version() -> str | None:
    if not getattr(_request, "serving", False):
        return cast(str | None, cache.get(VERSION_KEY))
    version: str | None = getattr(_request, "version", None)
    if version is None:
        version = cache.get(VERSION_KEY)
        _request.version = version
    return version


def taxonomy() -> dict[str, Vocabulary[Term]]:
    """Every vocabulary, keyed like :data:`TAXONOMIES` (``specialties``, ``goals``...)."""
    global _memo
    version = _current_version()
    memo = _memo
    if version is not None and memo is not None and memo[0] == version:
        return memo[1]
    with _lock:
        if version is None:
            version = uuid.uuid4().hex
            cache.set(VERSION_KEY, version, None)
            if getattr(_request, "serving", False):
                _request.version = version
        _memo = (version, _load())
        return _memo[1]


def taxonomy_version() -> str:
    """Changes whenever a term does: a key for anything cached that shows terms."""
    taxonomy()
    assert _memo is not None
    return _memo[0]


def taxonomy_changed() -> None:
    """Make every process reload the terms (called by the admin after an edit), this
    request included."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    if getattr(_request, "serving", False):
        _request.version = version
