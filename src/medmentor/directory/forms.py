"""The directory's forms: the public search, a submission, and the moderators' decisions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from medmentor.directory.models import (
    ALL_SPECIALTIES,
    CONTENT_FIELDS,
    WIDE_REGIONS,
    Audience,
    Cost,
    Format,
    Language,
    Listing,
    ListingReport,
    Region,
    Status,
    Submission,
)
from medmentor.directory.selectors import ListingFilters, specialty_choices

ANY = [("", _("Any"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    audience = forms.ChoiceField(
        label=_("Career stage"), required=False, choices=ANY + Audience.choices
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=ANY + Region.choices,
        help_text=_("A province or territory includes national and international programs."),
    )
    specialty = forms.ChoiceField(
        label=_("Specialty"), required=False, choices=lambda: [*ANY, *specialty_choices()]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=ANY + Language.choices
    )
    format = forms.ChoiceField(label=_("Format"), required=False, choices=ANY + Format.choices)
    cost = forms.ChoiceField(label=_("Cost"), required=False, choices=ANY + Cost.choices)

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


def _address(label: StrOrPromise, help_text: StrOrPromise) -> forms.URLField:
    """An optional web address; one typed without its scheme is taken as https."""
    return forms.URLField(
        label=label, required=False, max_length=500, assume_scheme="https", help_text=help_text
    )


class ListingContentForm(forms.ModelForm[Submission]):
    """The facts of a program, as a visitor proposes them and a moderator edits them."""

    audiences = _multiple(_("For"), Audience.choices)
    specialties = forms.TypedMultipleChoiceField(
        label=_("Specialties"),
        choices=lambda: [(ALL_SPECIALTIES, _("All specialties")), *specialty_choices()],
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    formats = _multiple(_("Formats"), Format.choices)
    languages = _multiple(_("Languages"), Language.choices)
    website_url = _address(
        _("Official address"), _("The program's own page, starting with https://")
    )
    join_url = _address(
        _("Link to join"), _("Where people apply or sign up, if not on the program's page.")
    )
    source_url = _address(_("Source"), _("The page these facts come from."))

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
            not data.get("website_url")
            and not data.get("contact_email")
            and not (self.has_error("website_url") or self.has_error("contact_email"))
        ):
            message = _(
                "Give the official address of the program or a contact e-mail, "
                "so that people can reach it."
            )
            self.add_error("website_url", message)
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

    @classmethod
    def initial_from_query(cls, query: QueryDict) -> dict[str, Any]:
        """A new submission may start from a career stage and a region (known codes only)."""
        initial: dict[str, Any] = {}
        if query.get("audience") in Audience.values:
            initial["audiences"] = [query["audience"]]
        if query.get("region") in Region.values:
            initial["region"] = query["region"]
        return initial


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, e-mailed to the submitter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class ReportForm(forms.ModelForm[ListingReport]):
    """A visitor's report of an outdated listing."""

    class Meta:
        model = ListingReport
        fields: ClassVar = ["reason", "details"]
        widgets: ClassVar = {
            "reason": forms.RadioSelect,
            "details": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }
        help_texts: ClassVar = {
            "details": _("What you saw, and where. Please leave out anything about a person."),
        }


class ClaimForm(forms.Form):
    email = forms.EmailField(
        label=_("Your address at the program"),
        max_length=254,
        help_text=_(
            "An address at the program's own domain, or its published contact address: "
            "we send a link there to prove you run the program."
        ),
    )


class FitForm(forms.Form):
    """Which program fits me: three questions."""

    stage = forms.ChoiceField(
        label=_("Where are you in your career?"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
    )
    region = forms.ChoiceField(
        label=_("Where do you study or practise?"),
        choices=[
            *[(code, label) for code, label in Region.choices if code not in WIDE_REGIONS],
            (Region.INTERNATIONAL, _("Outside Canada")),
        ],
        help_text=_("Programs open to all of Canada, or international ones, count too."),
    )
    format = forms.ChoiceField(
        label=_("How would you like to be mentored?"),
        choices=[("", _("No preference")), *Format.choices],
        required=False,
        widget=forms.RadioSelect,
    )
