"""What programs ask of a coordinator next, for their dashboard: people waiting for
approval. The other apps list theirs (requests to answer, proposals, rounds to review,
concerns), with :func:`per_program_actions` when they count per program."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Count, Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import ngettext

from medmentor.core.actions import PendingAction
from medmentor.programs.models import Program

if TYPE_CHECKING:
    from medmentor.programs.selectors import CoordinatedProgram


def approvals_pending_actions(programs: Sequence[CoordinatedProgram]) -> list[PendingAction]:
    """In ``programs`` (annotated by ``selectors.coordinated_overview``): people waiting
    for approval."""
    return [
        PendingAction(
            ngettext(
                "%(count)d person waits for your approval in %(program)s",
                "%(count)d people wait for your approval in %(program)s",
                program.waiting,
            )
            % {"count": program.waiting, "program": program.name},
            reverse("programs:queue", args=[program.uuid]),
        )
        for program in programs
        if program.waiting
    ]


def per_program_actions(
    queryset: QuerySet[Model], programs: Sequence[Program], text: Promise, url_name: str
) -> list[PendingAction]:
    """One action per program of ``programs`` with rows in ``queryset`` (which has a
    ``program`` field): ``text`` (a lazy plural on ``count``) names how many, and the
    program's page ``url_name`` is where to act. One query for all the programs."""
    by_pk = {program.pk: program for program in programs}
    counts = queryset.filter(program__in=programs).values("program").annotate(n=Count("id"))
    return [
        PendingAction(
            text % {"count": row["n"], "program": by_pk[row["program"]].name},
            reverse(url_name, args=[by_pk[row["program"]].uuid]),
        )
        for row in counts
    ]
