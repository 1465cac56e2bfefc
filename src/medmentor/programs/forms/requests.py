"""Forms of direct requests and concerns. They check shapes; the services check rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from medmentor.profiles.models import Goal, Profile
from medmentor.programs.models import ConcernStatus, Program
from medmentor.programs.models.concerns import CONCERN_TEXT_MAX
from medmentor.programs.models.requests import DECLINE_REASON_MAX, GOALS_NOTE_MAX, MESSAGE_MAX
from medmentor.programs.selectors.requests import ConcernSubject


def _set_choices(field: forms.Field, choices: list[tuple[str, Any]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _described(field: forms.Field, name: str) -> None:
    """Tie the help text to the input for screen readers."""
    if field.help_text:
        field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"


class ServiceErrorsMixin:
    """Put a service's ValidationError next to the field it names."""

    def add_service_errors(self, error: ValidationError) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error)


class RequestForm(ServiceErrorsMixin, forms.Form):
    program = forms.ChoiceField(label=_("Program"))
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few lines: who you are and why you ask this mentor."),
    )
    goals = forms.MultipleChoiceField(
        label=_("What you would like help with"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals_note = forms.CharField(
        label=_("Goals, in your words (optional)"), max_length=GOALS_NOTE_MAX, required=False
    )
    second_mentor = forms.ChoiceField(
        label=_("If this mentor cannot take you, ask next (optional)"), required=False
    )
    third_mentor = forms.ChoiceField(label=_("And then (optional)"), required=False)

    def __init__(
        self,
        *args: Any,
        programs: list[Program],
        backups: list[Profile],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["program"], [(str(p.uuid), p.name) for p in programs])
        _set_choices(self.fields["goals"], [(g.code, g.label) for g in Goal.objects.active()])
        backup_choices = [("", _("No one"))] + [
            (
                str(p.uuid),
                f"{p.name} · {p.specialty.label}" if p.specialty is not None else p.name,
            )
            for p in backups
        ]
        _set_choices(self.fields["second_mentor"], backup_choices)
        _set_choices(self.fields["third_mentor"], backup_choices)
        for name, field in self.fields.items():
            _described(field, name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("third_mentor") and not data.get("second_mentor"):
            self.add_error("third_mentor", _("Choose a second mentor before a third."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional, private)"),
        required=False,
        max_length=DECLINE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only you will see this. The mentee sees “declined”."),
    )


def subject_label(subject: ConcernSubject) -> str:
    label = f"{subject.person.get_full_name()} · {subject.program.name}"
    if subject.request is not None:
        sent = date_format(localtime(subject.request.sent_at), "DATE_FORMAT")
        label += " · " + _("request of %(date)s") % {"date": sent}
    return label


class ConcernForm(ServiceErrorsMixin, forms.Form):
    subject = forms.ChoiceField(label=_("About"))
    text = forms.CharField(
        label=_("What happened"),
        max_length=CONCERN_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only the program's coordinators read this. Never write patient information."),
    )
    also_block = forms.BooleanField(
        label=_("Also block this person: you will no longer see, ask or be proposed each other"),
        required=False,
    )

    def __init__(self, *args: Any, subjects: list[ConcernSubject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["subject"], [(s.key, subject_label(s)) for s in subjects])
        _described(self.fields["text"], "text")


class ConcernStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ConcernStatus.choices)
