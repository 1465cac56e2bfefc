"""The public directory of mentorship programs: listings and the submissions that feed them.

A ``Listing`` is public once ``is_public`` is set, and only a moderator (approving a
``Submission``) or MedMentor itself (a program run on the platform) sets it. Multi-valued
facts (audiences, specialties, formats, languages) are short lists of our own choice codes
in JSON, so that they read the same on SQLite and PostgreSQL; an empty list or an empty
field means "not known" and is left off the page. Every listing can be reached: it has
the program's official address or a contact e-mail, and says where its facts come from.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from medmentor.core.validators import no_markup
from medmentor.profiles.models import Specialty

# A listing nobody has checked for this long is flagged for review.
VERIFY_EVERY = timedelta(days=365)


class Audience(models.TextChoices):
    """Career stages, in practice first: the stage with the fewest programs to find."""

    PHYSICIANS = "physicians", _("Physicians in practice")
    RESIDENTS = "residents", _("Residents")
    STUDENTS = "students", _("Medical students")


class Region(models.TextChoices):
    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")
    NATIONAL = "national", _("National (all of Canada)")
    INTERNATIONAL = "international", _("International")


# Programs open to all of Canada also serve each province and territory.
WIDE_REGIONS = (Region.NATIONAL, Region.INTERNATIONAL)


# Specialties are the profiles' codes (Royal College and CFPC disciplines; decision 0042),
# plus this one: a program open to every specialty.
ALL_SPECIALTIES = "all"


class Format(models.TextChoices):
    ONE_TO_ONE = "one-to-one", _("One-to-one")
    GROUP = "group", _("Group")
    PEER = "peer", _("Peer")
    SPEED = "speed", _("Speed or flash mentoring")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    MEMBERSHIP = "membership", _("Included in a membership")
    FEE = "fee", _("Fee")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class Source(models.TextChoices):
    SUBMITTED = "submitted", _("Listed by the directory")
    MEDMENTOR = "medmentor", _("Run on MedMentor")


# The multi-valued facts and the choice list each one draws from.
LIST_CHOICES: dict[str, type[models.TextChoices]] = {
    "audiences": Audience,
    "formats": Format,
    "languages": Language,
}


class ListingContent(models.Model):
    """The facts about a program, shared by a listing and a submission proposing one."""

    name_en = models.CharField(_("name (English)"), max_length=200, validators=[no_markup])
    name_fr = models.CharField(
        _("name (French)"), max_length=200, blank=True, validators=[no_markup]
    )
    organisation_en = models.CharField(
        _("organisation (English)"), max_length=200, validators=[no_markup]
    )
    organisation_fr = models.CharField(
        _("organisation (French)"), max_length=200, blank=True, validators=[no_markup]
    )
    description_en = models.TextField(
        _("description (English)"), blank=True, validators=[MaxLengthValidator(4000)]
    )
    description_fr = models.TextField(
        _("description (French)"), blank=True, validators=[MaxLengthValidator(4000)]
    )
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    specialties = models.JSONField(_("specialties"), default=list, blank=True)
    region = models.CharField(_("region"), max_length=16, choices=Region.choices, blank=True)
    formats = models.JSONField(_("formats"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    cost = models.CharField(_("cost"), max_length=16, choices=Cost.choices, blank=True)
    how_to_join_en = models.TextField(
        _("how to join (English)"), blank=True, validators=[MaxLengthValidator(500)]
    )
    how_to_join_fr = models.TextField(
        _("how to join (French)"), blank=True, validators=[MaxLengthValidator(500)]
    )
    website_url = models.URLField(
        _("official address"),
        max_length=500,
        blank=True,
        help_text=_("The program's own page, on its organisation's site."),
    )
    join_url = models.URLField(_("link to join"), max_length=500, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    source_url = models.URLField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("The page the facts come from (often the official address)."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, blank=True
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        # The lists hold codes of our own choice lists and nothing else, whoever writes them.
        errors: dict[str, Promise] = {}
        allowed = {field: set(choices.values) for field, choices in LIST_CHOICES.items()}
        allowed["specialties"] = {
            ALL_SPECIALTIES,
            *Specialty.objects.values_list("code", flat=True),
        }
        for field, codes in allowed.items():
            value = getattr(self, field)
            if not isinstance(value, list) or not all(
                isinstance(code, str) and code in codes for code in value
            ):
                errors[field] = _("Choose from the list.")
            elif len(set(value)) != len(value):
                errors[field] = _("Choose each item once.")
        if not (self.website_url or self.contact_email):
            errors["website_url"] = _(
                "Give the official address of the program or a contact e-mail, "
                "so that people can reach it."
            )
        if errors:
            raise ValidationError(errors)

    # Bilingual text: the current language, falling back to English when French is empty.
    def _in_language(self, field: str) -> str:
        if (get_language() or "en").startswith("fr"):
            return str(getattr(self, f"{field}_fr") or getattr(self, f"{field}_en"))
        return str(getattr(self, f"{field}_en"))

    @property
    def name(self) -> str:
        return self._in_language("name")

    @property
    def organisation(self) -> str:
        return self._in_language("organisation")

    @property
    def description(self) -> str:
        return self._in_language("description")

    @property
    def how_to_join(self) -> str:
        return self._in_language("how_to_join")

    @property
    def audience_labels(self) -> list[str]:
        return _labels(Audience, self.audiences)

    @property
    def specialty_labels(self) -> list[str]:
        labels = {
            specialty.code: specialty.label
            for specialty in Specialty.objects.filter(code__in=self.specialties)
        }
        labels[ALL_SPECIALTIES] = str(_("All specialties"))
        return [labels[code] for code in self.specialties if code in labels]

    @property
    def format_labels(self) -> list[str]:
        return _labels(Format, self.formats)

    @property
    def language_labels(self) -> list[str]:
        return _labels(Language, self.languages)


def _labels(choices: type[models.TextChoices], codes: list[str]) -> list[str]:
    known = dict(choices.choices)
    return [str(known[code]) for code in codes if code in known]


class Listing(ListingContent):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.SUBMITTED
    )
    # Programs run on MedMentor are keyed by the programs app; null for everything else.
    platform_key = models.CharField(
        _("platform key"), max_length=100, unique=True, null=True, blank=True, editable=False
    )
    is_public = models.BooleanField(_("public"), default=False)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    last_verified = models.DateField(
        _("last checked"),
        null=True,
        blank=True,
        help_text=_("When the facts were last checked, by a moderator or the program itself."),
    )
    # The yearly request to the program's contact; unanswered, the listing is unverified.
    confirmation_requested_at = models.DateTimeField(
        _("confirmation requested"), null=True, blank=True, editable=False
    )
    unverified_since = models.DateField(
        _("unverified since"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the program did not answer the yearly request to confirm its listing: "
            "it stays listed, after the checked ones."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ("name_en",)
        indexes: ClassVar = [models.Index(fields=["is_public", "region"])]

    def __str__(self) -> str:
        return self.name_en

    def get_absolute_url(self) -> str:
        return reverse("directory:detail", kwargs={"listing_uuid": self.uuid})

    @property
    def is_platform_program(self) -> bool:
        return self.source == Source.MEDMENTOR

    @property
    def needs_review(self) -> bool:
        """Never verified, or not verified for a year (programs on MedMentor verify themselves)."""
        if self.is_platform_program:
            return False
        return self.last_verified is None or self.last_verified < verify_cutoff()


def verify_cutoff() -> date:
    return timezone.localdate() - VERIFY_EVERY


class SubmissionKind(models.TextChoices):
    NEW = "new", _("New program")
    CORRECTION = "correction", _("Correction")


class SubmissionState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the submitter's confirmation")
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Submission(ListingContent):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SubmissionKind.choices, default=SubmissionKind.NEW
    )
    listing = models.ForeignKey(
        Listing,
        verbose_name=_("listing"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="submissions",
        help_text=_("The listing a correction applies to; the new listing once approved."),
    )
    submitter_email = models.EmailField(_("your e-mail"))
    submitter_language = models.CharField(
        _("language of the submitter"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    message = models.TextField(
        _("message to the moderators"), blank=True, validators=[MaxLengthValidator(2000)]
    )
    state = models.CharField(
        _("moderation state"),
        max_length=16,
        choices=SubmissionState.choices,
        default=SubmissionState.UNCONFIRMED,
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(
        _("reason for rejection"), blank=True, validators=[MaxLengthValidator(2000)]
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ("created_at",)
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(kind="correction") | models.Q(listing__isnull=False),
                name="directory_correction_has_listing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name_en}"


# The facts a submission carries over to its listing when approved.
CONTENT_FIELDS: tuple[str, ...] = (
    "name_en",
    "name_fr",
    "organisation_en",
    "organisation_fr",
    "description_en",
    "description_fr",
    "audiences",
    "specialties",
    "region",
    "formats",
    "languages",
    "cost",
    "how_to_join_en",
    "how_to_join_fr",
    "website_url",
    "join_url",
    "contact_email",
    "source_url",
    "status",
)


class ReportReason(models.TextChoices):
    CLOSED = "closed", _("The program has ended or no longer takes people")
    UNREACHABLE = "unreachable", _("The address or the contact no longer works")
    WRONG = "wrong", _("Some facts are wrong")
    OTHER = "other", _("Something else")


class ListingReport(models.Model):
    """A visitor's word that a listing is out of date, for the moderators. No account and
    no address needed: the moderators check the program's own page."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("what is out of date"), max_length=16, choices=ReportReason.choices)
    details = models.TextField(
        _("details"), blank=True, validators=[MaxLengthValidator(1000), no_markup]
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report of an outdated listing")
        verbose_name_plural = _("reports of outdated listings")
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"{self.listing}: {self.get_reason_display()}"


class ListingClaim(models.Model):
    """Someone who runs a listed program proves it with an address at the program's
    domain; once confirmed, they propose changes to the listing (moderated) as its owner."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("listing"), on_delete=models.CASCADE, related_name="claims"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="listing_claims",
    )
    email = models.EmailField(_("address at the program"))
    created_at = models.DateTimeField(_("claimed"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("claim of a listing")
        verbose_name_plural = _("claims of listings")
        ordering = ("created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["listing", "user"], name="directory_one_claim_each")
        ]

    def __str__(self) -> str:
        return str(self.listing)
