"""Outcomes: each side's self-rating at the start and at closure on its benefit dimensions,
goals agreed and achieved, post-meeting ratings and whether people would recommend it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from medmentor.mentorships.evaluation import dimensions_for
from medmentor.mentorships.models import Mentorship, Moment
from medmentor.mentorships.selectors.reporting import (
    goal_counts,
    meeting_rating_counts,
    mentorships_in_report,
    recommendation_counts,
    self_rating_counts,
)
from medmentor.reports.scope import Scope
from medmentor.reports.tables import (
    SCORES,
    Chart,
    Column,
    CountGrid,
    Hidden,
    Row,
    Section,
    Table,
    mean_of,
    score_rows,
    withheld_below,
)

ROLES = ("mentee", "mentor")
ROLE_LABELS = {"mentee": _("Mentees"), "mentor": _("Mentors")}
Changes = dict[tuple[str, str], tuple[int, int]]  # (role, dimension) -> (people, sum of changes)


def outcomes_section(scope: Scope) -> Section:
    mentorships = mentorships_in_report(scope.program_ids, scope.cohort(), scope.period)
    # Rows (role, moment, dimension), columns the scores 1-5 and their total "n".
    ratings = CountGrid(k=scope.k)
    changes: Changes = {}
    for counted in self_rating_counts(mentorships, scope.period):
        ratings.add(
            (counted["role"], counted["moment"], counted["dimension"]),
            counted["score"],
            counted["n"],
        )
        if counted["paired"]:
            assert counted["change"] is not None  # the paired ones' changes were summed
            n, change = changes.get((counted["role"], counted["dimension"]), (0, 0))
            changes[(counted["role"], counted["dimension"])] = (
                n + counted["paired"],
                change + counted["change"],
            )
    ratings.total_over(SCORES, "n")
    for key in {row for row, _column in ratings.counts}:
        ratings.withhold_if_few((key, "n"), [(key, s) for s in SCORES])

    summaries = [_summary(scope, role, ratings, changes) for role in ROLES]
    distributions = [_distribution(role, moment, ratings) for role in ROLES for moment in Moment]
    return Section(
        key="outcomes",
        title=_("Outcomes"),
        intro=_(
            "Each side rates itself on the benefits of mentoring at the start (optional) and "
            "again at closure, with the same questions, from 1 (very little) to 5 (a lot). "
            "The change counts only the people who answered both."
        ),
        tables=[
            *summaries,
            *distributions,
            _goals(scope, mentorships),
            _meeting_ratings(scope, mentorships),
            _recommend(scope, mentorships),
        ],
        charts=[
            Chart("before_after", table, columns=["baseline_mean", "closure_mean"])
            for table in summaries
            if not table.withheld
        ],
    )


def _mean_score(ratings: CountGrid, key: tuple[str, str, str]) -> float | None:
    n = ratings.raw(key, "n")
    return mean_of(sum(s * ratings.raw(key, s) for s in SCORES), n, k=ratings.k)


def _summary(scope: Scope, role: str, ratings: CountGrid, changes: Changes) -> Table:
    k = scope.k
    rows, most = [], 0
    for dimension in dimensions_for(role):
        before = (role, Moment.BASELINE.value, dimension.code)
        after = (role, Moment.CLOSURE.value, dimension.code)
        paired, change = changes.get((role, dimension.code), (0, 0))
        most = max(most, ratings.raw(before, "n"), ratings.raw(after, "n"))
        rows.append(
            Row(
                dimension.code,
                dimension.benefit,
                {
                    "baseline_n": ratings.get(before, "n"),
                    "baseline_mean": _mean_score(ratings, before),
                    "closure_n": ratings.get(after, "n"),
                    "closure_mean": _mean_score(ratings, after),
                    "change_n": paired if paired >= k or not paired else Hidden.FEW,
                    "change": mean_of(change, paired, k=k),
                },
            )
        )
    return Table(
        key=f"outcomes_{role}",
        title=_("%(side)s: where they stood at the start and at closure")
        % {"side": ROLE_LABELS[role]},
        columns=[
            Column("baseline_n", _("Answers at the start")),
            Column("baseline_mean", _("Mean at the start"), "mean"),
            Column("closure_n", _("Answers at closure")),
            Column("closure_mean", _("Mean at closure"), "mean"),
            Column("change_n", _("People who answered both")),
            Column("change", _("Mean change"), "change"),
        ],
        rows=rows,
        caption=_(
            "Starting ratings given by the end of the period; closure ratings given during it."
        ),
        withheld=withheld_below(most, k),
    )


def _distribution(role: str, moment: Moment, ratings: CountGrid) -> Table:
    rows = []
    for dimension in dimensions_for(role):
        key = (role, moment.value, dimension.code)
        shown, _mean = ratings.distribution((key, "n"), [(key, s) for s in SCORES])
        rows.append(
            Row(
                dimension.code,
                dimension.benefit,
                dict(zip(["n", *map(str, SCORES)], shown, strict=True)),
            )
        )
    return Table(
        key=f"distribution_{role}_{moment.value}",
        title=_("%(side)s, %(moment)s: how many gave each score")
        % {"side": ROLE_LABELS[role], "moment": moment.label.lower()},
        columns=[
            Column("n", _("Answers")),
            *(Column(str(s), str(s)) for s in SCORES),
        ],
        rows=rows,
    )


def _goals(scope: Scope, mentorships: QuerySet[Mentorship]) -> Table:
    grid = CountGrid(k=scope.k)
    for counted in goal_counts(mentorships, scope.period):
        column = scope.key_of(counted["program_id"])
        grid.add("agreed", column, counted["agreed"])
        grid.add("achieved", column, counted["achieved"])
    grid.complete(scope.program_keys, scope.total_column, {})
    rows = [
        Row("agreed", _("Goals agreed by both sides"), {}),
        Row("achieved", _("achieved"), {}, 1),
        Row("achieved_share", _("share achieved"), {}, 1, kind="percent"),
    ]
    for column in scope.keys:
        rows[0].cells[column] = grid.get("agreed", column)
        rows[1].cells[column] = grid.get("achieved", column)
        rows[2].cells[column] = grid.share(("achieved", column), ("agreed", column))
    return Table(
        key="goals",
        title=_("Goals"),
        columns=scope.columns(),
        rows=rows,
        caption=_("Goals of the report's mentorships set by the end of the period."),
    )


def _meeting_ratings(scope: Scope, mentorships: QuerySet[Mentorship]) -> Table:
    grid = CountGrid(k=scope.k)
    for counted in meeting_rating_counts(mentorships, scope.period):
        grid.add(f"score_{counted['score']}", counted["role"], counted["n"])
    rows = score_rows(
        grid,
        ROLES,
        None,
        total=("n", _("Meetings rated")),
        score_label=_("rated %(n)s"),
        mean_label=_("Mean rating (1 to 5)"),
    )
    return Table(
        key="meeting_ratings",
        title=_("After each meeting: how was it?"),
        columns=[Column(role, ROLE_LABELS[role]) for role in ROLES],
        rows=rows,
        caption=_("One-click ratings given after meetings during the period."),
        withheld=withheld_below(grid.raw("n", "mentee") + grid.raw("n", "mentor"), scope.k),
    )


def _recommend(scope: Scope, mentorships: QuerySet[Mentorship]) -> Table:
    grid = CountGrid(k=scope.k)
    for counted in recommendation_counts(mentorships, scope.period):
        answer = "yes" if counted["would_recommend"] else "no"
        grid.add(f"{counted['role']}_{answer}", scope.key_of(counted["program_id"]), counted["n"])
    sums = {f"{role}_total": [f"{role}_yes", f"{role}_no"] for role in ROLES}
    grid.complete(scope.program_keys, scope.total_column, sums)
    for column in scope.keys:
        for total, parts in sums.items():
            grid.withhold_if_few((total, column), [(part, column) for part in parts])
    rows = []
    for role in ROLES:
        rows += [
            Row(f"{role}_total", _("%(side)s who answered") % {"side": ROLE_LABELS[role]}, {}),
            Row(f"{role}_yes", _("would recommend it"), {}, 1),
            Row(f"{role}_share", _("share who would"), {}, 1, kind="percent"),
        ]
    for column in scope.keys:
        for role in ROLES:
            shown, _mean = grid.distribution(
                (f"{role}_total", column),
                [(f"{role}_yes", column), (f"{role}_no", column)],
            )
            answered, yes, _no = shown
            by_key = {
                f"{role}_total": answered,
                f"{role}_yes": yes,
                f"{role}_share": grid.share((f"{role}_yes", column), (f"{role}_total", column)),
            }
            for row in rows:
                if row.key in by_key:
                    row.cells[column] = by_key[row.key]
    return Table(
        key="recommend",
        title=_("Would recommend this mentoring to a colleague"),
        columns=scope.columns(),
        rows=rows,
        caption=_("Asked with the closure evaluation; evaluations given during the period."),
    )
