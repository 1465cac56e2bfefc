"""A match round whose run was lost (its worker died mid-run, or the queue stopped it at
its time limit) does not block its program for ever: once no run could still be going,
it is marked failed with the reason, and the coordinator runs another."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from medmentor.dashboard.services import remind_due
from medmentor.matchrounds.models import MatchRound, RoundStatus
from medmentor.matchrounds.services.run import round_start
from tests.core.test_settings import medmentor
from tests.matchrounds.rounds_factories import round_program

pytestmark = pytest.mark.django_db

LOST = "The round stopped without finishing (its worker was lost); run it again."


def running_since(minutes: int) -> MatchRound:
    """A round a worker claimed ``minutes`` ago and never finished."""
    world = round_program(mentees=3, mentors=3)
    with TestCase.captureOnCommitCallbacks():  # the worker never gets to run it
        match_round = round_start(program=world.program, by=world.coordinator)
    MatchRound.objects.filter(pk=match_round.pk).update(
        status=RoundStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=minutes)
    )
    match_round.refresh_from_db()
    return match_round


def test_a_round_lost_long_ago_fails_with_its_reason_and_another_runs(settings):
    settings.TASKS_TIMEOUT_SECONDS = 30 * 60
    lost = running_since(31)
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = round_start(program=lost.program, by=lost.created_by)
    lost.refresh_from_db()
    assert lost.status == RoundStatus.FAILED
    assert lost.error == LOST
    assert lost.finished_at is not None
    again.refresh_from_db()
    assert again.status == RoundStatus.READY  # the new round ran (tasks run at once here)


def test_a_round_within_the_time_limit_may_still_be_running(settings):
    settings.TASKS_TIMEOUT_SECONDS = 30 * 60
    running = running_since(5)
    with pytest.raises(ValidationError, match="already running"):
        round_start(program=running.program, by=running.created_by)
    running.refresh_from_db()
    assert running.status == RoundStatus.RUNNING
    assert MatchRound.objects.filter(program=running.program).count() == 1


def test_the_workers_periodic_job_marks_a_lost_round_without_anyone_asking(settings):
    settings.TASKS_TIMEOUT_SECONDS = 30 * 60
    lost, recent = running_since(45), running_since(10)
    assert "match rounds lost: 1" in remind_due()
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert (lost.status, recent.status) == (RoundStatus.FAILED, RoundStatus.RUNNING)


def test_the_queue_stops_a_job_at_the_same_time_limit():
    result = medmentor(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.RQ_QUEUES['default']['DEFAULT_TIMEOUT'])",
        TASKS_BACKEND="rq",
        REDIS_URL="redis://127.0.0.1:6379/0",
        TASKS_TIMEOUT_SECONDS="600",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "600"
