"""The medical taxonomy: small vocabularies, each term with a stable ``code`` and an
English and a French label. Loaded by the data migration ``0002_load_taxonomy`` and
editable in the admin; codes are what forms, the API and the matching engine exchange.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

CODE_HELP = _("Stable identifier used by the API, imports and matching. Do not change it.")


_T = TypeVar("_T", bound="Term")


# Generic in the vocabulary, so that ``Specialty.objects.active()`` holds specialties.
class TermQuerySet(models.QuerySet[_T]):
    def active(self) -> TermQuerySet[_T]:
        return self.filter(active=True)


class Term(models.Model):
    """One term of a vocabulary (abstract)."""

    code = models.SlugField(_("code"), max_length=64, unique=True, help_text=CODE_HELP)
    label_en = models.CharField(_("label (English)"), max_length=150)
    label_fr = models.CharField(_("label (French)"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive terms are kept but no longer offered.")
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering: ClassVar[list[str]] = ["position", "label_en"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language (French for ``fr``, else English)."""
        language = translation.get_language() or "en"
        return self.label_fr if language.startswith("fr") else self.label_en


class CareerStage(Term):
    ordinal = models.PositiveSmallIntegerField(
        _("seniority"),
        unique=True,
        help_text=_("Order of seniority: a mentor's stage is compared with the mentee's."),
    )

    class Meta(Term.Meta):
        verbose_name = _("career stage")
        verbose_name_plural = _("career stages")
        ordering: ClassVar[list[str]] = ["ordinal"]


class Specialty(Term):
    class Kind(models.TextChoices):
        SPECIALTY = "specialty", _("Royal College specialty")
        SUBSPECIALTY = "subspecialty", _("Royal College subspecialty")
        FAMILY_MEDICINE = "family_medicine", _("Family medicine (CFPC)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The specialty a subspecialty or family-medicine area belongs to."),
    )

    class Meta(Term.Meta):
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")


class InterestArea(Term):
    class Meta(Term.Meta):
        verbose_name = _("interest area")
        verbose_name_plural = _("interest areas")


class Goal(Term):
    class Meta(Term.Meta):
        verbose_name = _("mentoring goal")
        verbose_name_plural = _("mentoring goals")


class Province(Term):
    time_zone = models.CharField(
        _("main time zone"), max_length=64, help_text=_("IANA name, e.g. America/Toronto.")
    )

    class Meta(Term.Meta):
        verbose_name = _("province or territory")
        verbose_name_plural = _("provinces and territories")


class Language(Term):
    class Meta(Term.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class Modality(Term):
    class Meta(Term.Meta):
        verbose_name = _("meeting modality")
        verbose_name_plural = _("meeting modalities")


class Cadence(Term):
    class Meta(Term.Meta):
        verbose_name = _("meeting cadence")
        verbose_name_plural = _("meeting cadences")


class Identity(Term):
    """Self-identification for identity-based programs (always optional, private by default)."""

    class Meta(Term.Meta):
        verbose_name = _("self-identification")
        verbose_name_plural = _("self-identifications")


TAXONOMIES: dict[str, type[Term]] = {
    "career-stages": CareerStage,
    "specialties": Specialty,
    "interests": InterestArea,
    "goals": Goal,
    "provinces": Province,
    "languages": Language,
    "modalities": Modality,
    "cadences": Cadence,
    "identities": Identity,
}
