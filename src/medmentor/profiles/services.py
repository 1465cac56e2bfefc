"""Writes: profiles, photos, reporting lines and blocks (each in one transaction)."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.profiles.models import (
    Block,
    Language,
    Profile,
    ReportingLine,
    Term,
    term_bits,
)
from medmentor.profiles.selectors import emails_of, profile_completeness
from medmentor.profiles.taxonomy import taxonomy

PHOTO_SIDE = 600  # stored photos are at most this many pixels wide and high
# What a reporting line's columns hold (longer would be a database error on PostgreSQL).
LINE_EMAIL_MAX = ReportingLine._meta.get_field("other_email").max_length or 254
LINE_NOTE_MAX = ReportingLine._meta.get_field("note").max_length or 200

DERIVED_FIELDS = (
    "search_text",
    "is_complete",
    "languages_bits",
    "interests_bits",
    "goals_offered_bits",
)
M2M_FIELDS = (
    "other_specialties",
    "languages",
    "interests",
    "goals_sought",
    "goals_offered",
    "identities",
)


def normalize_text(text: str) -> str:
    """Lower case without accents, so "Québec" and "quebec" find each other."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_text_for(
    *,
    names: Iterable[str],
    bio: str,
    offering: str,
    specialty_ids: Iterable[int],
    interest_ids: Iterable[int],
    goal_offered_ids: Iterable[int],
) -> str:
    """What the free-text search looks in: names, bio, what the person offers and the
    labels (both languages) of their specialties, interests and goals offered. Never a
    personal field (city, gender, pronouns, self-identification)."""
    vocab = taxonomy()
    parts = [*names, bio, offering]
    for name, ids in (
        ("specialties", specialty_ids),
        ("interests", interest_ids),
        ("goals", goal_offered_ids),
    ):
        for pk in ids:
            term = vocab[name].by_id.get(pk)
            if term is not None:
                parts += [term.label_en, term.label_fr]
    return normalize_text(" ".join(p for p in parts if p))


def profile_derive(
    profile: Profile,
    *,
    user_name: str,
    other_specialty_ids: Iterable[int],
    terms: Mapping[str, Iterable[int]],
) -> None:
    """Set the fields kept from the others: search text, term bit sets, completeness.

    ``terms`` holds the ids of ``languages``, ``interests``, ``goals_sought`` and
    ``goals_offered``; callers that have them in memory (the CSV import) pass them
    instead of reading them back."""
    languages, interests = list(terms["languages"]), sorted(terms["interests"])
    sought = list(terms["goals_sought"]) if profile.is_mentee else []
    offered = sorted(terms["goals_offered"]) if profile.is_mentor else []
    specialty_ids = [profile.specialty_id] if profile.specialty_id else []
    specialty_ids += sorted(other_specialty_ids)
    profile.search_text = search_text_for(
        names=[profile.display_name, user_name],
        bio=profile.bio,
        offering=profile.offering if profile.is_mentor else "",
        specialty_ids=specialty_ids,
        interest_ids=interests,
        goal_offered_ids=offered,
    )
    profile.languages_bits = term_bits(languages)
    profile.interests_bits = term_bits(interests)
    profile.goals_offered_bits = term_bits(offered)
    counts = {
        "languages": len(languages),
        "interests": len(interests),
        "sought": len(sought),
        "offered": len(offered),
    }
    profile.is_complete = profile_completeness(profile, counts).complete


def _refresh(profile: Profile) -> None:
    profile_derive(
        profile,
        user_name=profile.user.name,
        other_specialty_ids=profile.other_specialties.values_list("pk", flat=True),
        terms={
            name: getattr(profile, name).values_list("pk", flat=True)
            for name in ("languages", "interests", "goals_sought", "goals_offered")
        },
    )


@transaction.atomic
def profile_get_or_create(*, user: User) -> Profile:
    """The user's profile, created on first use with their name and language; reporting
    lines others declared by e-mail are linked to the account."""
    # The single terms come along: every step's form shows them (no query each).
    profile, created = Profile.objects.select_related(
        "user", "career_stage", "specialty", "province", "cadence", "modality"
    ).get_or_create(user=user, defaults={"display_name": user.name})
    if created:
        language = Language.objects.filter(code=user.language).first()
        if language is not None:
            profile.languages.add(language)
        ReportingLine.objects.filter(other=None, other_email__in=emails_of(user)).exclude(
            person=user
        ).update(other=user)
        _refresh(profile)
        profile.save()
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, data: Mapping[str, Any], by: User | None = None) -> Profile:
    """Apply validated values (a form's ``cleaned_data``) to the profile; a change of the
    person's roles is logged (by themselves unless ``by`` says who)."""
    roles_before = (profile.is_mentee, profile.is_mentor)
    for name, value in data.items():
        if name in M2M_FIELDS or name == "photo":
            continue
        setattr(profile, name, value)
    profile.save()
    _name_everywhere(profile)
    for name in M2M_FIELDS:
        if name in data:
            getattr(profile, name).set(data[name])
    _refresh(profile)
    profile.save(update_fields=[*DERIVED_FIELDS, "updated_at"])
    if (profile.is_mentee, profile.is_mentor) != roles_before:
        roles = [name for name in ("mentee", "mentor") if getattr(profile, f"is_{name}")]
        access_log(
            actor=by or profile.user,
            action=Action.CHANGE,
            what=What.ROLES,
            subjects=[profile.user],
            detail=", ".join(roles) or "-",
        )
    return profile


def _name_everywhere(profile: Profile) -> None:
    """The display name is the person's one name: the account carries it too, so that every
    page and e-mail that names a user (a partner, a coordinator) shows the same words."""
    name = " ".join(profile.display_name.split())
    if name and profile.user.name != name:
        profile.user.name = name
        profile.user.save(update_fields=["name"])


