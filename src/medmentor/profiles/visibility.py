"""Who may see a person's optional personal fields.

Each of :data:`PERSONAL_FIELDS` (gender, pronouns, city, photo, self-identification) has
its own :class:`Visibility`, private by default. ``private`` and ``members`` (everyone
signed in) are decided here. ``matched`` and ``programs`` depend on relationships that
other apps own (mentorships, program memberships): those apps register a
:data:`RelationCheck` for the level with :func:`register_relation` in their
``AppConfig.ready``; until one is registered, nobody is related and those levels show
the field to its owner only.

Every page, API answer and search result goes through :func:`visible_fields`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from django.contrib.auth.models import AnonymousUser

from medmentor.accounts.models import User
from medmentor.profiles.models import PERSONAL_FIELDS, Profile, Visibility

Viewer = User | AnonymousUser
# (viewer's user id, owners' user ids) -> the owners related to the viewer at that level.
RelationCheck = Callable[[int, Collection[int]], set[int]]

_relations: dict[str, list[RelationCheck]] = {Visibility.MATCHED: [], Visibility.PROGRAMS: []}


def register_relation(level: str, check: RelationCheck) -> None:
    """Let another app say who is related at ``level`` (``matched`` or ``programs``)."""
    if level not in _relations:
        raise ValueError(f"no relation can be registered for visibility {level!r}")
    if check not in _relations[level]:
        _relations[level].append(check)


def related_user_ids(
    viewer_id: int, owner_ids: Collection[int], level: str = "programs"
) -> set[int]:
    """The owners related to the viewer at ``level`` by a registered check."""
    # Someone matched with the viewer is also covered by "programs" (its label says so).
    levels = [Visibility.MATCHED] if level == Visibility.MATCHED else list(_relations)
    related: set[int] = set()
    for name in levels:
        for check in _relations[name]:
            related |= check(viewer_id, owner_ids)
    return related


def visible_fields(viewer: Viewer, profiles: Iterable[Profile]) -> dict[int, frozenset[str]]:
    """For each profile (by pk), the personal fields ``viewer`` may see. No query unless
    a profile uses a relationship level and another app registered a check for it."""
    profiles = list(profiles)
    if not viewer.is_authenticated:
        return {p.pk: frozenset() for p in profiles}
    pending: dict[str, set[int]] = {}
    for p in profiles:
        for field in PERSONAL_FIELDS:
            level = p.visibility_of(field)
            if level in _relations and p.user_id != viewer.pk:
                pending.setdefault(level, set()).add(p.user_id)
    related = {
        level: related_user_ids(viewer.pk, owners, level) for level, owners in pending.items()
    }
    out: dict[int, frozenset[str]] = {}
    for p in profiles:
        allowed = set()
        for field in PERSONAL_FIELDS:
            level = p.visibility_of(field)
            if (
                p.user_id == viewer.pk
                or level == Visibility.MEMBERS
                or p.user_id in related.get(level, ())
            ):
                allowed.add(field)
        out[p.pk] = frozenset(allowed)
    return out


def can_see_field(viewer: Viewer, profile: Profile, field: str) -> bool:
    """Whether ``viewer`` may see ``field`` of ``profile``. Fields that are not personal
    (name, specialty, what they offer...) are visible to everyone signed in."""
    if not viewer.is_authenticated:
        return False
    if field not in PERSONAL_FIELDS:
        return True
    return field in visible_fields(viewer, [profile])[profile.pk]
