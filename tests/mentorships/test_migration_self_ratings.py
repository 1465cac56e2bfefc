"""Data migration 0004: evaluations' scores become closure self-ratings, and every ended
mentorship gets the closure category its status history implies."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("mentorships", "0003_evaluation_would_recommend_mentorship_closure_reason_and_more")]
AFTER = [("mentorships", "0005_remove_evaluation_ratings")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _fully_migrated_afterwards():
    """Whatever the test did, the next test finds the database fully migrated (the later
    migrations add columns every transactional test after this one reads)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scores_and_closure_categories_survive_the_migration():
    apps = _migrate(BEFORE)
    User = apps.get_model("accounts", "User")
    Mentorship = apps.get_model("mentorships", "Mentorship")
    StatusChange = apps.get_model("mentorships", "StatusChange")
    Evaluation = apps.get_model("mentorships", "Evaluation")
    mentor = User.objects.create(email="mentor@example.org", name="Mentor")
    mentees = [User.objects.create(email=f"m{n}@example.org", name=f"M{n}") for n in range(4)]
    start = date(2025, 1, 6)
    now = timezone.make_aware(datetime(2025, 6, 1, 12))

    def ended(mentee, by, planned_end):
        mentorship = Mentorship.objects.create(
            mentor=mentor,
            mentee=mentee,
            status="ended",
            source="round",
            started_on=start,
            planned_end_on=planned_end,
            ended_at=now,
            last_activity_at=now,
        )
        StatusChange.objects.create(
            mentorship=mentorship, from_status="active", to_status="ended", by=by, at=now, reason=""
        )
        return mentorship

    by_mentor = ended(mentees[0], mentor, date(2026, 1, 6))
    by_mentee = ended(mentees[1], mentees[1], date(2026, 1, 6))
    completed = ended(mentees[2], None, date(2025, 6, 1))
    inactive = ended(mentees[3], None, date(2026, 1, 6))
    Evaluation.objects.create(
        mentorship=by_mentee,
        user=mentees[1],
        role="mentee",
        ratings={"guidance": 4, "wellness": 2},
        submitted_at=now + timedelta(days=1),
    )

    apps = _migrate(AFTER)
    Mentorship = apps.get_model("mentorships", "Mentorship")
    SelfRating = apps.get_model("mentorships", "SelfRating")
    reasons = dict(Mentorship.objects.values_list("pk", "closure_reason"))
    assert reasons == {
        by_mentor.pk: "mentor_ended",
        by_mentee.pk: "mentee_ended",
        completed.pk: "completed",
        inactive.pk: "inactivity",
    }
    scores = SelfRating.objects.filter(mentorship_id=by_mentee.pk)
    assert {(s.moment, s.role, s.dimension, s.score) for s in scores} == {
        ("closure", "mentee", "guidance", 4),
        ("closure", "mentee", "wellness", 2),
    }
