"""The profile: who a person is, what they seek or offer, and who may see what."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from medmentor.core.validators import no_markup
from medmentor.profiles.models.taxonomy import (
    Cadence,
    CareerStage,
    Goal,
    Identity,
    InterestArea,
    Language,
    Modality,
    Province,
    Specialty,
)

MIN_CAPACITY = 1
MAX_CAPACITY = 10

CANADIAN_TIME_ZONES: list[tuple[str, StrOrPromise]] = [
    ("America/St_Johns", _("Newfoundland time (St. John's)")),
    ("America/Halifax", _("Atlantic time (Halifax)")),
    ("America/Moncton", _("Atlantic time (Moncton)")),
    ("America/Toronto", _("Eastern time (Toronto, Montréal, Ottawa)")),
    ("America/Iqaluit", _("Eastern time (Iqaluit)")),
    ("America/Winnipeg", _("Central time (Winnipeg)")),
    ("America/Regina", _("Central standard time (Regina)")),
    ("America/Edmonton", _("Mountain time (Edmonton, Calgary)")),
    ("America/Yellowknife", _("Mountain time (Yellowknife)")),
    ("America/Whitehorse", _("Yukon time (Whitehorse)")),
    ("America/Vancouver", _("Pacific time (Vancouver, Victoria)")),
]


class Visibility(models.TextChoices):
    """Who may see an optional personal field, from narrowest to widest."""

    PRIVATE = "private", _("Only me")
    MATCHED = "matched", _("My mentors and mentees")
    PROGRAMS = "programs", _("Members of my programs, and my mentors and mentees")
    MEMBERS = "members", _("Everyone signed in to MedMentor")


# Fields whose visibility the person chooses; each is private by default.
PERSONAL_FIELDS: tuple[str, ...] = ("gender", "pronouns", "city", "photo", "identities")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non-binary", _("Non-binary")
    TWO_SPIRIT = "two-spirit", _("Two-Spirit")
    ANOTHER = "another", _("Another gender")


class PracticeSetting(models.TextChoices):
    ACADEMIC = "academic", _("Academic")
    COMMUNITY = "community", _("Community")
    RURAL = "rural", _("Rural")
    REMOTE = "remote", _("Remote")


class Importance(models.IntegerChoices):
    """How much a mentee preference matters, on five levels (0: not asked)."""

    NONE = 0, _("Does not matter")
    NICE = 1, _("Nice to have")
    SOMEWHAT = 2, _("Somewhat important")
    IMPORTANT = 3, _("Important")
    VERY = 4, _("Very important")
    MUST = 5, _("Must")


def term_bits(ids: Iterable[int]) -> int:
    """A set of term ids as a bit set (an estimate: ids 63 apart share a bit)."""
    bits = 0
    for pk in ids:
        bits |= 1 << (pk % 63)
    return bits


def photo_path(instance: Profile, filename: str) -> str:
    # The stored name reveals nothing about the person and is never served directly.
    return f"profile-photos/{uuid.uuid4().hex}.jpg"


def visibility_field(label: StrOrPromise) -> models.CharField[str, str]:
    return models.CharField(
        label, max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    # Who I am
    display_name = models.CharField(
        _("display name"), max_length=120, blank=True, validators=[no_markup]
    )
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True, validators=[no_markup])
    career_stage = models.ForeignKey(
        CareerStage, verbose_name=_("career stage"), null=True, blank=True, on_delete=models.PROTECT
    )
    specialty = models.ForeignKey(
        Specialty,
        verbose_name=_("specialty"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    other_specialties = models.ManyToManyField(
        Specialty, verbose_name=_("other specialties"), blank=True, related_name="+"
    )
    institution = models.CharField(
        _("institution"), max_length=200, blank=True, validators=[no_markup]
    )
    department = models.CharField(
        _("department"), max_length=200, blank=True, validators=[no_markup]
    )
    practice_setting = models.CharField(
        _("practice setting"), max_length=12, choices=PracticeSetting.choices, blank=True
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province or territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    city = models.CharField(_("city"), max_length=120, blank=True, validators=[no_markup])
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True)
    interests = models.ManyToManyField(InterestArea, verbose_name=_("interest areas"), blank=True)
    bio = models.TextField(_("about me"), max_length=3000, blank=True)

    # What I seek and offer
    is_mentee = models.BooleanField(_("I am looking for a mentor"), default=False)
    is_mentor = models.BooleanField(_("I offer to mentor"), default=False)
    goals_sought = models.ManyToManyField(
        Goal, verbose_name=_("what I seek"), blank=True, related_name="+"
    )
    seeking = models.TextField(_("what I seek, in my words"), max_length=2000, blank=True)
    goals_offered = models.ManyToManyField(
        Goal, verbose_name=_("what I offer"), blank=True, related_name="+"
    )
    offering = models.TextField(_("what I offer, in my words"), max_length=2000, blank=True)
    mentor_capacity = models.PositiveSmallIntegerField(
        _("mentees at once"),
        default=MIN_CAPACITY,
        validators=[MinValueValidator(MIN_CAPACITY), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("How many mentees you can mentor at the same time (1 to 10)."),
    )
    accepting_mentees = models.BooleanField(
        _("accepting mentees now"),
        default=True,
        help_text=_("Pause to stop new requests without leaving."),
    )
    # Kept up to date by the mentorships app when a mentorship starts or ends.
    active_mentees = models.PositiveSmallIntegerField(_("current mentees"), default=0)

    # Availability
    cadence = models.ForeignKey(
        Cadence, verbose_name=_("meeting cadence"), null=True, blank=True, on_delete=models.PROTECT
    )
    modality = models.ForeignKey(
        Modality,
        verbose_name=_("meeting modality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=CANADIAN_TIME_ZONES, blank=True
    )

    # Mentee preferences, each with an importance
    prefers_same_gender = models.PositiveSmallIntegerField(
        _("a mentor of the same gender"), choices=Importance.choices, default=Importance.NONE
    )
    prefers_same_language = models.PositiveSmallIntegerField(
        _("a mentor who speaks my language"), choices=Importance.choices, default=Importance.NONE
    )
    prefers_other_institution = models.PositiveSmallIntegerField(
        _("a mentor outside my own institution"),
        choices=Importance.choices,
        default=Importance.NONE,
    )
    prefers_same_specialty = models.PositiveSmallIntegerField(
        _("a mentor in my specialty"), choices=Importance.choices, default=Importance.NONE
    )

    # Optional personal fields, each private by default
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    identities = models.ManyToManyField(
        Identity,
        verbose_name=_("self-identification"),
        blank=True,
        help_text=_("Only used by identity-based programs you choose to join."),
    )
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    gender_visibility = visibility_field(_("who sees my gender"))
    pronouns_visibility = visibility_field(_("who sees my pronouns"))
    city_visibility = visibility_field(_("who sees my city"))
    photo_visibility = visibility_field(_("who sees my photo"))
    identities_visibility = visibility_field(_("who sees my self-identification"))

    # Kept by the services: the text the search looks in, whether the profile is
    # complete enough to be listed, and bit sets of the many-to-many terms (bit
    # ``term id % 63``) that let the search estimate fit without a join per row.
    search_text = models.TextField(editable=False, blank=True)
    is_complete = models.BooleanField(default=False, editable=False)
    languages_bits = models.BigIntegerField(default=0, editable=False)
    interests_bits = models.BigIntegerField(default=0, editable=False)
    goals_offered_bits = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(mentor_capacity__gte=MIN_CAPACITY)
                & models.Q(mentor_capacity__lte=MAX_CAPACITY),
                name="profile_capacity_1_to_10",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # The mentor search counts and orders listed mentors from this index alone
            # (PostgreSQL: an index-only scan of narrow rows; SQLite ignores INCLUDE).
            models.Index(
                fields=["accepting_mentees", "specialty", "province", "career_stage"],
                include=[
                    "id",
                    "user",
                    "active_mentees",
                    "mentor_capacity",
                    "modality",
                    "languages_bits",
                    "interests_bits",
                    "goals_offered_bits",
                ],
                condition=models.Q(is_mentor=True, is_complete=True),
                name="profile_listed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_full_name()

    @property
    def places_left(self) -> int:
        if not (self.is_mentor and self.accepting_mentees):
            return 0
        return max(self.mentor_capacity - self.active_mentees, 0)

    def visibility_of(self, field: str) -> str:
        return str(getattr(self, f"{field}_visibility"))
