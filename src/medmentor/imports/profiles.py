"""Writing imported rows into profiles, in bulk.

Every value is worked out in memory first, the derived ones included (search text, term
bit sets, completeness: what ``profiles.services`` keeps), so that a new profile is
written once by ``bulk_create`` and an existing one is updated only in the fields that
changed. A re-import of an unchanged file writes no profile at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.profiles.features import M2M, load_m2m
from medmentor.profiles.models import Profile, Term
from medmentor.profiles.services import profile_derive
from medmentor.profiles.taxonomy import Vocabulary
from medmentor.programs.models import Role

# Profile columns a row sets (when its cell is filled in) and the vocabulary of each.
FK_COLUMNS = {
    "career_stage": "career-stages",
    "specialty": "specialties",
    "province": "provinces",
    "modality": "modalities",
}
DIRECT_FIELDS = (
    "career_stage_id",
    "specialty_id",
    "province_id",
    "modality_id",
    "institution",
    "display_name",
    "is_mentor",
    "is_mentee",
    "mentor_capacity",
)
DERIVED_FIELDS = (
    "search_text",
    "languages_bits",
    "interests_bits",
    "goals_offered_bits",
    "is_complete",
)
RELATIONS = ("languages", "interests", "goals_sought", "goals_offered")


def term_id(
    vocab: Mapping[str, Vocabulary[Term]], vocabulary: str, code: str, row: int, column: str
) -> int:
    term = vocab[vocabulary].by_code.get(code)
    if term is None or not term.active:
        # A term retired in the admin between the preview and the confirmation.
        raise ValidationError(
            _("Row %(row)d, column %(column)s: “%(code)s” is no longer a known code.")
            % {"row": row, "column": column, "code": code}
        )
    return int(term.pk)


@dataclass
class _Pending:
    profile: Profile
    user: User
    relations: dict[str, set[int]]
    other_specialties: set[int]
    replaced: set[str] = field(default_factory=set)  # relations the row sets


def _derive(item: _Pending) -> None:
    profile_derive(
        item.profile,
        user_name=item.user.name,
        other_specialty_ids=item.other_specialties,
        terms=item.relations,
    )


def _apply_row(item: _Pending, row: dict[str, Any], vocab: Mapping[str, Vocabulary[Term]]) -> None:
    p, number = item.profile, row["row"]
    for column, vocabulary in FK_COLUMNS.items():
        if row[column]:
            setattr(p, f"{column}_id", term_id(vocab, vocabulary, row[column], number, column))
    if row["institution"]:
        p.institution = row["institution"]
    if not p.display_name:
        p.display_name = row["name"]
    if Role.MENTOR in row["roles"]:
        p.is_mentor = True
        p.mentor_capacity = row["capacity"]
    if Role.MENTEE in row["roles"]:
        p.is_mentee = True
    languages = row["languages"] or ([row["language"]] if row["language"] else [])
    wanted: dict[str, list[str]] = {"languages": languages, "interests": row["interests"]}
    if Role.MENTEE in row["roles"]:
        wanted["goals_sought"] = row["goals"]
    if Role.MENTOR in row["roles"]:
        wanted["goals_offered"] = row["goals"]
    vocabularies = {"languages": "languages", "interests": "interests"}
    for name, codes in wanted.items():
        if codes:
            column = "goals" if name.startswith("goals") else name
            vocabulary = vocabularies.get(name, "goals")
            ids = {term_id(vocab, vocabulary, code, number, column) for code in codes}
            if ids != item.relations[name]:
                item.relations[name] = ids
                item.replaced.add(name)


def profiles_apply(
    rows: list[dict[str, Any]], users: dict[str, User], vocab: Mapping[str, Vocabulary[Term]]
) -> None:
    """Create or update the profile of each row's person from its filled-in cells."""
    existing = {p.user_id: p for p in Profile.objects.filter(user__in=users.values())}
    ids = [p.pk for p in existing.values()]
    stored = load_m2m(ids, RELATIONS)
    others: dict[int, set[int]] = {}
    through = Profile.other_specialties.through
    for pid, sid in through.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "specialty_id"
    ):
        others.setdefault(pid, set()).add(sid)
    created: list[_Pending] = []
    updated: list[tuple[_Pending, list[str]]] = []
    for row in rows:
        user = users[row["email"]]
        profile = existing.get(user.pk)
        if profile is None:
            profile = Profile(user=user, display_name=user.name)
            item = _Pending(profile, user, {n: set() for n in RELATIONS}, set())
        else:
            item = _Pending(
                profile,
                user,
                {n: set(stored[n].get(profile.pk, ())) for n in RELATIONS},
                others.get(profile.pk, set()),
            )
        before = {f: getattr(profile, f) for f in (*DIRECT_FIELDS, *DERIVED_FIELDS)}
        _apply_row(item, row, vocab)
        _derive(item)
        if profile.pk is None:
            created.append(item)
        else:
            changed = [f for f, value in before.items() if getattr(profile, f) != value]
            updated.append((item, changed))
    Profile.objects.bulk_create([item.profile for item in created], batch_size=500)
    changed_fields = sorted({f.removesuffix("_id") for _, fields in updated for f in fields})
    to_update = [item.profile for item, fields in updated if fields]
    if to_update:
        Profile.objects.bulk_update(to_update, changed_fields, batch_size=500)
    _write_relations(created, [item for item, _ in updated])


def _write_relations(created: list[_Pending], updated: list[_Pending]) -> None:
    for name in RELATIONS:
        through = getattr(Profile, name).through
        column = M2M[name]  # the through table's term column, e.g. "language_id"
        replaced = [item for item in updated if name in item.replaced]
        if replaced:
            through.objects.filter(profile_id__in=[i.profile.pk for i in replaced]).delete()
        through.objects.bulk_create(
            (
                through(profile_id=item.profile.pk, **{column: term})
                for item in [*created, *replaced]
                for term in sorted(item.relations[name])
            ),
            batch_size=500,
        )
