"""Forms for coordinators (settings, milestones, questions, invitations) and joiners."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from medmentor.directory.models import Listing
from medmentor.institutions.models import Institution
from medmentor.programs.codes import career_stage_choices, region_choices
from medmentor.programs.invitations import DEFAULT_VALID_DAYS, MAX_VALID_DAYS
from medmentor.programs.models import (
    CHOICE_KINDS,
    FOUR_CS,
    PARTICIPANT_ROLES,
    WEIGHT_MAX,
    Audience,
    IntakeQuestion,
    Milestone,
    Program,
    QuestionKind,
    Role,
    Status,
)
from medmentor.programs.services.enrolment import TEXT_ANSWER_LIMIT, answer_field
from medmentor.programs.services.listing import LISTING_AUDIENCES
from medmentor.programs.services.programs import (
    MILESTONE_FIELDS,
    PROGRAM_FIELDS,
    QUESTION_FIELDS,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
ROLE_CHOICES = [(role.value, role.label) for role in PARTICIPANT_ROLES]


class RangeInput(forms.NumberInput):
    """A slider; without JavaScript it still submits its value, shown beside it."""

    input_type = "range"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def stages_field(label: StrOrPromise) -> forms.MultipleChoiceField:
    """Career stages as tick boxes; the codes come from ``codes.career_stage_choices``."""
    return forms.MultipleChoiceField(
        label=label,
        choices=career_stage_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every career stage."),
    )


class ProgramForm(forms.ModelForm[Program]):
    # An empty first choice: a new program's region is chosen, never Alberta by default.
    region = forms.ChoiceField(
        label=_("Region"), choices=lambda: [("", _("Choose a region")), *region_choices()]
    )
    mentor_stages = stages_field(_("Career stages accepted as mentors"))
    mentee_stages = stages_field(_("Career stages accepted as mentees"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only institutions that sign people in can vouch for them.
        institution = self.fields["sso_institution"]
        assert isinstance(institution, forms.ModelChoiceField)
        institution.queryset = Institution.objects.exclude(sso_provider_id="")
        institution.empty_label = _("Anyone (no institutional sign-in needed)")
        if self.instance.pk is None:
            # A new program is listed publicly only once its coordinator chooses to.
            self.fields["is_listed"].initial = False

    class Meta:
        model = Program
        fields = PROGRAM_FIELDS
        widgets = {
            "cycle_start": DateInput(),
            "cycle_end": DateInput(),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
            "support_resources": forms.Textarea(attrs={"rows": 4}),
            "agreement_template": forms.Textarea(attrs={"rows": 8}),
            **{
                f"weight_{c}": RangeInput(attrs={"min": 0, "max": WEIGHT_MAX, "step": 1})
                for c in FOUR_CS
            },
        }

    @staticmethod
    def initial_from_listing(listing: Listing) -> dict[str, Any]:
        """A program its directory listing's owner now runs here starts from the listing."""
        audiences = {str(code) for code in listing.audiences}
        audience = LISTING_AUDIENCES.get(audiences.pop()) if len(audiences) == 1 else None
        return {
            "name_en": listing.name_en,
            "name_fr": listing.name_fr,
            "description_en": listing.description_en,
            "description_fr": listing.description_fr,
            "audience": audience or (Audience.MIXED if listing.audiences else None),
            "region": listing.region or None,
            "is_listed": True,
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what a model form's clean() returns
        start, end = data.get("cycle_start"), data.get("cycle_end")
        if bool(start) != bool(end):
            missing = "cycle_end" if start else "cycle_start"
            self.add_error(missing, _("Give both dates of the cycle, or neither."))
        elif start and end and end <= start:
            self.add_error("cycle_end", _("The cycle must end after it starts."))
        smallest, largest = data.get("group_size_min"), data.get("group_size_max")
        if smallest and largest and largest < smallest:
            self.add_error(
                "group_size_max", _("The largest group cannot be smaller than the smallest.")
            )
        if data.get("is_listed") and not data.get("description_en"):
            self.add_error(
                "description_en",
                _("A listed program needs a description: visitors of the directory read it first."),
            )
        weights = [data.get(f"weight_{c}") for c in FOUR_CS]
        if all(w is not None for w in weights) and not any(weights):
            self.add_error(None, _("At least one of the four Cs needs a weight above 0."))
        return data

    FIELDSETS = (
        (
            _("About the program"),
            ("name_en", "name_fr", "description_en", "description_fr", "audience", "region"),
        ),
        (
            _("Cycle and enrolment"),
            (
                "is_listed",
                "cycle_start",
                "cycle_end",
                "enrolment_mode",
                "matching_mode",
                "seniority_rule",
            ),
        ),
        (
            _("Eligibility"),
            ("mentor_stages", "mentee_stages", "requires_self_identification", "sso_institution"),
        ),
        (
            _("Mentorships and direct requests"),
            (
                "mentorship_months",
                "mentorship_format",
                "group_size_min",
                "group_size_max",
                "max_open_requests",
                "request_cascade_days",
            ),
        ),
        (
            _("Follow-up and support"),
            (
                "checkin_first_days",
                "checkin_every_days",
                "inactivity_days",
                "closure_notice_days",
                "support_resources",
                "agreement_template",
            ),
        ),
    )

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(legend), [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{c}"] for c in FOUR_CS]

    def _post_clean(self) -> None:
        # Constraints are checked above with clearer messages, naming the field.
        if not self.errors:
            # django-stubs leave out the private hook a ModelForm validates its instance in.
            super()._post_clean()  # type: ignore[misc]


class MilestoneForm(forms.ModelForm[Milestone]):
    class Meta:
        model = Milestone
        fields = MILESTONE_FIELDS


MilestoneFormSet = forms.modelformset_factory(
    Milestone, form=MilestoneForm, extra=2, can_delete=True
)


def milestone_steps(
    formset: forms.BaseModelFormSet[Milestone, MilestoneForm],
) -> list[dict[str, Any]]:
    """The plan a valid formset describes, earliest first (deleted and blank rows left out)."""
    steps = [
        {name: form.cleaned_data[name] for name in MILESTONE_FIELDS}
        for form in formset.forms
        if form.has_changed() or form.instance.pk
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    return sorted(steps, key=lambda step: step["due_after_days"])


def choices_as_text(choices: list[dict[str, str]]) -> str:
    """A question's choices as a coordinator edits them: “code | English | French” lines."""
    return "\n".join(
        " | ".join([c["code"], c["en"], c.get("fr", "")]).rstrip(" |") for c in choices
    )


def choices_from_text(text: str) -> list[dict[str, str]]:
    """The choices written as :func:`choices_as_text` writes them; a line that is not
    “code | English | French”, a bad or repeated code, or fewer than two choices is an
    error naming the line."""
    parsed: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (2, 3) or not parts[1]:
            raise ValidationError(
                _("Line %(number)s: write “code | English | French”."),
                params={"number": number},
            )
        code = parts[0]
        if not CODE_PATTERN.match(code):
            raise ValidationError(
                _("Line %(number)s: “%(code)s” is not a valid code."),
                params={"number": number, "code": code},
            )
        if code in {choice["code"] for choice in parsed}:
            raise ValidationError(
                _("Line %(number)s: the code “%(code)s” is used twice."),
                params={"number": number, "code": code},
            )
        parsed.append({"code": code, "en": parts[1], "fr": parts[2] if len(parts) > 2 else ""})
    if len(parsed) < 2:
        raise ValidationError(_("Give at least two choices."))
    return parsed


class IntakeQuestionForm(forms.ModelForm[IntakeQuestion]):
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For a choice question, one per line: a short code, the English label and the "
            "French label, separated by “|”, e.g. “virtual | Virtual | Virtuel”. Codes "
            "(lower-case letters, digits, - and _) stay fixed; answers refer to them."
        ),
    )

    class Meta:
        model = IntakeQuestion
        fields = QUESTION_FIELDS
        widgets = {"matching_weight": RangeInput(attrs={"min": 0, "max": WEIGHT_MAX, "step": 1})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = choices_as_text(self.instance.choices)

    def clean_choices(self) -> list[dict[str, str]]:
        if self.data.get(self.add_prefix("kind")) not in CHOICE_KINDS:
            return []  # a text, number or date question has none
        return choices_from_text(self.cleaned_data["choices"])


def answer_field_for(question: IntakeQuestion) -> forms.Field:
    """The form field that asks ``question``; the service checks the answer again."""
    common: dict[str, Any] = {"label": question.text, "required": question.required}
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=question.choice_pairs(), widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(
            choices=question.choice_pairs(), widget=forms.RadioSelect, **common
        )
    if question.kind == QuestionKind.NUMBER:
        return forms.DecimalField(max_digits=16, decimal_places=4, **common)
    if question.kind == QuestionKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(max_length=TEXT_ANSWER_LIMIT, **common)


class JoinForm(forms.Form):
    """What a person tells a program when they join in one role."""

    def __init__(self, *args: Any, program: Program, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        self.role = role
        if program.stages_for(role):
            self.fields["career_stage"] = forms.ChoiceField(
                label=_("Your career stage"),
                choices=[("", "—"), *career_stage_choices()],
                help_text=_("This program accepts: %(stages)s.")
                % {"stages": ", ".join(program.stage_labels_for(role))},
            )
        if program.requires_self_identification:
            self.fields["self_identified"] = forms.BooleanField(
                label=_("I belong to the community this program is for, as described above."),
            )
        self.questions = list(program.questions.filter(role=role))
        for question in self.questions:
            self.fields[self.question_field(question)] = answer_field_for(question)

    @staticmethod
    def question_field(question: IntakeQuestion) -> str:
        return f"q_{question.uuid.hex}"

    def answers(self) -> dict[str, list[str]]:
        answers: dict[str, list[str]] = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.question_field(question))
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                answers[str(question.uuid)] = value
            elif isinstance(value, date):
                answers[str(question.uuid)] = [value.isoformat()]
            else:
                answers[str(question.uuid)] = [str(value)]
        return answers

    def service_field_names(self) -> dict[str, str]:
        """The services name an answer by its question; this form by its field."""
        return {answer_field(q): self.question_field(q) for q in self.questions}


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, sent to the person)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitationLinkForm(forms.Form):
    role = forms.ChoiceField(label=_("Invite as"), choices=ROLE_CHOICES)
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_VALID_DAYS,
        initial=DEFAULT_VALID_DAYS,
    )


class InvitationEmailForm(InvitationLinkForm):
    email = forms.EmailField(label=_("E-mail address"))


class MemberFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All")), *Role.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Status.choices], required=False
    )
