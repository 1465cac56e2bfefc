"""Background work of match rounds: running one, and telling people of a published one."""

from __future__ import annotations

from django_tasks import task

from medmentor.matchrounds.services.execute import round_execute
from medmentor.matchrounds.services.notify import proposals_notify_published


@task()
def run_match_round(match_round_id: int) -> None:
    """Run one match round (queued by ``round_start``); the round records its progress,
    its result or its error."""
    round_execute(match_round_id=match_round_id)


@task()
def notify_round_published(match_round_id: int) -> None:
    """Tell both people of each published proposal (one task, not one request, for a
    round of thousands of pairs)."""
    proposals_notify_published(match_round_id=match_round_id)
