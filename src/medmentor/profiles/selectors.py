"""Reads: exclusions (reporting lines, conflicts, blocks), access to profiles,
completeness and the export of one's own profile."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.profiles.models import PERSONAL_FIELDS, Block, Profile, ReportingLine
from medmentor.profiles.visibility import Viewer, related_user_ids


def emails_of(user: User) -> set[str]:
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {user.email.lower(), *(e.lower() for e in verified)}


def _users_with_emails(emails: set[str]) -> set[int]:
    if not emails:
        return set()
    return set(
        User.objects.filter(
            Q(email__in=emails) | Q(emailaddress__email__in=emails, emailaddress__verified=True)
        ).values_list("pk", flat=True)
    )


# Each person's exclusions read so far inside ``exclusions_read_once`` (None outside).
_exclusions_read: ContextVar[dict[int, frozenset[int]] | None] = ContextVar(
    "exclusions_read", default=None
)


@contextmanager
def exclusions_read_once() -> Iterator[None]:
    """Within the block, :func:`excluded_user_ids` reads each person's exclusions once.
    For a page's reads only (the search, then whom it may ask): nothing inside may add
    or remove a reporting line or a block, or the later answers would miss it."""
    token = _exclusions_read.set({})
    try:
        yield
    finally:
        _exclusions_read.reset(token)


def excluded_user_ids(user: User) -> set[int]:
    """Everyone ``user`` must never find, request or be proposed to: both directions of
    every reporting line and conflict of interest (declared by user or e-mail address)
    and of every block. A handful of queries, whatever the numbers; none when already
    read inside :func:`exclusions_read_once`."""
    read = _exclusions_read.get()
    if read is not None and user.pk in read:
        return set(read[user.pk])
    excluded = _read_excluded_user_ids(user)
    if read is not None:
        read[user.pk] = frozenset(excluded)
    return excluded


def _read_excluded_user_ids(user: User) -> set[int]:
    emails = emails_of(user)
    excluded: set[int] = set()
    declared_emails: set[str] = set()
    lines = ReportingLine.objects.filter(
        Q(person=user) | Q(other=user) | Q(other_email__in=emails)
    ).values_list("person_id", "other_id", "other_email")
    for person_id, other_id, other_email in lines:
        if person_id != user.pk:
            excluded.add(person_id)
        elif other_id is not None:
            excluded.add(other_id)
        else:
            declared_emails.add(other_email.lower())
    excluded |= _users_with_emails(declared_emails)
    for blocker, blocked in Block.objects.filter(Q(blocker=user) | Q(blocked=user)).values_list(
        "blocker_id", "blocked_id"
    ):
        excluded.add(blocked if blocker == user.pk else blocker)
    excluded.discard(user.pk)
    return excluded


def is_excluded_pair(a: User, b: User) -> bool:
    """Whether ``a`` and ``b`` must never be paired (either direction)."""
    return b.pk in excluded_user_ids(a)


def excluded_pairs_among(user_ids: set[int]) -> set[frozenset[int]]:
    """Every excluded pair inside a group of people (for a match round): reporting lines,
    conflicts and blocks, either direction, in three queries."""
    pairs: set[frozenset[int]] = set()
    by_email: dict[str, set[int]] = {}
    lines = ReportingLine.objects.filter(person_id__in=user_ids).values_list(
        "person_id", "other_id", "other_email"
    )
    for person_id, other_id, other_email in lines:
        if other_id is not None:
            if other_id in user_ids:
                pairs.add(frozenset((person_id, other_id)))
        else:
            by_email.setdefault(other_email.lower(), set()).add(person_id)
    if by_email:
        owners = User.objects.filter(
            Q(email__in=by_email)
            | Q(emailaddress__email__in=by_email, emailaddress__verified=True),
            pk__in=user_ids,
        ).values_list("pk", "email", "emailaddress__email")
        for pk, email, other_email in owners:
            for address in {email, (other_email or "").lower()}:
                for person_id in by_email.get(address, ()):
                    if person_id != pk:
                        pairs.add(frozenset((person_id, pk)))
    blocks = Block.objects.filter(blocker_id__in=user_ids, blocked_id__in=user_ids)
    for blocker, blocked in blocks.values_list("blocker_id", "blocked_id"):
        pairs.add(frozenset((blocker, blocked)))
    return pairs


def get_profile_for_viewer(viewer: Viewer, profile_uuid: uuid.UUID) -> Profile:
    """The one access helper for someone's profile page: the owner always; others who are
    signed in when it is a listed mentor or someone they are related to (a matched
    partner, a fellow program member); never across a block. Otherwise 404."""
    if not viewer.is_authenticated:
        raise Http404
    profile = (
        Profile.objects.select_related(
            "user", "career_stage", "specialty", "province", "cadence", "modality"
        )
        .filter(uuid=profile_uuid, user__is_active=True)
        .first()
    )
    if profile is None:
        raise Http404
    if profile.user_id == viewer.pk:
        return profile
    blocked = Block.objects.filter(
        Q(blocker=viewer, blocked_id=profile.user_id)
        | Q(blocker_id=profile.user_id, blocked=viewer)
    ).exists()
    if blocked:
        raise Http404
    listed = profile.is_mentor and profile.is_complete
    if not (listed or related_user_ids(viewer.pk, [profile.user_id])):
        raise Http404
    return profile


def visible_profile_of(viewer: Viewer, user: User) -> Profile | None:
    """``user``'s profile when ``viewer`` may open its page (the rules of
    :func:`get_profile_for_viewer`), else None: for a link that must not lead to a 404."""
    profile_uuid = Profile.objects.filter(user=user).values_list("uuid", flat=True).first()
    if profile_uuid is None:
        return None
    try:
        return get_profile_for_viewer(viewer, profile_uuid)
    except Http404:
        return None


@dataclass(frozen=True)
class MissingItem:
    field: str
    label: str | Promise
    step: str


@dataclass(frozen=True)
class Completeness:
    done: int
    total: int
    missing: tuple[MissingItem, ...]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return not self.missing


def _checks(profile: Profile, counts: dict[str, int]) -> list[tuple[MissingItem, bool]]:
    def item(field: str, label: str | Promise, step: str, ok: bool) -> tuple[MissingItem, bool]:
        return MissingItem(field, label, step), ok

    checks = [
        item("display_name", _("your name as others see it"), "about", bool(profile.display_name)),
        item("career_stage", _("your career stage"), "about", profile.career_stage_id is not None),
        item("specialty", _("your specialty"), "about", profile.specialty_id is not None),
        item("institution", _("your institution"), "about", bool(profile.institution)),
        item("province", _("your province or territory"), "about", profile.province_id is not None),
        item("languages", _("the languages you speak"), "about", counts["languages"] > 0),
        item(
            "roles",
            _("whether you seek a mentor, offer to mentor, or both"),
            "roles",
            profile.is_mentee or profile.is_mentor,
        ),
    ]
    if profile.is_mentee:
        checks.append(
            item("goals_sought", _("what you seek from a mentor"), "roles", counts["sought"] > 0)
        )
    if profile.is_mentor:
        checks.append(
            item("goals_offered", _("what you offer as a mentor"), "roles", counts["offered"] > 0)
        )
    checks += [
        item("interests", _("your interest areas"), "interests", counts["interests"] > 0),
        item("bio", _("a few words about you"), "interests", bool(profile.bio.strip())),
        item(
            "cadence",
            _("how often you would like to meet"),
            "availability",
            profile.cadence_id is not None,
        ),
        item(
            "modality", _("in person or virtual"), "availability", profile.modality_id is not None
        ),
        item("time_zone", _("your time zone"), "availability", bool(profile.time_zone)),
    ]
    return checks


def profile_completeness(profile: Profile, counts: dict[str, int] | None = None) -> Completeness:
    """What is done and what is missing, each missing item with the step to fill it in.

    ``counts`` (``languages``, ``interests``, ``sought``, ``offered``) saves the queries
    when the caller already holds the profile's terms in memory."""
    if counts is None:
        counts = {
            "languages": profile.languages.count(),
            "interests": profile.interests.count(),
            "sought": profile.goals_sought.count() if profile.is_mentee else 0,
            "offered": profile.goals_offered.count() if profile.is_mentor else 0,
        }
    checks = _checks(profile, counts)
    missing = tuple(m for m, ok in checks if not ok)
    return Completeness(done=len(checks) - len(missing), total=len(checks), missing=missing)


