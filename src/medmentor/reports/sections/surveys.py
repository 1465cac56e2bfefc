"""The program's own surveys: for each survey that invited people during the period, how
many were asked and answered, then each question's answers.

Counts go through a ``CountGrid`` like every figure of the report: a question's
distribution shows only from k answers. An anonymous survey shows nothing at all until k
people answered it, and never its text answers; a named survey's text answers are listed
(without names: the survey's own page names who said what).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from medmentor.reports.scope import Scope
from medmentor.reports.tables import Column, CountGrid, Row, Section, Table, mean_of, withheld_below
from medmentor.surveys.selectors import (
    QuestionResult,
    SurveyResults,
    survey_results,
    surveys_sent_in,
)

ANSWERS = "n"


def surveys_section(scope: Scope) -> Section:
    surveys = surveys_sent_in(scope.program_ids, scope.period.start, scope.period.end)
    every = [survey_results(survey) for survey in surveys]
    tables = [_overview(scope, every)]
    for results in every:
        tables += _survey_tables(scope, results)
    return Section(
        key="surveys",
        title=_("The program's surveys"),
        intro=_(
            "Surveys the coordinators wrote and sent during the period, with every answer "
            "received so far. An anonymous survey shows figures only from %(k)s answers and "
            "never its text answers; a named survey's text answers are listed as written."
        )
        % {"k": scope.k},
        tables=tables,
    )


def _key(results: SurveyResults) -> str:
    return f"survey-{results.survey.uuid}"


def _overview(scope: Scope, every: list[SurveyResults]) -> Table:
    grid = CountGrid(k=scope.k)
    for results in every:
        grid.put(_key(results), "invited", results.invited)
        grid.put(_key(results), "answered", results.responses)
    rows = []
    for results in every:
        survey = results.survey
        label = survey.title
        if scope.is_rollup:
            label = f"{survey.program.name} · {label}"
        kind = _("anonymous") if survey.anonymous else _("named")
        rows.append(
            Row(
                _key(results),
                f"{label} ({kind})",
                {
                    "invited": grid.get(_key(results), "invited"),
                    "answered": grid.get(_key(results), "answered"),
                },
            )
        )
    return Table(
        key="surveys",
        title=_("Surveys sent during the period"),
        columns=[Column("invited", _("People asked")), Column("answered", _("Answers"))],
        rows=rows,
        caption=_("Surveys that asked someone during the period; answers received so far."),
    )


def _survey_tables(scope: Scope, results: SurveyResults) -> list[Table]:
    survey = results.survey
    if survey.anonymous and results.responses < scope.k:
        return [
            Table(
                key=_key(results),
                title=survey.title,
                columns=[],
                rows=[],
                withheld=withheld_below(results.responses, scope.k),
            )
        ]
    tables = []
    for number, result in enumerate(results.questions, start=1):
        title = f"{survey.title} · {number}. {result.question.text}"
        key = f"survey-question-{result.question.uuid}"
        if result.is_text:
            tables.append(_texts(key, title, survey.anonymous, result))
        else:
            tables.append(_distribution(scope, key, title, result))
    return tables


def _texts(key: str, title: str, anonymous: bool, result: QuestionResult) -> Table:
    if anonymous:
        return Table(
            key=key,
            title=title,
            columns=[],
            rows=[],
            withheld=_("The text answers of an anonymous survey are never shown."),
        )
    return Table(
        key=key,
        title=title,
        columns=[],
        rows=[Row(f"text_{n}", text, {}) for n, text in enumerate(result.texts, start=1)],
        caption=_("Text answers, as written, in no particular order.")
        if result.texts
        else _("No text answer yet."),
    )


def _distribution(scope: Scope, key: str, title: str, result: QuestionResult) -> Table:
    grid = CountGrid(k=scope.k)
    grid.put("total", ANSWERS, result.answered)
    for option, _label, count in result.options:
        grid.put(option, ANSWERS, count)
    parts = [(option, ANSWERS) for option, _label, _count in result.options]
    if result.options_add_up:
        grid.adds_up(("total", ANSWERS), parts)
    grid.withhold_if_few(("total", ANSWERS), parts)
    rows = [Row("total", _("Answers"), {ANSWERS: grid.get("total", ANSWERS)})]
    rows += [
        Row(option, label, {ANSWERS: grid.get(option, ANSWERS)}, 1)
        for option, label, _count in result.options
    ]
    if result.is_scale:
        total_hidden = result.answered < scope.k
        mean = None if total_hidden else mean_of(result.total_of_scores, result.answered, k=scope.k)
        rows.append(Row("mean", _("Mean"), {ANSWERS: mean}, kind="mean"))
    return Table(
        key=key,
        title=title,
        columns=[Column(ANSWERS, _("Answers"))],
        rows=rows,
        caption=_("Several answers may be chosen: the counts add up to more than the answers.")
        if not result.options_add_up
        else "",
        withheld=withheld_below(result.answered, scope.k) if result.answered else "",
    )
