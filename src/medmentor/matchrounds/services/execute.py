"""Running a match round (the background task calls ``round_execute``) and its figures:
pairs through ``solve``, peer circles through ``form_circles``, in the same phases."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.matching import MatchingInputError, Result, solve
from medmentor.matching.circles import form_circles
from medmentor.matching.groups import form_groups
from medmentor.matchrounds.models import (
    MatchRound,
    Origin,
    Phase,
    Proposal,
    RoundKind,
    RoundStatus,
    UnmatchedCode,
    UnmatchedEntry,
)
from medmentor.matchrounds.roundinputs import (
    RoundInputs,
    circle_inputs,
    mentees_apart,
    round_inputs,
)
from medmentor.matchrounds.selectors.picks import picks_by_user
from medmentor.matchrounds.services.groups import circles_store, groups_store
from medmentor.programs.models import Program, Role

logger = logging.getLogger(__name__)

# Percent done when each phase starts (the engine's share varies; these are honest marks).
PROGRESS = {Phase.LOADING: 5, Phase.ENGINE: 35, Phase.STORING: 80, Phase.DONE: 100}
BATCH = 1000


def _mark(match_round: MatchRound, phase: str, **fields: Any) -> None:
    """Save the phase and percent at once (outside any transaction: pages poll it)."""
    values = {"phase": phase, "progress": PROGRESS[Phase(phase)], **fields}
    MatchRound.objects.filter(pk=match_round.pk).update(**values)
    for name, value in values.items():
        setattr(match_round, name, value)


def _locked_pairs(match_round: MatchRound) -> list[tuple[int, int]]:
    if match_round.rerun_of_id is None:
        return []
    return list(
        Proposal.objects.filter(round_id=match_round.rerun_of_id, locked=True)
        .order_by("id")
        .values_list("mentee_id", "mentor_id")
    )


def round_execute(
    *, match_round_id: int, ranks: Mapping[int, Sequence[int]] | None = None
) -> MatchRound:
    """Load the pool (with the participants' picks as ranks unless ``ranks`` is given;
    circle and group rounds have none), run the engine, store the proposals, circles or
    groups; a
    failure is recorded on the round (with its message) rather than raised. A round
    already past "queued" is left as it is, so a task delivered twice does nothing the
    second time."""
    claimed = MatchRound.objects.filter(pk=match_round_id, status=RoundStatus.QUEUED).update(
        status=RoundStatus.RUNNING, started_at=timezone.now()
    )
    match_round = MatchRound.objects.select_related("program").get(pk=match_round_id)
    if not claimed:
        return match_round
    timings: dict[str, float] = {}
    try:
        if match_round.kind == RoundKind.CIRCLES:
            _run_circles(match_round, timings)
        elif match_round.kind == RoundKind.GROUPS:
            _run_groups(match_round, timings)
        else:
            _run_pairs(match_round, timings, ranks)
    except MatchingInputError as problem:
        logger.warning("match round %s: bad input: %s", match_round.uuid, problem)
        return _fail(
            match_round, timings, _("The engine refused the input: %(error)s") % {"error": problem}
        )
    except Exception as problem:  # a background job records every failure for the page
        logger.exception("match round %s failed", match_round.uuid)
        return _fail(match_round, timings, str(problem) or problem.__class__.__name__)
    MatchRound.objects.filter(pk=match_round.pk).update(timings=timings)
    match_round.timings = timings
    return match_round


Loaded = TypeVar("Loaded")  # what a round's engine reads
Proposed = TypeVar("Proposed")  # what it proposes


def _phases(
    match_round: MatchRound,
    timings: dict[str, float],
    load: Callable[[], Loaded],
    run: Callable[[Loaded], Proposed],
    store: Callable[[Loaded, Proposed], None],
) -> None:
    """Load, run the engine, store: each phase shown on the round's progress bar and
    timed (the engine also in CPU seconds of the whole process: on a busy machine, its
    own cost)."""
    _mark(match_round, Phase.LOADING)
    started = time.perf_counter()
    inputs = load()
    timings["loading"] = round(time.perf_counter() - started, 3)
    _mark(match_round, Phase.ENGINE)
    started, cpu = time.perf_counter(), time.process_time()
    result = run(inputs)
    timings["engine"] = round(time.perf_counter() - started, 3)
    timings["engine_cpu"] = round(time.process_time() - cpu, 3)
    _mark(match_round, Phase.STORING)
    started = time.perf_counter()
    store(inputs, result)
    timings["storing"] = round(time.perf_counter() - started, 3)


def _run_pairs(
    match_round: MatchRound, timings: dict[str, float], ranks: Mapping[int, Sequence[int]] | None
) -> None:
    def load() -> RoundInputs:
        # The participants' own picks, ahead of the scores (unless ``ranks`` is given).
        picks = picks_by_user(match_round.program) if ranks is None else ranks
        return round_inputs(match_round.program, ranks=picks, locked=_locked_pairs(match_round))

    _phases(
        match_round,
        timings,
        load,
        lambda inputs: solve(inputs.problem, match_round.algorithm, match_round.seed),
        lambda inputs, result: _store(match_round, inputs, result),
    )


def _run_circles(match_round: MatchRound, timings: dict[str, float]) -> None:
    """The same phases for peer circles, in the program's size range."""
    program = match_round.program
    _phases(
        match_round,
        timings,
        lambda: circle_inputs(program),
        lambda inputs: form_circles(
            inputs.people,
            size_min=program.group_size_min,
            size_max=program.group_size_max,
            weights=inputs.weights,
            rules=inputs.rules,
            questions=inputs.questions,
            exclusions=inputs.exclusions,
            labels=inputs.labels,
            seed=match_round.seed,
        ),
        lambda inputs, result: circles_store(match_round, inputs, result),
    )


