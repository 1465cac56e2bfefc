"""Forms of the workspace. The rules live in the services; forms parse and bound."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.mentorships.evaluation import dimensions_for
from medmentor.mentorships.models import Meeting, MentorshipKind, Modality, NoteVisibility
from medmentor.mentorships.models.conversation import MESSAGE_LIMIT, NOTE_LIMIT
from medmentor.mentorships.models.work import TEXT_LIMIT, TITLE_LIMIT
from medmentor.mentorships.selectors import goal_area_choices
from medmentor.mentorships.services.audit import REASON_MAX
from medmentor.mentorships.services.checkins import NOTE_LIMIT as CHECKIN_NOTE_LIMIT
from medmentor.mentorships.timezones import time_zone_label
from medmentor.programs.models import MentorshipFormat, Program, Role, Status

PATIENT_WARNING = _("Never write patient information here.")
SCORES = [(n, str(n)) for n in range(1, 6)]

if TYPE_CHECKING:
    # django-stubs makes the field generic in its model; Django's class cannot be
    # subscripted at run time, so the parameter is for the type checker only.
    _MeetingField = forms.ModelChoiceField[Meeting]
else:
    _MeetingField = forms.ModelChoiceField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def confidential_text(label: Any, limit: int, rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
        help_text=PATIENT_WARNING,
    )


class AgreementForm(forms.Form):
    text = forms.CharField(
        label=_("Agreement"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Any change after a signature asks both of you to sign again."),
    )


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=TITLE_LIMIT)
    description = forms.CharField(
        label=_("What exactly"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    measure = forms.CharField(
        label=_("How you will know it is reached"), max_length=500, required=False
    )
    area = forms.ChoiceField(label=_("What it serves"), required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    progress = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, initial=0, required=False
    )

    def __init__(self, *args: Any, agreed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The profile's mentoring goals: one vocabulary for what a mentee seeks and what a
        # goal serves.
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)  # as declared above
        area.choices = [("", _("Choose…")), *goal_area_choices()]
        # Progress is followed once both agree to the goal; before, it may stay blank.
        self.fields["progress"].required = agreed


class GoalStepForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=TITLE_LIMIT)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        # Its own ids: the goal page shows it beside the goal's form, which also has a
        # title and a due date.
        super().__init__(data, auto_id="id_step_%s", **kwargs)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PATIENT_WARNING,
    )

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, auto_id="id_comment_%s", **kwargs)


class MeetingForm(forms.Form):
    """The start is typed in the person's own time zone (``tz``)."""

    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=600, initial=60
    )
    modality = forms.ChoiceField(label=_("How"), choices=Modality.choices)
    place = forms.CharField(label=_("Place or link"), max_length=500, required=False)
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=PATIENT_WARNING,
    )

    def __init__(self, *args: Any, tz: ZoneInfo, **kwargs: Any) -> None:
        self.tz = tz
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _("In your time zone: %(zone)s.") % {
            "zone": time_zone_label(tz)
        }

    def clean_starts_at(self) -> datetime:
        value: datetime = self.cleaned_data["starts_at"]
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=self.tz)

    @classmethod
    def initial_for(cls, meeting: Meeting, tz: ZoneInfo) -> dict[str, Any]:
        return {
            "starts_at": timezone.localtime(meeting.starts_at, tz).replace(tzinfo=None),
            "duration_minutes": meeting.duration_minutes,
            "modality": meeting.modality,
            "place": meeting.place,
            "agenda": meeting.agenda,
        }


