"""Equity: who stays unmatched, who waits longest and who closes early, group by group,
each beside the group's share of the enrolled mentees."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, compress

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from medmentor.profiles.models import Gender
from medmentor.profiles.selectors import equity_attributes
from medmentor.profiles.taxonomy import taxonomy
from medmentor.programs.codes import CAREER_STAGES, career_stage_group
from medmentor.programs.models import Membership
from medmentor.programs.selectors.reporting import equity_questions, mentee_enrolments
from medmentor.reports.scope import Scope
from medmentor.reports.sections.journeys import Journey, waited_in_period
from medmentor.reports.tables import Column, CountGrid, Label, Row, Section, Table, median_of

ALL, NOT_STATED = "all", ""
COUNTS = ("enrolled", "unmatched", "early")
Codes = tuple[str, ...]


@dataclass(frozen=True)
class Attribute:
    key: str
    title: Label
    codes: list[Codes]  # each journey's groups, in the order of the journeys
    label_of: Callable[[str], Label]
    single: bool  # one group per person (the groups add up to everyone)
    order: Sequence[str] = ()  # a natural order of the groups; else the largest first


def equity_section(scope: Scope, journeys: list[Journey]) -> Section:
    enrolments = mentee_enrolments(scope.program_ids, scope.cohort(), scope.period)
    facts = equity_attributes(enrolments.values("user_id"))
    attributes = _profile_attributes(scope, journeys, facts)
    if not scope.is_rollup:
        attributes += _question_attributes(scope, journeys, enrolments)
    waits = [waited_in_period(journey, scope) for journey in journeys]
    return Section(
        key="equity",
        title=_("Equity"),
        intro=_(
            "Who stays unmatched, who waits longest and who closes early, for each group "
            "beside its share of the enrolled mentees. A group with a share of the unmatched "
            "well above its share of the enrolled may need your attention. Groups come from "
            "what people chose to tell in their profiles."
        ),
        tables=[_table(scope, journeys, waits, attribute) for attribute in attributes],
    )


def _profile_attributes(
    scope: Scope, journeys: list[Journey], facts: Mapping[str, Mapping[int, Codes]]
) -> list[Attribute]:
    terms = taxonomy()

    def codes(field: str) -> list[Codes]:
        of_user = facts[field]
        return [of_user.get(journey.user_id, ()) for journey in journeys]

    def term(vocabulary: str) -> Callable[[str], Label]:
        by_code = terms[vocabulary].by_code
        return lambda code: by_code[code].label if code in by_code else code

    stages = dict(CAREER_STAGES)
    attributes = [
        Attribute(
            "career_stage",
            _("Career stage"),
            [tuple({career_stage_group(c) for c in cs} - {""}) for cs in codes("career_stage")],
            lambda code: stages.get(code, code),
            single=True,
            order=[code for code, _label in CAREER_STAGES],
        ),
        Attribute(
            "gender", _("Gender"), codes("gender"), lambda code: Gender(code).label, single=True
        ),
        Attribute(
            "languages",
            _("Languages spoken"),
            codes("languages"),
            term("languages"),
            single=False,
        ),
        Attribute(
            "province",
            _("Province or territory"),
            codes("province"),
            term("provinces"),
            single=True,
        ),
        Attribute(
            "specialty_family",
            _("Specialty (subspecialties with their specialty)"),
            codes("specialty_family"),
            term("specialties"),
            single=True,
        ),
    ]
    # Self-identification is used only by the identity-based programs people chose to join.
    if any(program.requires_self_identification for program in scope.programs):
        attributes.append(
            Attribute(
                "identities",
                _("Self-identification"),
                codes("identities"),
                term("identities"),
                single=False,
            )
        )
    return attributes


def _question_attributes(
    scope: Scope, journeys: list[Journey], enrolments: QuerySet[Membership]
) -> list[Attribute]:
    """The program's own choice questions to mentees: groups it collects itself."""
    questions = equity_questions(scope.program_ids)
    if not questions:
        return []
    answers = {
        (program_id, user_id): answer or {}
        for program_id, user_id, answer in enrolments.values_list(
            "program_id", "user_id", "answers"
        )
    }
    attributes = []
    for question in questions:
        key, labels = str(question.uuid), dict(question.choice_pairs())
        attributes.append(
            Attribute(
                f"question_{key}",
                question.text,
                [tuple(answers.get((j.program_id, j.user_id), {}).get(key, ())) for j in journeys],
                partial(_answer_label, labels),
                single=question.kind == "single",
                order=question.codes,
            )
        )
    return attributes


