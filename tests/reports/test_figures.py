"""Every section's figures on a program with a year behind it equal what the test works
out from the rows itself."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from statistics import mean, median

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from medmentor.matchrounds.models import Proposal, UnmatchedEntry
from medmentor.mentorships.evaluation import dimensions_for
from medmentor.mentorships.models import (
    CheckIn,
    ClosureReason,
    Evaluation,
    Goal,
    GoalStatus,
    Meeting,
    MeetingRating,
    Mentorship,
    MentorshipStatus,
    Moment,
    SelfRating,
)
from medmentor.profiles.models import Profile
from medmentor.programs.models import Membership, Role, Status
from medmentor.reports.report import report_of
from medmentor.reports.scope import CohortKind, Scope
from medmentor.reports.tables import Hidden
from medmentor.requests.models import Request
from tests.reports.conftest import build_report_world

K = 5


@pytest.fixture
def report(report_world):
    return report_of(Scope(programs=(report_world.program,)))


def cell(report, table, row, column=None):
    scope = report.scope
    return report.table(table).row(row).cells[column or scope.pooled]


def test_funnel(report_world, report):
    program = report_world.program
    memberships = list(Membership.objects.filter(program=program))
    mentees = [m for m in memberships if m.role == Role.MENTEE]
    assert cell(report, "funnel", "mentees_enrolled") == len(mentees)
    assert cell(report, "funnel", "mentees_active") == sum(
        m.status == Status.ACTIVE for m in mentees
    )
    assert cell(report, "funnel", "mentors_enrolled") == sum(
        m.role == Role.MENTOR for m in memberships
    )
    # Three wait for approval and two left: under five each, so hidden.
    assert cell(report, "funnel", "mentees_pending") is Hidden.FEW
    assert cell(report, "funnel", "mentees_withdrawn") is Hidden.FEW

    proposals = list(Proposal.objects.filter(round__program=program))
    pool = {p.mentee_id for p in proposals} | set(
        UnmatchedEntry.objects.filter(round__program=program, role=Role.MENTEE).values_list(
            "user_id", flat=True
        )
    )
    assert cell(report, "funnel", "mentees_in_pool") == len(pool)
    assert cell(report, "funnel", "proposals") == len(proposals)
    assert cell(report, "funnel", "proposals_accepted") == 20
    assert cell(report, "funnel", "proposals_declined") == 5

    requests = list(Request.objects.filter(program=program))
    assert cell(report, "funnel", "requests_sent") == len(requests) == 12
    assert cell(report, "funnel", "requests_declined") == 6
    assert cell(report, "funnel", "requests_expired") == 6
    answered = [
        (r.answered_at - r.sent_at).total_seconds() / 86400 for r in requests if r.answered_at
    ]
    assert cell(report, "funnel", "median_days_to_answer") == round(median(answered), 1)

    mentorships = list(Mentorship.objects.filter(program=program))
    live = [m for m in mentorships if m.status != MentorshipStatus.ENDED]
    assert cell(report, "funnel", "mentorships_active") == len(live) == 5
    assert cell(report, "funnel", "mentorships_started") == len(mentorships) == 20
    assert cell(report, "funnel", "mentorships_closed") == 15
    for reason in (ClosureReason.MENTEE_ENDED, ClosureReason.MENTOR_ENDED, ClosureReason.COMPLETED):
        closed = sum(m.closure_reason == reason for m in mentorships)
        assert cell(report, "funnel", f"mentorships_closed_{reason}") == closed == 5
    assert cell(report, "funnel", "mentorships_closed_inactivity") == 0

    enrolled_on = {m.user_id: timezone.localdate(m.activated_at) for m in mentees if m.activated_at}
    waits = [(m.started_on - enrolled_on[m.mentee_id]).days for m in mentorships]
    assert cell(report, "funnel", "median_days_to_mentorship") == round(median(waits), 1)


def test_engagement(report_world, report):
    program = report_world.program
    now = timezone.now()
    meetings = list(Meeting.objects.filter(mentorship__program=program, starts_at__lte=now))
    months = Counter(timezone.localdate(m.starts_at).replace(day=1) for m in meetings)
    minutes = Counter()
    for meeting in meetings:
        minutes[timezone.localdate(meeting.starts_at).replace(day=1)] += meeting.minutes_spent
    mentorships = list(Mentorship.objects.filter(program=program))
    for row in report.table("monthly").rows:
        first = timezone.datetime.fromisoformat(row.key).date()
        following = (first + timedelta(days=32)).replace(day=1)
        running = sum(
            m.started_on < following
            and (m.ended_at is None or timezone.localdate(m.ended_at) >= first)
            for m in mentorships
        )
        if running >= K:
            assert row.cells["running"] == running
            assert row.cells["meetings"] == months[first]
            assert row.cells["hours"] == round(minutes[first] / 60, 1)
            assert row.cells["meetings_per_pair"] == round(months[first] / running, 2)
        elif running:
            assert row.cells["running"] is Hidden.FEW

    live = [m for m in mentorships if m.status != MentorshipStatus.ENDED]
    met = [
        m
        for m in live
        if any(m.pk == x.mentorship_id and x.starts_at > now - timedelta(days=30) for x in meetings)
    ]
    assert cell(report, "recent", "running") == len(live)
    assert cell(report, "recent", "met_30") == len(met)

    shared = [
        c.score
        for c in CheckIn.objects.filter(mentorship__program=program, shared_with_coordinator=True)
    ]
    assert CheckIn.objects.filter(mentorship__program=program, shared_with_coordinator=False)
    assert cell(report, "checkins", "answers") == len(shared)
    scores = Counter(shared)
    for score in range(1, 6):
        expected = scores[score]
        shown = cell(report, "checkins", f"score_{score}")
        assert shown == expected if not 0 < expected < K else shown is Hidden.FEW
    assert cell(report, "checkins", "mean") == round(mean(shared), 2)

    mentors = Profile.objects.filter(user__in=report_world.mentors)
    assert cell(report, "load", "mentors") == len(report_world.mentors)
    assert cell(report, "load", "places") == sum(p.mentor_capacity for p in mentors)
    assert cell(report, "load", "taken") == sum(p.active_mentees for p in mentors) == len(live)
    assert cell(report, "load", "idle") == sum(p.active_mentees == 0 for p in mentors)


def test_outcomes(report_world, report):
    program = report_world.program
    ratings = list(SelfRating.objects.filter(mentorship__program=program))
    for role in ("mentee", "mentor"):
        rows = report.table(f"outcomes_{role}")
        assert not rows.withheld
        for dimension in dimensions_for(role):
            mine = [r for r in ratings if r.role == role and r.dimension == dimension.code]
            before = {
                (r.mentorship_id, r.user_id): r.score for r in mine if r.moment == Moment.BASELINE
            }
            after = {
                (r.mentorship_id, r.user_id): r.score for r in mine if r.moment == Moment.CLOSURE
            }
            both = [after[key] - before[key] for key in after if key in before]
            row = rows.row(dimension.code)
            assert row.cells["baseline_n"] == len(before) == 15
            assert row.cells["baseline_mean"] == round(mean(before.values()), 2)
            assert row.cells["closure_n"] == len(after)
            assert row.cells["closure_mean"] == round(mean(after.values()), 2)
            assert row.cells["change_n"] == len(both)
            assert row.cells["change"] == round(mean(both), 2)
    # The dimension labels are the benefits of DOMAIN.md.
    assert report.table("outcomes_mentor").row("leadership").label == "Improved leadership skills"

    goals = list(Goal.objects.filter(mentorship__program=program))
    agreed = [g for g in goals if g.status in (GoalStatus.ACTIVE, GoalStatus.ACHIEVED)]
    assert cell(report, "goals", "agreed") == len(agreed)
    assert cell(report, "goals", "achieved") == sum(g.status == GoalStatus.ACHIEVED for g in goals)

    by_role: dict[str, list[int]] = {"mentee": [], "mentor": []}
    for rating in MeetingRating.objects.filter(meeting__mentorship__program=program).select_related(
        "meeting__mentorship"
    ):
        role = "mentor" if rating.user_id == rating.meeting.mentorship.mentor_id else "mentee"
        by_role[role].append(rating.score)
    for role, scores in by_role.items():
        assert cell(report, "meeting_ratings", "n", role) == len(scores)
        assert cell(report, "meeting_ratings", "mean", role) == round(mean(scores), 2)

    evaluations = list(Evaluation.objects.filter(mentorship__program=program))
    assert cell(report, "recommend", "mentee_total") == sum(e.role == "mentee" for e in evaluations)
    assert cell(report, "recommend", "mentor_total") == sum(e.role == "mentor" for e in evaluations)


def test_equity_by_gender(report_world, report):
    program = report_world.program
    mentees = list(
        Membership.objects.filter(program=program, role=Role.MENTEE, activated_at__isnull=False)
    )
    genders = {
        p.user_id: p.gender for p in Profile.objects.filter(user__in=[m.user for m in mentees])
    }
    matched = set(Mentorship.objects.filter(program=program).values_list("mentee_id", flat=True))
    table = report.table("equity_gender")
    everyone = table.row("all").cells
    assert everyone["enrolled"] == len(mentees)
    unmatched_all = sum(m.user_id not in matched for m in mentees)
    assert everyone["unmatched"] == unmatched_all
    for gender in ("woman", "man"):
        group = [m for m in mentees if genders.get(m.user_id) == gender]
        row = table.row(gender).cells
        assert row["enrolled"] == len(group)
        assert row["enrolled_share"] == round(100 * len(group) / len(mentees), 1)
        unmatched = sum(m.user_id not in matched for m in group)
        if unmatched >= K:
            assert row["unmatched"] == unmatched
            assert row["unmatched_share"] == round(100 * unmatched / unmatched_all, 1)
    # Fewer than five non-binary mentees in a group: nothing about them shows.
    small = table.row("non-binary").cells
    if sum(genders.get(m.user_id) == "non-binary" for m in mentees) < K:
        assert small["enrolled"] is Hidden.FEW
        assert small["unmatched"] is Hidden.FEW
        assert small["median_days"] is None


def test_a_cohort_narrows_the_report_to_its_people(report_world):
    program = report_world.program
    match_round = Proposal.objects.filter(round__program=program).first().round
    scope = Scope(programs=(program,), cohort_kind=CohortKind.ROUND, match_round=match_round)
    report = report_of(scope)
    in_round = set(Proposal.objects.filter(round=match_round).values_list("mentee_id", flat=True))
    assert report.table("funnel").row("mentees_enrolled").cells[scope.pooled] == len(in_round)
    # The pending and withdrawn mentees were never in the round.
    assert report.table("funnel").row("mentees_pending").cells[scope.pooled] == 0

    nobody = Scope(programs=(program,), cohort_kind=CohortKind.ENROLLED)
    Membership.objects.filter(program=program).update(
        activated_at=timezone.now() - timedelta(days=800)
    )
    assert report_of(nobody).table("funnel").row("mentees_active").cells[nobody.pooled] == 0


def test_the_number_of_queries_does_not_grow_with_the_program(db):
    small = build_report_world(mentees=12, mentors=4, seed=1).program
    large = build_report_world(mentees=48, mentors=16, seed=2).program
    counts = []
    for program in (small, large):
        with CaptureQueriesContext(connection) as queries:
            report_of(Scope(programs=(program,)))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] < 60