class MeetingLogForm(forms.Form):
    discussed = forms.CharField(
        label=_("What was discussed"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=PATIENT_WARNING,
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes_spent = forms.IntegerField(label=_("Time spent (minutes)"), min_value=1, max_value=1440)


class MeetingChoiceField(_MeetingField):
    """A meeting named by its start as the workspace shows it: in the reader's time zone
    (``tz``, set by the form), not UTC."""

    tz: ZoneInfo | None = None

    def label_from_instance(self, obj: Meeting) -> str:
        if self.tz is None:
            return super().label_from_instance(obj)
        starts = date_format(timezone.localtime(obj.starts_at, self.tz), "DATETIME_FORMAT")
        return f"{starts} ({time_zone_label(self.tz)})"


class NoteForm(forms.Form):
    body = confidential_text(_("Note"), NOTE_LIMIT)
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=NoteVisibility.choices,
        widget=forms.RadioSelect,
        initial=NoteVisibility.PRIVATE,
    )
    meeting = MeetingChoiceField(
        label=_("About the meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        to_field_name="uuid",
    )

    def __init__(
        self,
        *args: Any,
        meetings: QuerySet[Meeting] | None = None,
        tz: ZoneInfo | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, MeetingChoiceField)  # as declared above
        if meetings is not None:
            field.queryset = meetings
        field.tz = tz


class NoteEditForm(forms.Form):
    body = confidential_text(_("Note"), NOTE_LIMIT)


class MessageForm(forms.Form):
    body = confidential_text(_("Message"), MESSAGE_LIMIT, rows=3)


class CheckInForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How is it going? (1: not well, 5: very well)"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    meetings_held = forms.IntegerField(
        label=_("Meetings held since the last check-in"), min_value=0, max_value=100
    )
    wants_support = forms.BooleanField(
        label=_("I am struggling and would like support"), required=False
    )
    alert_consent = forms.BooleanField(
        label=_("Tell my program coordinator that I asked for support"),
        required=False,
        help_text=_("Only if you tick this box. Your coordinator sees no answer of yours."),
    )
    note_for_coordinator = forms.CharField(
        label=_("Anything the coordinator should know"),
        max_length=CHECKIN_NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PATIENT_WARNING,
    )
    shared_with_coordinator = forms.BooleanField(
        label=_("Share my score and this note with the coordinator"),
        required=False,
        help_text=_("Without this, your answers stay with you."),
    )


class EndForm(forms.Form):
    private_reason = forms.CharField(
        label=_("Why (optional, private: only you will ever read it)"),
        max_length=NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PATIENT_WARNING,
    )


class SelfRatingForm(forms.Form):
    """The side's own benefit dimensions, each 1-5: the baseline, and closure's first part."""

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role = role
        for dimension in dimensions_for(role):
            self.fields[dimension.code] = forms.TypedChoiceField(
                label=dimension.statement, choices=SCORES, coerce=int, widget=forms.RadioSelect
            )

    def ratings(self) -> dict[str, int]:
        return {d.code: self.cleaned_data[d.code] for d in dimensions_for(self.role)}


class EvaluationForm(SelfRatingForm):
    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, role=role, **kwargs)
        self.fields["would_recommend"] = forms.TypedChoiceField(
            label=_("Would you recommend this mentoring to a colleague?"),
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda answer: answer == "yes",
            widget=forms.RadioSelect,
        )
        self.fields["comments"] = forms.CharField(
            label=_("Anything else you would like to say"),
            max_length=20_000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        if role == "mentee":
            self.fields["wants_rematch"] = forms.BooleanField(
                label=_("I would like a new mentor"), required=False
            )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you open this mentorship?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The pair can read who opened their mentorship, when and why."),
    )


class GroupForm(forms.Form):
    """A coordinator forms a group or a circle by hand from the program's participants."""

    kind = forms.ChoiceField(label=_("Format"))
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_('As its members see it, e.g. "Surgery house". Empty: named after a member.'),
    )
    mentors = forms.ModelMultipleChoiceField(
        label=_("Mentors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A group: its mentor, or two co-mentors. A circle: none."),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Mentees, or the circle's members"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program_format = MentorshipFormat(program.mentorship_format)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [
            (kind.value, kind.label)
            for kind in (MentorshipKind.GROUP, MentorshipKind.CIRCLE)
            if program_format.allows(kind.value)
        ]
        for name, roles in (("mentors", (Role.MENTOR,)), ("members", (Role.MENTEE, Role.MENTOR))):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = (
                User.objects.filter(
                    program_memberships__program=program,
                    program_memberships__status=Status.ACTIVE,
                    program_memberships__role__in=roles,
                    is_active=True,
                )
                .distinct()
                .order_by("name", "pk")
            )