@dataclass(frozen=True)
class LineRow:
    """One line as the person reads it on their own list."""

    line: ReportingLine
    other: str  # whom they named; empty for a coordinator's line (never shown who)
    added_by: str  # "You", who added it, or "Added by a coordinator of <program>"
    kind: str
    removable: bool  # their own declaration; a coordinator's only a coordinator removes

    @property
    def by_coordinator(self) -> bool:
        return self.line.by_coordinator


def _coordinator_lines_about(user: User) -> QuerySet[ReportingLine]:
    """Coordinators' lines in which ``user`` is either side (pending ones by address)."""
    return ReportingLine.objects.filter(
        Q(person=user) | Q(other=user) | Q(other__isnull=True, other_email__in=emails_of(user)),
        source=ReportingLine.Source.COORDINATOR,
    ).select_related("program")


@dataclass(frozen=True)
class MemberLines:
    own: list[LineRow]
    by_coordinators: list[LineRow]

    def __iter__(self) -> Iterator[LineRow]:
        return iter([*self.own, *self.by_coordinators])

    def __len__(self) -> int:
        return len(self.own) + len(self.by_coordinators)


def reporting_lines_of(user: User) -> MemberLines:
    """The person's own reporting lines and conflicts, each with who added it as the
    person reads it ("You" for their own, else the name of who did), then the lines a
    program's coordinators entered about them, on either side: only the program and the
    kind, never who the other person is."""
    own = (
        ReportingLine.objects.filter(person=user)
        .exclude(source=ReportingLine.Source.COORDINATOR)
        .select_related("other__profile", "added_by")
    )
    rows: list[LineRow] = []
    for line in own:
        if line.added_by_id == user.pk or (line.added_by is None and line.source == "self"):
            label = str(_("You"))
        elif line.added_by is not None:
            label = line.added_by.get_full_name()
        else:  # who added it has left: say what kind of person did
            label = line.get_source_display()
        rows.append(LineRow(line, line.named_other, label, line.get_kind_display(), True))
    coordinators = [
        LineRow(line, "", line.coordinator_label, line.neutral_kind_label, False)
        for line in _coordinator_lines_about(user)
    ]
    return MemberLines(own=rows, by_coordinators=coordinators)


