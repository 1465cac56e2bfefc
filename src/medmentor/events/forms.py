"""Forms of events. They check shapes; the services check rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.core.forms import described, set_choices
from medmentor.events.models import CHOICES_MAX, Event, EventRole
from medmentor.events.services.authoring import EVENT_FIELDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class EventForm(forms.ModelForm[Event]):
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("For an event online: the meeting's link."),
    )

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
        }
        help_texts = {
            "starts_at": _("In the site's time zone."),
            "rotations": _(
                "How many times people change tables (1 to 20): each mentee meets up to this "
                "many mentors."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        for name in ("rotations", "rotation_minutes", "changeover_minutes", "tables", "table_size"):
            # The service says what is wrong, naming the field, in its own words.
            self.fields[name].widget.attrs.pop("max", None)
        for name, field in self.fields.items():
            described(field, name)

    def _post_clean(self) -> None:
        """The service checks the values (and names the field); the model's own
        validation would say it first in other words."""


def _people_choices(users: list[User], names: dict[int, str]) -> list[tuple[str, str]]:
    return [(str(user.uuid), names[user.pk]) for user in users]


class EnrolForm(forms.Form):
    role = forms.ChoiceField(choices=EventRole.choices, widget=forms.HiddenInput)
    people = forms.MultipleChoiceField(
        label=_("People"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person.")},
    )

    def __init__(
        self, *args: Any, candidates: list[User], names: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["people"], _people_choices(candidates, names))


class CsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class SignUpForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Take part as"), choices=EventRole.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, roles: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["role"], [(r.value, r.label) for r in EventRole if r in roles])


class ChoicesForm(forms.Form):
    """Up to five of the event's mentors, best first."""

    def __init__(
        self, *args: Any, mentors: list[User], names: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        options = [("", _("(none)")), *_people_choices(mentors, names)]
        for rank in range(1, CHOICES_MAX + 1):
            field = forms.ChoiceField(
                label=_("Choice %(n)s") % {"n": rank}, required=False, choices=options
            )
            self.fields[f"choice_{rank}"] = field

    def chosen(self) -> list[str]:
        return [
            self.cleaned_data[f"choice_{rank}"]
            for rank in range(1, CHOICES_MAX + 1)
            if self.cleaned_data.get(f"choice_{rank}")
        ]


class FollowUpForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=_("I would like to continue with"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, met: list[User], names: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["people"], _people_choices(met, names))


class SwapForm(forms.Form):
    first = forms.UUIDField(label=_("Mentee"))
    second = forms.UUIDField(label=_("Swap with"))


class MoveForm(forms.Form):
    meeting = forms.UUIDField(label=_("Mentee"))
    mentor = forms.UUIDField(label=_("To the table of"))
