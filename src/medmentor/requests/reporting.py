"""Reads for program reports about direct requests, counted in the database."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TypedDict

from django.db.models import Count, QuerySet

from medmentor.core.periods import Period
from medmentor.programs.selectors.reporting import Cohort, in_cohort
from medmentor.requests.models import Request, RequestStatus


class RequestCount(TypedDict):
    program_id: int
    status: str
    n: int


def request_counts(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> list[RequestCount]:
    """Direct requests sent during the period (one per mentor asked), by status."""
    return list(
        _requests(program_ids, cohort)
        .filter(sent_at__gte=period.since, sent_at__lt=period.until)
        .values("program_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


def request_answer_times(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> list[tuple[int, datetime, datetime]]:
    """(program, sent, answered) of the requests a mentor answered during the period."""
    rows = (
        _requests(program_ids, cohort)
        .filter(
            status__in=(RequestStatus.ACCEPTED, RequestStatus.DECLINED),
            answered_at__gte=period.since,
            answered_at__lt=period.until,
        )
        .values_list("program_id", "sent_at", "answered_at")
    )
    # answered_at__gte already leaves out the unanswered (NULL): the test drops no row, it
    # tells the type checker so.
    return [(program, sent, answered) for program, sent, answered in rows if answered is not None]


def _requests(program_ids: Collection[int], cohort: Cohort | None) -> QuerySet[Request]:
    return Request.objects.filter(program_id__in=program_ids).filter(
        in_cohort(cohort, program="program_id", user="mentee_id")
    )
