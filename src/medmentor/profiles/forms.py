"""Forms: the onboarding steps (one form per step), the photo, reporting lines, search.

Taxonomy fields take and show term codes, so the pages, the API (which validates
through these same forms) and the engine speak the same identifiers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image

from medmentor.profiles.models import (
    MAX_CAPACITY,
    MIN_CAPACITY,
    Profile,
    ReportingLine,
    Term,
)
from medmentor.profiles.taxonomy import Vocabulary

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
MULTI_CHECKBOXES = ("languages", "interests", "goals_sought", "goals_offered", "identities")


# The onboarding steps and their fields; the whole profile form is their union.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "about": (
        "display_name",
        "pronouns",
        "career_stage",
        "specialty",
        "other_specialties",
        "institution",
        "department",
        "practice_setting",
        "province",
        "city",
        "languages",
    ),
    "roles": (
        "is_mentee",
        "is_mentor",
        "goals_sought",
        "seeking",
        "goals_offered",
        "offering",
        "mentor_capacity",
        "accepting_mentees",
    ),
    "interests": ("interests", "bio"),
    "availability": (
        "cadence",
        "modality",
        "time_zone",
        "prefers_same_language",
        "prefers_other_institution",
        "prefers_same_specialty",
    ),
    "privacy": (
        "gender",
        # Asked right after the person's own gender, which it is about.
        "prefers_same_gender",
        "identities",
        "gender_visibility",
        "pronouns_visibility",
        "city_visibility",
        "photo_visibility",
        "identities_visibility",
    ),
}

# Fields that mean something for one role only (the role's flag, then its fields): a step
# shows them only to people in that role, and neither requires nor saves them for others.
ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    "is_mentee": (
        "goals_sought",
        "seeking",
        "prefers_same_gender",
        "prefers_same_language",
        "prefers_other_institution",
        "prefers_same_specialty",
    ),
    "is_mentor": ("goals_offered", "offering", "mentor_capacity", "accepting_mentees"),
}


def _term_field(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """Taxonomy fields by code, active terms only, labels in the active language."""
    related = getattr(db_field, "related_model", None)
    if isinstance(related, type) and issubclass(related, Term):
        kwargs["to_field_name"] = "code"
        if isinstance(db_field, models.ManyToManyField) and db_field.name in MULTI_CHECKBOXES:
            kwargs["widget"] = forms.CheckboxSelectMultiple
        field = db_field.formfield(**kwargs)
        # A relation makes a ModelChoiceField (or ModelMultipleChoiceField) over its terms.
        assert isinstance(field, forms.ModelChoiceField)
        assert field.queryset is not None
        field.queryset = field.queryset.filter(active=True)
        return field
    return db_field.formfield(**kwargs)


class ProfileForm(forms.ModelForm[Profile]):
    """Every editable field; each onboarding step is a subset of it."""

    class Meta:
        model = Profile
        formfield_callback = _term_field
        fields: ClassVar[list[str]] = [name for step in STEP_FIELDS.values() for name in step]
        widgets: ClassVar[dict[str, Any]] = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "seeking": forms.Textarea(attrs={"rows": 3}),
            "offering": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        given = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        # A term's select lists codes, and a model form starts it from the stored term's
        # id: show the stored code, or the page shows (and saves back) nothing.
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, forms.ModelMultipleChoiceField
            ):
                term = getattr(self.instance, name, None)
                if term is not None and name not in given:
                    self.initial[name] = term.code
        if "mentor_capacity" in self.fields:
            self.fields["mentor_capacity"].widget.attrs.update(min=MIN_CAPACITY, max=MAX_CAPACITY)
        if "other_specialties" in self.fields:
            # 70+ specialties: profile.js makes the list searchable where scripts run.
            self.fields["other_specialties"].widget.attrs.update(
                {"data-searchable": "", "data-placeholder": _("Type to find a specialty")}
            )

    def roles(self) -> dict[str, bool]:
        """The person's roles as this form sees them: ticked on the page when the form
        asks them, else as stored."""
        roles = {}
        for role in ROLE_FIELDS:
            if self.is_bound and role in self.fields:
                widget = self.fields[role].widget
                roles[role] = bool(
                    widget.value_from_datadict(self.data, self.files, self.add_prefix(role))
                )
            else:
                roles[role] = bool(getattr(self.instance, role))
        return roles

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        both = "is_mentee" in self.fields and "is_mentor" in self.fields
        if both and not (data.get("is_mentee") or data.get("is_mentor")):
            raise forms.ValidationError(
                _("Choose at least one: looking for a mentor, or offering to mentor.")
            )
        return data


class StepForm(ProfileForm):
    """One onboarding step: a role's fields only for people in that role.

    On the step that asks the roles, an unsaved page keeps the other role's fields,
    hidden, for its checkbox to show (profiles/profile.js); a sent page validates and
    saves only the fields of the roles ticked. Elsewhere they are left out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = self.roles()
        self.hidden_fields_of_role: dict[str, str] = {}
        for role, names in ROLE_FIELDS.items():
            for name in names:
                if name not in self.fields or roles[role]:
                    continue
                if role in self.fields and not self.is_bound:
                    self.hidden_fields_of_role[name] = role
                else:
                    del self.fields[name]

    def rows(self) -> list[tuple[forms.BoundField, str, bool]]:
        """Each field with the role it belongs to ("" for everyone) and whether it
        starts hidden."""
        role_of = {name: role for role, names in ROLE_FIELDS.items() for name in names}
        return [
            (field, role_of.get(field.name, ""), field.name in self.hidden_fields_of_role)
            for field in self
        ]


