"""Forms of surveys. They check shapes; the services check rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.core.forms import described, set_choices
from medmentor.programs.forms import DateInput, choices_as_text, choices_from_text
from medmentor.programs.models import Program
from medmentor.segments.selectors import segment_rounds
from medmentor.surveys.models import (
    CHOICE_KINDS,
    SCALES,
    Question,
    QuestionKind,
    Survey,
)
from medmentor.surveys.services.answering import question_field
from medmentor.surveys.services.authoring import QUESTION_FIELDS, SURVEY_FIELDS


class SurveyForm(forms.ModelForm[Survey]):
    class Meta:
        model = Survey
        fields = SURVEY_FIELDS
        widgets = {
            "intro_en": forms.Textarea(attrs={"rows": 3}),
            "intro_fr": forms.Textarea(attrs={"rows": 3}),
            "send_on": DateInput(),
            "closes_on": DateInput(),
        }
        help_texts = {
            "title_fr": _("Optional: French readers see the English when it is empty."),
            "send_on": _("For a survey sent on a date."),
            "trigger_days": _(
                "For a survey sent some days after each mentorship starts: how many days."
            ),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rounds = self.fields["match_round"]
        assert isinstance(rounds, forms.ModelChoiceField)
        rounds.queryset = segment_rounds(program)
        for name, field in self.fields.items():
            described(field, name)


class QuestionForm(forms.ModelForm[Question]):
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For a choice question, one per line: a short code, the English label and the "
            "French label, separated by “|”, e.g. “often | Often | Souvent”."
        ),
    )

    class Meta:
        model = Question
        fields = QUESTION_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = choices_as_text(self.instance.choices)
        described(self.fields["choices"], "choices")

    def clean_choices(self) -> list[dict[str, str]]:
        if self.data.get(self.add_prefix("kind")) not in CHOICE_KINDS:
            return []  # scales, texts and yes/no have none
        return choices_from_text(self.cleaned_data["choices"])


class AnswerForm(forms.Form):
    """One field per question, in the reader's language."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question_field(question)] = _field_for(question)


def _field_for(question: Question) -> forms.Field:
    label = question.text
    required = question.required
    field: forms.Field
    if question.kind in SCALES:
        values = SCALES[question.kind]
        field = forms.ChoiceField(
            label=label,
            required=required,
            choices=[(str(v), str(v)) for v in values],
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            help_text=_("From %(low)s to %(high)s.") % {"low": values[0], "high": values[-1]},
        )
    elif question.kind in CHOICE_KINDS or question.kind == QuestionKind.YES_NO:
        multiple = question.kind == QuestionKind.MULTIPLE
        field = (forms.MultipleChoiceField if multiple else forms.ChoiceField)(
            label=label,
            required=required,
            widget=forms.CheckboxSelectMultiple if multiple else forms.RadioSelect,
        )
        set_choices(field, question.choice_pairs())
    else:
        long = question.kind == QuestionKind.LONG_TEXT
        field = forms.CharField(
            label=label,
            required=required,
            widget=forms.Textarea(attrs={"rows": 5}) if long else forms.TextInput,
        )
    # Errors name the question, for whoever reads them away from the field.
    field.error_messages["required"] = _("“%(question)s”: this question needs an answer.") % {
        "question": label
    }
    # (Django fills this one in with the value: a "%" of the question is escaped.)
    field.error_messages["invalid_choice"] = _("“%(question)s”: choose from the list.") % {
        "question": label.replace("%", "%%")
    }
    if not required:
        field.label = f"{label} " + str(_("(optional)"))
    return field
