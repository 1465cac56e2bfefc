"""Forms of office hours. They check shapes; the services check the rules (and name the
field of each refusal)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.core.forms import described, set_choices
from medmentor.mentorships.models import Modality
from medmentor.mentorships.timezones import time_zone_label
from medmentor.officehours.models import (
    COMMENT_MAX,
    HORIZON_MAX,
    LENGTH_MAX,
    LENGTH_MIN,
    PLACE_MAX,
    QUESTION_MAX,
    REASON_MAX,
    REFLECTION_MAX,
    ROW_MAX,
    TOPIC_MAX,
    WEEKDAYS,
    WEEKLY_MAX,
    OfficeHours,
)
from medmentor.programs.models import Program


class OfficeHoursForm(forms.Form):
    topic = forms.CharField(
        label=_("What you can help with (optional)"),
        max_length=TOPIC_MAX,
        required=False,
        help_text=_("For example: contracts, choosing a residency, research careers."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length of a slot (minutes)"),
        min_value=LENGTH_MIN,
        max_value=LENGTH_MAX,
        initial=30,
    )
    modality = forms.ChoiceField(label=_("How"), choices=Modality.choices, initial=Modality.VIDEO)
    place = forms.CharField(
        label=_("Place or video link"),
        max_length=PLACE_MAX,
        required=False,
        help_text=_("Shown to the mentees who book, and in their calendar invitation."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Every week on"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,  # the service names the field when none is chosen
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(
        label=_("First slot starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    slots_in_row = forms.IntegerField(
        label=_("Slots in a row"),
        min_value=1,
        max_value=ROW_MAX,
        initial=2,
        help_text=_("One after the other, each of the length above."),
    )
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    horizon_days = forms.IntegerField(
        label=_("Mentees may book up to (days ahead)"),
        min_value=1,
        max_value=HORIZON_MAX,
        initial=21,
    )
    max_per_week = forms.IntegerField(
        label=_("Bookings a week, at most"), min_value=1, max_value=WEEKLY_MAX, initial=3
    )
    programs = forms.MultipleChoiceField(
        label=_("Offered in"),
        required=False,  # the service names the field when none is chosen
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The programs where you are an active mentor."),
    )

    def __init__(self, *args: Any, programs: list[Program], tz: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program_list = programs
        set_choices(self.fields["programs"], [(str(p.uuid), p.name) for p in programs])
        self.fields["start_time"].help_text = _("In your time zone: %(zone)s.") % {
            "zone": time_zone_label(tz)
        }
        for name, field in self.fields.items():
            described(field, name)

    def values(self) -> dict[str, Any]:
        """The cleaned data as the service takes it (programs as objects)."""
        data = dict(self.cleaned_data)
        chosen = set(data.pop("programs", []))
        data["programs"] = [p for p in self.program_list if str(p.uuid) in chosen]
        return data


# The weekly pattern: fixed once open (close the offer and open another to change it).
RECURRENCE_FIELDS = (
    "duration_minutes",
    "weekdays",
    "start_time",
    "slots_in_row",
    "starts_on",
    "ends_on",
)


class OfficeHoursChangeForm(OfficeHoursForm):
    """What open office hours say, without their weekly pattern."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in RECURRENCE_FIELDS:
            del self.fields[name]
        self.fields["max_per_week"].help_text = _("Bookings already made stay.")

    @classmethod
    def initial_of(cls, offer: OfficeHours) -> dict[str, Any]:
        return {
            "topic": offer.topic,
            "modality": offer.modality,
            "place": offer.place,
            "horizon_days": offer.horizon_days,
            "max_per_week": offer.max_per_week,
            "programs": [str(p.uuid) for p in offer.programs.all()],
        }


class SlotForm(forms.Form):
    """A one-off slot, typed in the mentor's time zone (``tz``)."""

    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args: Any, tz: ZoneInfo, **kwargs: Any) -> None:
        self.tz = tz
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _("In your time zone: %(zone)s.") % {
            "zone": time_zone_label(tz)
        }
        described(self.fields["starts_at"], "starts_at")

    def clean_starts_at(self) -> datetime:
        value: datetime = self.cleaned_data["starts_at"]
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=self.tz)


class BookingForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"))
    question = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One question, in a few lines, so the mentor can prepare. Never write patient "
            "information here."
        ),
    )

    def __init__(self, *args: Any, programs: list[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["program"], [(str(p.uuid), p.name) for p in programs])
        for name, field in self.fields.items():
            described(field, name)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LogForm(forms.Form):
    minutes_spent = forms.IntegerField(
        label=_("Time spent (minutes)"), min_value=1, max_value=1440, required=False
    )
    reflection = forms.CharField(
        label=_("Your reflection (private)"),
        max_length=REFLECTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only you will see this. It goes into your activity record. Never write "
            "patient information here."
        ),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, auto_id="id_log_%s", **kwargs)


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional, private)"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only you will see your rating and comment."),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, auto_id="id_rate_%s", **kwargs)