def display_name_of(user: User) -> str:
    """How one person is shown to another: their display name, else their name, never
    their address ("Former member" for one who left)."""
    if user.is_former_member:
        return str(user)
    profile = Profile.objects.filter(user=user).only("display_name").first()
    return (profile.display_name if profile else "") or user.name


def display_names_of(users: Iterable[User]) -> dict[int, str]:
    """:func:`display_name_of` for many people in one query: user id -> name."""
    people = list(users)
    shown = dict(
        Profile.objects.filter(user__in=[u for u in people if not u.is_former_member])
        .exclude(display_name="")
        .values_list("user_id", "display_name")
    )
    return {u.pk: str(u) if u.is_former_member else shown.get(u.pk) or u.name for u in people}


def _codes(manager: Any) -> list[str]:
    return sorted(manager.values_list("code", flat=True))


def profile_export(profile: Profile) -> dict[str, Any]:
    """Everything MedMentor holds about the person's profile, for them to download
    (PIPEDA: people can see and take their own data)."""
    lines = (
        ReportingLine.objects.filter(person=profile.user)
        .exclude(source=ReportingLine.Source.COORDINATOR)
        .select_related("other__profile")
    )
    blocks = Block.objects.filter(blocker=profile.user).select_related("blocked")

    def code(term: Any) -> str | None:
        return term.code if term is not None else None

    return {
        "uuid": str(profile.uuid),
        "email": profile.user.email,
        "display_name": profile.display_name,
        "pronouns": profile.pronouns,
        "career_stage": code(profile.career_stage),
        "specialty": code(profile.specialty),
        "other_specialties": _codes(profile.other_specialties),
        "institution": profile.institution,
        "department": profile.department,
        "practice_setting": profile.practice_setting,
        "province": code(profile.province),
        "city": profile.city,
        "languages": _codes(profile.languages),
        "interests": _codes(profile.interests),
        "bio": profile.bio,
        "is_mentee": profile.is_mentee,
        "is_mentor": profile.is_mentor,
        "goals_sought": _codes(profile.goals_sought),
        "seeking": profile.seeking,
        "goals_offered": _codes(profile.goals_offered),
        "offering": profile.offering,
        "mentor_capacity": profile.mentor_capacity,
        "accepting_mentees": profile.accepting_mentees,
        "cadence": code(profile.cadence),
        "modality": code(profile.modality),
        "time_zone": profile.time_zone,
        "preferences": {
            "same_gender": profile.prefers_same_gender,
            "same_language": profile.prefers_same_language,
            "other_institution": profile.prefers_other_institution,
            "same_specialty": profile.prefers_same_specialty,
        },
        "gender": profile.gender,
        "identities": _codes(profile.identities),
        "has_photo": bool(profile.photo),
        "visibility": {field: profile.visibility_of(field) for field in PERSONAL_FIELDS},
        "reporting_lines": [
            {
                "other": line.other_label,
                "kind": line.kind,
                "note": line.note,
                "source": line.source,
                "created_at": line.created_at.isoformat(),
            }
            for line in lines
        ]
        + [
            # A coordinator's line: the kind and who entered it, never the other person.
            {
                "other": "",
                "kind": line.kind,
                "source": line.source,
                "added_by": line.coordinator_label,
                "created_at": line.created_at.isoformat(),
            }
            for line in _coordinator_lines_about(profile.user)
        ],
        "blocked": [display_name_of(block.blocked) for block in blocks],
        "created_at": profile.created_at.isoformat(),
        "updated_at": profile.updated_at.isoformat(),
    }