def _run_groups(match_round: MatchRound, timings: dict[str, float]) -> None:
    """The same phases for mentoring groups: the pair round's problem (each mentor's
    places are their group's seats), in the program's size range, with every two mentees
    a reporting line, conflict or block keeps apart never in one group."""
    program = match_round.program

    def load() -> tuple[RoundInputs, tuple[tuple[str, str], ...]]:
        inputs = round_inputs(program)
        return inputs, mentees_apart(inputs)

    _phases(
        match_round,
        timings,
        load,
        lambda loaded: form_groups(
            loaded[0].problem,
            size_min=program.group_size_min,
            size_max=program.group_size_max,
            exclusions=loaded[1],
            seed=match_round.seed,
        ),
        lambda loaded, result: groups_store(match_round, loaded[0], result),
    )


def _fail(match_round: MatchRound, timings: dict[str, float], message: str) -> MatchRound:
    _mark(
        match_round,
        Phase.DONE,
        status=RoundStatus.FAILED,
        error=message[:2000],
        timings=timings,
        finished_at=timezone.now(),
    )
    return match_round


def rounds_fail_lost(*, now: datetime | None = None, program: Program | None = None) -> int:
    """Rounds still "running" longer than any run may last (``TASKS_TIMEOUT_SECONDS``):
    their run was lost (its worker died, or the queue stopped it at its time limit) and
    no retry picks them up again, since a round runs once. Marked failed with the reason,
    so that the page says so and the program may run another."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.TASKS_TIMEOUT_SECONDS)
    lost = MatchRound.objects.filter(status=RoundStatus.RUNNING).filter(
        Q(started_at__lt=limit) | Q(started_at__isnull=True, created_at__lt=limit)
    )
    if program is not None:
        lost = lost.filter(program=program)
    failed = 0
    for match_round in lost:
        _fail(
            match_round,
            dict(match_round.timings),
            _("The round stopped without finishing (its worker was lost); run it again."),
        )
        failed += 1
    return failed


def _proposal(match_round: MatchRound, pair: Any, previous: dict[int, Proposal]) -> Proposal:
    mentee_id, mentor_id = int(pair.mentee_id), int(pair.mentor_id)
    before = previous.get(mentee_id) if pair.locked else None
    components = pair.components
    return Proposal(
        round=match_round,
        mentee_id=mentee_id,
        mentor_id=mentor_id,
        score=pair.score,
        consideration=components.consideration,
        camaraderie=components.camaraderie,
        commonality=components.commonality,
        confidentiality=components.confidentiality,
        reasons=list(pair.reasons),
        locked=pair.locked,
        origin=before.origin if before else Origin.ENGINE,
        warnings=list(before.warnings) if before else [],
    )


@transaction.atomic
def _store(match_round: MatchRound, inputs: RoundInputs, result: Result) -> None:
    previous = {}
    if match_round.rerun_of_id:
        previous = {
            p.mentee_id: p
            for p in Proposal.objects.filter(round_id=match_round.rerun_of_id, locked=True)
        }
    Proposal.objects.bulk_create(
        (_proposal(match_round, pair, previous) for pair in result.pairs), batch_size=BATCH
    )
    entries = [
        UnmatchedEntry(
            round=match_round,
            user_id=int(u.mentee_id),
            role=Role.MENTEE,
            code=u.reason,
            message=u.message,
        )
        for u in result.unmatched
    ]
    pool = inputs.pool
    entries += [
        UnmatchedEntry(round=match_round, user_id=uid, role=role, code=UnmatchedCode.NO_PROFILE)
        for role, ids in (
            (Role.MENTEE, pool.mentees_without_profile),
            (Role.MENTOR, pool.mentors_without_profile),
        )
        for uid in ids
    ]
    paired = {int(p.mentee_id) for p in result.pairs}
    entries += [
        UnmatchedEntry(
            round=match_round,
            user_id=mentee_id,
            role=Role.MENTEE,
            code=UnmatchedCode.LOCK_DROPPED,
            message=f"locked with mentor {mentor_id} in the round re-run",
        )
        for mentee_id, mentor_id in inputs.dropped_locks
        if mentee_id not in paired and mentee_id in set(pool.mentee_ids)
    ]
    UnmatchedEntry.objects.bulk_create(entries, batch_size=BATCH, ignore_conflicts=True)
    match_round.places = {str(uid): n for uid, n in pool.mentor_places.items()}
    match_round.summary = round_summary(
        match_round, mentees=len(pool.mentee_ids) + len(pool.mentees_without_profile)
    )
    match_round.status = RoundStatus.READY
    match_round.phase = Phase.DONE
    match_round.progress = 100
    match_round.finished_at = timezone.now()
    match_round.save(
        update_fields=["places", "summary", "status", "phase", "progress", "finished_at"]
    )


def round_summary(match_round: MatchRound, *, mentees: int | None = None) -> dict[str, Any]:
    """The round's figures from its stored proposals: matched share, mean score, and the
    mentors' load (how many mentors have 0, 1, 2... mentees, and how many are full)."""
    if mentees is None:
        mentees = int(match_round.summary.get("mentees", 0))
    rows = list(Proposal.objects.filter(round=match_round).values_list("mentor_id", "score"))
    scores = [score for _, score in rows]
    load = Counter(mentor_id for mentor_id, _ in rows)
    places = {int(uid): n for uid, n in match_round.places.items()}
    histogram = Counter(load.get(uid, 0) for uid in places)
    return {
        "mentees": mentees,
        "matched": len(rows),
        "matched_share": round(len(rows) / mentees, 4) if mentees else 0.0,
        "mean_score": round(sum(scores) / len(scores), 4) if scores else None,
        "mentors": len(places),
        "places": sum(places.values()),
        "mentors_full": sum(1 for uid, n in places.items() if load.get(uid, 0) >= n),
        "mentors_over": sum(1 for uid, n in places.items() if load.get(uid, 0) > n),
        "load": [[k, histogram[k]] for k in sorted(histogram)],
    }
