"""Forms of direct requests. They check shapes; the services check rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.core.forms import described, set_choices
from medmentor.profiles.models import Goal, Profile
from medmentor.programs.models import Program
from medmentor.requests.models import DECLINE_REASON_MAX, GOALS_NOTE_MAX, MESSAGE_MAX


class RequestForm(forms.Form):
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
        set_choices(self.fields["program"], [(str(p.uuid), p.name) for p in programs])
        set_choices(self.fields["goals"], [(g.code, g.label) for g in Goal.objects.active()])
        backup_choices = [("", _("No one"))] + [
            (
                str(p.uuid),
                f"{p.name} · {p.specialty.label}" if p.specialty is not None else p.name,
            )
            for p in backups
        ]
        set_choices(self.fields["second_mentor"], backup_choices)
        set_choices(self.fields["third_mentor"], backup_choices)
        for name, field in self.fields.items():
            described(field, name)

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