def _table(
    scope: Scope, journeys: list[Journey], waits: list[int | None], attribute: Attribute
) -> Table:
    groups_of = [codes or ((NOT_STATED,) if attribute.single else ()) for codes in attribute.codes]
    counts = {
        "enrolled": Counter(chain.from_iterable(groups_of)),
        "unmatched": Counter(
            chain.from_iterable(compress(groups_of, (not j.matched for j in journeys)))
        ),
        "early": Counter(
            chain.from_iterable(compress(groups_of, (j.closed_early for j in journeys)))
        ),
    }
    days_of: dict[str, list[float]] = defaultdict(list)
    for mentee_groups, days in zip(groups_of, waits, strict=True):
        if days is not None:
            days_of[ALL].append(days)
            for code in mentee_groups:
                days_of[code].append(days)
    grid = CountGrid(k=scope.k)
    for column, by_code in counts.items():
        for code, n in by_code.items():
            grid.put(code, column, n)
    grid.put(ALL, "enrolled", len(journeys))
    grid.put(ALL, "unmatched", sum(not j.matched for j in journeys))
    grid.put(ALL, "early", sum(j.closed_early for j in journeys))
    groups = sorted(counts["enrolled"], key=_order(attribute, grid))
    if attribute.single:
        for column in COUNTS:
            grid.adds_up((ALL, column), [(code, column) for code in groups])
    for code in [ALL, *groups]:  # a group of fewer than k people shows nothing at all
        grid.withhold_if_few((code, "enrolled"), [(code, column) for column in COUNTS])
    rows = []
    for code in [ALL, *groups]:
        if code == ALL:
            label: Label = _("All enrolled mentees")
        elif code == NOT_STATED:
            label = _("Not stated")
        else:
            label = attribute.label_of(code)
        rows.append(
            Row(
                code or "not_stated",
                label,
                {
                    "enrolled": grid.get(code, "enrolled"),
                    "enrolled_share": grid.share((code, "enrolled"), (ALL, "enrolled")),
                    "unmatched": grid.get(code, "unmatched"),
                    "unmatched_share": grid.share((code, "unmatched"), (ALL, "unmatched")),
                    "median_days": median_of(days_of[code], k=scope.k)
                    if grid.raw(code, "enrolled") >= scope.k
                    else None,
                    "early": grid.get(code, "early"),
                    "early_share": grid.share((code, "early"), (ALL, "early")),
                },
                level=0 if code == ALL else 1,
            )
        )
    return Table(
        key=f"equity_{attribute.key}",
        title=attribute.title,
        columns=[
            Column("enrolled", _("Enrolled")),
            Column("enrolled_share", _("Share of the enrolled"), "percent"),
            Column("unmatched", _("Still without a mentorship")),
            Column("unmatched_share", _("Share of those without"), "percent"),
            Column("median_days", _("Median days to a first mentorship"), "days"),
            Column("early", _("Closed early")),
            Column("early_share", _("Share of early closures"), "percent"),
        ],
        rows=rows,
        caption=""
        if attribute.single
        else _("A person may belong to several groups, so the groups add up to more."),
    )


def _order(attribute: Attribute, grid: CountGrid) -> Callable[[str], tuple[int, int, str]]:
    position = {code: n for n, code in enumerate(attribute.order)}

    def key(code: str) -> tuple[int, int, str]:
        if code == NOT_STATED:
            return (2, 0, "")
        if code in position:
            return (0, position[code], code)
        return (1, -grid.raw(code, "enrolled"), str(attribute.label_of(code)))

    return key


def _answer_label(labels: dict[str, str], code: str) -> str:
    """An intake answer's label (the code itself if the question lost that choice)."""
    return labels.get(code, code)
