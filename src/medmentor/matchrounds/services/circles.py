"""Circle rounds: storing what ``form_circles`` proposed, and publishing it.

A circle round stores each circle (members, score, reasons) as a ``ProposedCircle`` and
each person it could not place as an ``UnmatchedEntry`` with the engine's reason. Unlike
pairs, circles are not answered one by one: publishing starts every circle at once
through ``group_start`` (which checks enrolment, the size range and every two members
again, and tells each member), all or nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.matching.circles import CirclesResult
from medmentor.matchrounds.models import (
    MatchRound,
    Phase,
    ProposedCircle,
    ProposedCircleMember,
    RoundStatus,
    UnmatchedCode,
    UnmatchedEntry,
)
from medmentor.matchrounds.roundinputs import CircleInputs
from medmentor.mentorships.models import Source
from medmentor.mentorships.models.mentorship import (
    LIVE_STATUSES,
    MentorshipKind,
    MentorshipMember,
)
from medmentor.mentorships.services.lifecycle import group_start
from medmentor.programs.models import Membership, Program, Role

BATCH = 1000


def _roles(match_round: MatchRound, user_ids: set[int]) -> dict[int, str]:
    """Each person's role in the program, as the unmatched list shows it: mentee when
    they are enrolled as both (a peer has no role of their own)."""
    rows = Membership.objects.filter(
        program_id=match_round.program_id, user_id__in=user_ids, role__in=(Role.MENTEE, Role.MENTOR)
    ).values_list("user_id", "role")
    roles: dict[int, str] = {}
    for user_id, role in rows:
        if roles.get(user_id) != Role.MENTEE:
            roles[user_id] = role
    return roles


@transaction.atomic
def circles_store(match_round: MatchRound, inputs: CircleInputs, result: CirclesResult) -> None:
    """The round's circles, numbered from 1 in the engine's order, and who is left out."""
    circles = ProposedCircle.objects.bulk_create(
        ProposedCircle(round=match_round, position=k, score=c.score, reasons=list(c.reasons))
        for k, c in enumerate(result.circles, start=1)
    )
    ProposedCircleMember.objects.bulk_create(
        (
            ProposedCircleMember(circle=stored, user_id=int(member))
            for stored, circle in zip(circles, result.circles, strict=True)
            for member in circle.members
        ),
        batch_size=BATCH,
    )
    left_out = [(int(u.person_id), u.reason, u.message) for u in result.unplaced]
    left_out += [(uid, UnmatchedCode.NO_PROFILE, "") for uid in inputs.pool.without_profile]
    roles = _roles(match_round, {uid for uid, _code, _message in left_out})
    UnmatchedEntry.objects.bulk_create(
        (
            UnmatchedEntry(
                round=match_round,
                user_id=uid,
                role=roles.get(uid, Role.MENTEE),
                code=code,
                message=message,
            )
            for uid, code, message in left_out
        ),
        batch_size=BATCH,
    )
    match_round.summary = circles_summary(
        result, people=len(inputs.pool.people) + len(inputs.pool.without_profile)
    )
    match_round.status = RoundStatus.READY
    match_round.phase = Phase.DONE
    match_round.progress = 100
    match_round.finished_at = timezone.now()
    match_round.save(update_fields=["summary", "status", "phase", "progress", "finished_at"])


def circles_summary(result: CirclesResult, *, people: int) -> dict[str, Any]:
    """The round's figures: how many were placed, in how many circles of which sizes,
    and the circles' mean score."""
    placed = sum(len(c.members) for c in result.circles)
    sizes = Counter(len(c.members) for c in result.circles)
    scores = [c.score for c in result.circles]
    return {
        "people": people,
        "placed": placed,
        "placed_share": round(placed / people, 4) if people else 0.0,
        "circles": len(result.circles),
        "sizes": [[size, sizes[size]] for size in sorted(sizes)],
        "mean_score": round(sum(scores) / len(scores), 4) if scores else None,
        "unplaced": people - placed,
    }


def circle_name(position: int) -> str:
    return _("Circle %(n)s") % {"n": position}


def _refusal(circle: ProposedCircle, why: str) -> ValidationError:
    return ValidationError(
        {
            "round": _("%(circle)s cannot start: %(why)s Nothing was published.")
            % {"circle": circle_name(circle.position), "why": why}
        }
    )


@transaction.atomic
def circles_publish(*, match_round: MatchRound, by: User) -> MatchRound:
    """Start every circle of the round as a circle mentorship, or none.

    ``group_start`` checks each circle again (enrolment, size range, reporting lines and
    blocks between any two) and tells its members on commit. A circle it refuses, or a
    member who joined another live circle of the program since the run, refuses the
    whole publication, naming the circle and why.
    """
    # One publication per program at a time: the check for people already in a circle
    # below must see the other round's circles.
    Program.objects.select_for_update().filter(pk=match_round.program_id).first()
    locked = (
        MatchRound.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=match_round.pk)
    )
    if locked.status != RoundStatus.READY:
        raise ValidationError(
            {"round": _("Only a round that ran and is under review can be published.")}
        )
    circles = list(
        ProposedCircle.objects.filter(round=locked)
        .order_by("position")
        .prefetch_related("rows__user")
    )
    in_a_circle = dict(
        MentorshipMember.objects.filter(
            mentorship__program_id=locked.program_id,
            mentorship__kind=MentorshipKind.CIRCLE,
            mentorship__status__in=LIVE_STATUSES,
            user_id__in=[row.user_id for c in circles for row in c.rows.all()],
        ).values_list("user_id", "mentorship__name")
    )
    for circle in circles:
        members = [row.user for row in circle.rows.all()]
        taken = next((m for m in members if m.pk in in_a_circle), None)
        if taken is not None:
            raise _refusal(
                circle,
                _("%(name)s is already in %(other)s.")
                % {"name": taken.get_full_name(), "other": in_a_circle[taken.pk]},
            )
        try:
            circle.mentorship = group_start(
                program=locked.program,
                kind=MentorshipKind.CIRCLE,
                members=members,
                name=circle_name(circle.position),
                source=Source.ROUND,
                by=by,
            )
        except ValidationError as refusal:
            raise _refusal(circle, " ".join(refusal.messages)) from refusal
        circle.save(update_fields=["mentorship"])
    locked.status = RoundStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = by
    locked.save(update_fields=["status", "published_at", "published_by"])
    return locked
