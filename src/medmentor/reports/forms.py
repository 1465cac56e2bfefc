"""The report's filters: a period, and whom it is about. Read from the query string, so
that a report's address can be shared with a colleague who may read it too."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from medmentor.core.periods import Period
from medmentor.matchrounds.models import MatchRound, RoundStatus
from medmentor.programs.models import Program
from medmentor.reports.scope import CohortKind, Scope, default_period

LONGEST = timedelta(days=5 * 366)  # a report covers five years at most
ROUND_PREFIX = "round:"


class DateInput(forms.DateInput):
    input_type = "date"


class ReportForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give a date as YYYY-MM-DD.")},
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give a date as YYYY-MM-DD.")},
    )
    cohort = forms.ChoiceField(label=_("About"), required=False)

    def __init__(
        self, data: Any, *, programs: Sequence[Program], rounds: Sequence[MatchRound] = ()
    ) -> None:
        period = default_period()
        super().__init__(data, initial={"start": period.start, "end": period.end})
        self.programs = tuple(programs)
        self.rounds = {str(r.uuid): r for r in rounds}
        choices: list[tuple[str, Any]] = [
            (CohortKind.EVERYONE.value, CohortKind.EVERYONE.label),
            (CohortKind.ENROLLED.value, CohortKind.ENROLLED.label),
        ]
        choices += [(ROUND_PREFIX + key, _round_label(r)) for key, r in self.rounds.items()]
        cohort = self.fields["cohort"]
        assert isinstance(cohort, forms.ChoiceField)  # as declared above
        cohort.choices = choices

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        default = default_period()
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if "start" in self.errors or "end" in self.errors:
            return data
        if end < start:
            raise ValidationError({"end": _("The end date comes before the start date.")})
        if end - start > LONGEST:
            raise ValidationError({"start": _("A report covers five years at most.")})
        data["start"], data["end"] = start, end
        return data

    def chosen(self, data: dict[str, Any]) -> tuple[Program, ...]:
        return self.programs

    def scope(self) -> Scope:
        """The validated filters (the defaults when the form is not valid)."""
        data = self.cleaned_data if self.is_valid() else {}
        default = default_period()
        period = Period(data.get("start", default.start), data.get("end", default.end))
        cohort = data.get("cohort", "")
        if cohort.startswith(ROUND_PREFIX):
            return Scope(
                self.chosen(data),
                period,
                CohortKind.ROUND,
                self.rounds[cohort.removeprefix(ROUND_PREFIX)],
            )
        return Scope(self.chosen(data), period, cohort)


class RollupForm(ReportForm):
    """Several programs at once: each figure per program and in total."""

    program = forms.MultipleChoiceField(
        label=_("Programs"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data: Any, *, choices: Sequence[Program]) -> None:
        super().__init__(data, programs=choices)
        program = self.fields["program"]
        assert isinstance(program, forms.MultipleChoiceField)  # as declared above
        program.choices = [(str(p.uuid), p.name) for p in choices]

    def chosen(self, data: dict[str, Any]) -> tuple[Program, ...]:
        """The ticked programs; none ticked: all of them."""
        ticked = set(data.get("program") or ())
        return tuple(p for p in self.programs if not ticked or str(p.uuid) in ticked)


def report_rounds(program: Program) -> list[MatchRound]:
    """The rounds a report may be about: those published, newest first."""
    return list(program.rounds.filter(status=RoundStatus.PUBLISHED).order_by("-published_at")[:20])


def _round_label(match_round: MatchRound) -> str:
    published = match_round.published_at or match_round.created_at
    return str(
        _("Match round published on %(day)s")
        % {"day": formats.date_format(published, "DATE_FORMAT")}
    )