# What a program's equity report groups people by.
EQUITY_SINGLE = ("career_stage", "gender", "province", "specialty_family")
EQUITY_MULTIPLE = ("languages", "identities")


def equity_attributes(users: QuerySet[Any]) -> dict[str, dict[int, tuple[str, ...]]]:
    """For the users in ``users`` (a query of user ids), by attribute then user id: the
    codes of their career stage, gender, province, specialty family (a subspecialty counts
    with its specialty), languages and self-identifications. A person who did not say is
    absent. Only for sums of five people or more."""
    facts: dict[str, dict[int, tuple[str, ...]]] = {
        field: {} for field in (*EQUITY_SINGLE, *EQUITY_MULTIPLE)
    }
    rows = Profile.objects.filter(user_id__in=users).values_list(
        "user_id",
        "career_stage__code",
        "gender",
        "province__code",
        Coalesce("specialty__parent__code", "specialty__code"),
    )
    for user_id, *values in rows:
        for field, value in zip(EQUITY_SINGLE, values, strict=True):
            if value:
                facts[field][user_id] = (value,)
    lists_of = (
        ("languages", Profile.languages.through, "language__code"),
        ("identities", Profile.identities.through, "identity__code"),
    )
    for field, through, code_of in lists_of:
        pairs = through.objects.filter(profile__user_id__in=users).values_list(
            "profile__user_id", code_of
        )
        lists: dict[int, list[str]] = defaultdict(list)
        for user_id, code in pairs:
            lists[user_id].append(code)
        facts[field] = {user_id: tuple(sorted(codes)) for user_id, codes in lists.items()}
    return facts


def profile_section(user: User) -> dict[str, Any] | None:
    """The profile in a person's export of their data (None: they have none)."""
    profile = Profile.objects.filter(user=user).first()
    return profile_export(profile) if profile else None
