"""The directory's forms: the public search, a submission, and the moderators' decisions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from medmentor.directory.models import (
    CONTENT_FIELDS,
    Audience,
    Cost,
    Format,
    Language,
    Listing,
    Region,
    Specialty,
    Status,
    Submission,
)
from medmentor.directory.selectors import ListingFilters

ANY = [("", _("Any"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    audience = forms.ChoiceField(label=_("For"), required=False, choices=ANY + Audience.choices)
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=ANY + Region.choices,
        help_text=_("A province or territory includes national and international programs."),
    )
    specialty = forms.ChoiceField(
        label=_("Specialty"), required=False, choices=ANY + Specialty.choices[1:]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=ANY + Language.choices
    )
    format = forms.ChoiceField(label=_("Format"), required=False, choices=ANY + Format.choices)

    def filters(self) -> ListingFilters:
        """The valid filters; a tampered value is dropped (and reported by the form)."""
        if not self.is_bound:
            return ListingFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ListingFilters(**{name: data.get(name, "") or "" for name in self.fields})


def _multiple(
    label: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]]
) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ListingContentForm(forms.ModelForm[Submission]):
    """The facts of a program, as a visitor proposes them and a moderator edits them."""

    audiences = _multiple(_("For"), Audience.choices)
    specialties = _multiple(_("Specialties"), Specialty.choices)
    formats = _multiple(_("Formats"), Format.choices)
    languages = _multiple(_("Languages"), Language.choices)
    join_url = forms.URLField(
        label=_("Link to join"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The program's page, starting with https://"),
    )

    class Meta:
        model = Submission
        fields: ClassVar = list(CONTENT_FIELDS)
        labels: ClassVar = {"status": _("Status of the program")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("region", Region.choices),
            ("cost", Cost.choices),
            ("status", Status.choices),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # a model field with choices makes one
            field.choices = [("", _("Not known")), *choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("join_url")
            and not data.get("contact_email")
            and not (self.has_error("join_url") or self.has_error("contact_email"))
        ):
            message = _("Give a link to join or a contact e-mail, so people can reach the program.")
            self.add_error("join_url", message)
            self.add_error("contact_email", message)
        return data


class SubmissionForm(ListingContentForm):
    """A visitor's submission. ``website`` is a honeypot: hidden from people, filled by bots."""

    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta(ListingContentForm.Meta):
        fields: ClassVar = [*ListingContentForm.Meta.fields, "submitter_email", "message"]
        help_texts: ClassVar = {
            "submitter_email": _(
                "We send you a link to confirm. We never publish it, and use it only to tell "
                "you what the moderators decide."
            ),
            "message": _("For the moderators only: what changed, where you saw it."),
        }

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    @classmethod
    def initial_for(cls, listing: Listing) -> dict[str, Any]:
        """A correction starts from what the listing says now."""
        return {field: getattr(listing, field) for field in CONTENT_FIELDS}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, e-mailed to the submitter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