def _step(name: str) -> type[StepForm]:
    meta = type("Meta", (ProfileForm.Meta,), {"fields": list(STEP_FIELDS[name])})
    return type("StepForm", (StepForm,), {"Meta": meta})


AboutForm = _step("about")
RolesForm = _step("roles")
InterestsForm = _step("interests")
AvailabilityForm = _step("availability")
PrivacyForm = _step("privacy")


class PhotoForm(forms.Form):
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("A JPEG, PNG or WebP image of at most 2 MB."),
    )
    remove = forms.BooleanField(label=_("Remove my photo"), required=False)

    def __init__(self, *args: Any, has_photo: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_photo:
            del self.fields["remove"]  # nothing to remove

    def clean_photo(self) -> UploadedFile[bytes] | None:
        photo: UploadedFile[bytes] | None = self.cleaned_data.get("photo")
        if photo is None:
            return None
        if photo.size is not None and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is larger than 2 MB."))
        photo.seek(0)
        with Image.open(photo) as image:
            if image.format not in ("JPEG", "PNG", "WEBP"):
                raise forms.ValidationError(_("Upload a JPEG, PNG or WebP image."))
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise forms.ValidationError(_("The photo has too many pixels."))
        return photo


class ReportingLineForm(forms.Form):
    email = forms.EmailField(
        label=_("Their e-mail address"),
        help_text=_(
            "If they are not on MedMentor yet, the line counts as soon as they sign up "
            "with this address."
        ),
    )
    kind = forms.ChoiceField(label=_("Relationship"), choices=ReportingLine.Kind.choices)
    note = forms.CharField(label=_("Note (only you see it)"), max_length=200, required=False)


class MentorSearchForm(forms.Form):
    """The search filters; every taxonomy filter takes a code. No personal field is a
    filter (gender, pronouns, city, photo and self-identification are never searched)."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    specialty = forms.ChoiceField(label=_("Specialty"), required=False)
    career_stage = forms.ChoiceField(label=_("Career stage"), required=False)
    province = forms.ChoiceField(label=_("Province or territory"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    interest = forms.ChoiceField(label=_("Interest area"), required=False)
    goal = forms.ChoiceField(label=_("Offers help with"), required=False)
    modality = forms.ChoiceField(label=_("Meeting modality"), required=False)
    accepting = forms.BooleanField(label=_("Accepting mentees now"), required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    VOCABULARIES: ClassVar[dict[str, str]] = {
        "specialty": "specialties",
        "career_stage": "career-stages",
        "province": "provinces",
        "language": "languages",
        "interest": "interests",
        "goal": "goals",
        "modality": "modalities",
    }

    def __init__(
        self, *args: Any, vocabularies: Mapping[str, Vocabulary[Term]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, vocabulary in self.VOCABULARIES.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # each is declared one above
            terms = vocabularies[vocabulary].active()
            field.choices = [("", _("Any")), *((t.code, t.label) for t in terms)]


def form_data_of(profile: Profile) -> dict[str, Any]:
    """The profile's current values as form data (taxonomy terms as codes), so that a
    partial update (the API's PATCH) validates through :class:`ProfileForm` unchanged."""
    data: dict[str, Any] = {}
    for name in ProfileForm.Meta.fields:
        field = Profile._meta.get_field(name)
        if field.many_to_many:
            data[name] = list(getattr(profile, name).values_list("code", flat=True))
        elif field.is_relation:
            term = getattr(profile, name)
            data[name] = term.code if term is not None else ""
        else:
            data[name] = getattr(profile, name)
    return data