@transaction.atomic
def profile_step_save(
    *,
    profile: Profile,
    data: Mapping[str, Any],
    photo: UploadedFile[bytes] | None = None,
    remove_photo: bool = False,
) -> Profile:
    """One step of the profile's form: its values and, on the privacy step, a new photo
    or the old one's removal, saved together or not at all."""
    profile_update(profile=profile, data=data)
    if photo is not None or remove_photo:
        profile_set_photo(profile=profile, upload=photo)
    return profile


def profile_update_by_codes(*, profile: Profile, data: Mapping[str, Any]) -> Profile:
    """Like :func:`profile_update`, with taxonomy terms given by code (for the demo, the
    benchmark and tests): ``{"specialty": "cardiology", "languages": ["en", "fr"]}``."""
    resolved: dict[str, Any] = {}
    for name, value in data.items():
        related = getattr(Profile._meta.get_field(name), "related_model", None)
        if isinstance(related, type) and issubclass(related, Term):
            terms = related.objects.all()
            if isinstance(value, list | tuple):
                value = list(terms.filter(code__in=value))
            elif value is not None:
                value = terms.get(code=value)
        resolved[name] = value
    return profile_update(profile=profile, data=resolved)


def _reencoded(upload: UploadedFile[bytes]) -> ContentFile[bytes]:
    # Re-encoding drops metadata (EXIF may hold where and when a photo was taken).
    upload.seek(0)
    with Image.open(upload) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
        image.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue())


@transaction.atomic
def profile_set_photo(*, profile: Profile, upload: UploadedFile[bytes] | None) -> Profile:
    """Store a validated photo (or remove it with ``None``); the old file goes on commit."""
    old = profile.photo.name if profile.photo else ""
    if upload is None:
        profile.photo = ""
    else:
        profile.photo.save("photo.jpg", _reencoded(upload), save=False)
    profile.save(update_fields=["photo", "updated_at"])
    if old:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return profile


def profile_set_roles(*, profile: Profile, is_mentee: bool, is_mentor: bool) -> Profile:
    """Become a mentor (or a mentee) without touching the rest of the profile."""
    return profile_update(profile=profile, data={"is_mentee": is_mentee, "is_mentor": is_mentor})


def _refuse_oneself(person: User, other: User | None, email: str) -> None:
    if (other is not None and other.pk == person.pk) or (email and email in emails_of(person)):
        field = "other" if other is not None else "email"
        raise ValidationError({field: _("A reporting line or conflict is with someone else.")})


@transaction.atomic
def reporting_line_add(
    *,
    person: User,
    kind: str,
    other: User | None = None,
    email: str = "",
    note: str = "",
    source: str = ReportingLine.Source.SELF,
    added_by: User | None = None,
) -> ReportingLine:
    """Declare a reporting line or conflict with a user or an e-mail address. An address
    that belongs to an account is linked to it; one that does not is linked when that
    person signs up. Refused for oneself."""
    email = email.strip().lower()
    if other is None and not email:
        raise ValidationError({"email": _("Say who: an e-mail address or a person.")})
    if kind not in ReportingLine.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of relationship.")})
    if len(email) > LINE_EMAIL_MAX:
        raise ValidationError({"email": _("Enter a valid e-mail address.")})
    if len(note) > LINE_NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep this under %(n)s characters.") % {"n": LINE_NOTE_MAX}}
        )
    _refuse_oneself(person, other, email)
    if other is None:
        other = User.objects.filter(email=email).first()
        _refuse_oneself(person, other, "")
    existing = ReportingLine.objects.filter(person=person, kind=kind)
    existing = existing.filter(other=other) if other else existing.filter(other_email=email)
    line = existing.first()
    if line is None:
        # The address stays as typed: the declarer is never shown whose account it is.
        line = ReportingLine.objects.create(
            person=person,
            other=other,
            other_email=email,
            kind=kind,
            note=note,
            source=source,
            added_by=added_by or person,
        )
        access_log(
            actor=added_by or person,
            action=Action.CHANGE,
            what=What.REPORTING_LINE,
            subjects=[person],
            detail=f"{kind} added",
        )
    return line


@transaction.atomic
def reporting_line_remove(*, person: User, line: ReportingLine) -> None:
    """Withdraw one's own declaration (a coordinator's stays until the coordinator acts)."""
    if line.person_id != person.pk or line.source != ReportingLine.Source.SELF:
        raise ValidationError(_("Only the person who declared it can withdraw it."))
    line.delete()
    access_log(
        actor=person,
        action=Action.CHANGE,
        what=What.REPORTING_LINE,
        subjects=[person],
        detail=f"{line.kind} withdrawn",
    )


# What other apps close when one person blocks another (the requests app: any request
# waiting between the two). They register in their AppConfig.ready; the block's own
# transaction runs them, so a block and its consequences land together or not at all.
BlockListener = Callable[[User, User], object]
_block_listeners: list[BlockListener] = []


def register_block_listener(listener: BlockListener) -> None:
    """Have ``listener(blocker, blocked)`` run inside every new block's transaction."""
    if listener not in _block_listeners:
        _block_listeners.append(listener)


@transaction.atomic
def block_add(*, blocker: User, blocked: User) -> Block:
    """Block someone: the one way a person blocks another (from a profile, a concern or
    the API). Whatever waits between the two closes in the same transaction."""
    if blocker.pk == blocked.pk:
        raise ValidationError({"blocked": _("You cannot block yourself.")})
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    for listener in _block_listeners:
        listener(blocker, blocked)
    return block


@transaction.atomic
def block_remove(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
