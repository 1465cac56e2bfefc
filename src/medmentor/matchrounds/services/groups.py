"""Circle and group rounds: storing what ``form_circles`` or ``form_groups`` proposed,
and publishing it.

A round stores each circle or group (members, a group's mentor, score, reasons) as a
``ProposedGroup`` and each person it could not place as an ``UnmatchedEntry`` with the
engine's reason. Unlike pairs, circles and groups are not answered one by one: publishing
starts every one at once through ``group_start`` (which checks enrolment, the size range,
every two members and the mentor's places again, and tells each member), all or nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.matching.circles import CirclesResult
from medmentor.matching.groups import GroupsResult
from medmentor.matchrounds.models import (
    MatchRound,
    Phase,
    ProposedGroup,
    ProposedGroupMember,
    RoundKind,
    RoundStatus,
    UnmatchedCode,
    UnmatchedEntry,
)
from medmentor.matchrounds.roundinputs import CircleInputs, RoundInputs
from medmentor.mentorships.models import Source
from medmentor.mentorships.models.mentorship import (
    LIVE_STATUSES,
    MemberRole,
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


@dataclass(frozen=True)
class Formed:
    """One circle or group as the engine formed it: user ids (a group's mentor apart)."""

    mentor: int | None
    members: tuple[int, ...]
    score: float
    reasons: tuple[str, ...]


@transaction.atomic
def circles_store(match_round: MatchRound, inputs: CircleInputs, result: CirclesResult) -> None:
    """A circle round's circles, numbered from 1 in the engine's order, and who is left out."""
    formed = [Formed(None, tuple(map(int, c.members)), c.score, c.reasons) for c in result.circles]
    people = len(inputs.pool.people) + len(inputs.pool.without_profile)
    _store(
        match_round,
        formed,
        [(int(u.person_id), u.reason, u.message) for u in result.unplaced],
        without_profile=inputs.pool.without_profile,
        summary={**_summary(formed, people=people), "circles": len(formed)},
    )


# The groups engine's reasons as a round's unmatched codes.
GROUP_CODES = {
    "no_eligible_mentor": UnmatchedCode.NO_ELIGIBLE_MENTOR,
    "no_seat": UnmatchedCode.MENTORS_FULL,
    "too_few_for_a_group": UnmatchedCode.TOO_FEW_FOR_A_GROUP,
}


@transaction.atomic
def groups_store(match_round: MatchRound, inputs: RoundInputs, result: GroupsResult) -> None:
    """A group round's groups (a mentor and their mentees each), and who is left out."""
    formed = [
        Formed(int(g.mentor_id), tuple(map(int, g.mentee_ids)), g.score, g.reasons)
        for g in result.groups
    ]
    mentees = len(inputs.pool.mentee_ids) + len(inputs.pool.mentees_without_profile)
    _store(
        match_round,
        formed,
        [(int(u.mentee_id), GROUP_CODES[u.reason], u.message) for u in result.unplaced],
        without_profile=inputs.pool.mentees_without_profile,
        summary={
            **_summary(formed, people=mentees),
            "groups": len(formed),
            "mentors": len(inputs.pool.mentor_places),
        },
    )


def _store(
    match_round: MatchRound,
    formed: list[Formed],
    left_out: list[tuple[int, str, str]],
    *,
    without_profile: tuple[int, ...],
    summary: dict[str, Any],
) -> None:
    stored = ProposedGroup.objects.bulk_create(
        ProposedGroup(
            round=match_round,
            position=k,
            mentor_id=group.mentor,
            score=group.score,
            reasons=list(group.reasons),
        )
        for k, group in enumerate(formed, start=1)
    )
    ProposedGroupMember.objects.bulk_create(
        (
            ProposedGroupMember(group=row, user_id=member)
            for row, group in zip(stored, formed, strict=True)
            for member in group.members
        ),
        batch_size=BATCH,
    )
    left_out = left_out + [(uid, UnmatchedCode.NO_PROFILE, "") for uid in without_profile]
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
    match_round.summary = summary
    match_round.status = RoundStatus.READY
    match_round.phase = Phase.DONE
    match_round.progress = 100
    match_round.finished_at = timezone.now()
    match_round.save(update_fields=["summary", "status", "phase", "progress", "finished_at"])


def _summary(formed: list[Formed], *, people: int) -> dict[str, Any]:
    """A circle or group round's figures: how many of ``people`` were placed, the sizes
    (members of a circle, mentees of a group) and the mean score."""
    placed = sum(len(group.members) for group in formed)
    sizes = Counter(len(group.members) for group in formed)
    return {
        "people": people,
        "placed": placed,
        "placed_share": round(placed / people, 4) if people else 0.0,
        "sizes": [[size, sizes[size]] for size in sorted(sizes)],
        "mean_score": round(sum(g.score for g in formed) / len(formed), 4) if formed else None,
        "unplaced": people - placed,
    }


def circle_name(position: int) -> str:
    return _("Circle %(n)s") % {"n": position}


def group_name(group: ProposedGroup) -> str:
    """How a proposed circle or group is named on the review page and in a refusal."""
    if group.mentor is None:
        return circle_name(group.position)
    return _("Group %(n)s (%(mentor)s)") % {
        "n": group.position,
        "mentor": group.mentor.get_full_name(),
    }


def _refusal(group: ProposedGroup, why: str) -> ValidationError:
    return ValidationError(
        {
            "round": _("%(circle)s cannot start: %(why)s Nothing was published.")
            % {"circle": group_name(group), "why": why}
        }
    )


@transaction.atomic
def groups_publish(*, match_round: MatchRound, by: User) -> MatchRound:
    """Start every circle or group of the round as a mentorship, or none.

    ``group_start`` checks each again (enrolment, size range, reporting lines and blocks
    between any two, the mentor's places) and tells its members on commit. One it
    refuses, or a member who joined another live circle (a mentee: another live group) of
    the program since the run, refuses the whole publication, naming it and why.
    """
    # One publication per program at a time: the check for people already placed below
    # must see the other round's circles and groups.
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
    kind = MentorshipKind.CIRCLE if locked.kind == RoundKind.CIRCLES else MentorshipKind.GROUP
    groups = list(
        ProposedGroup.objects.filter(round=locked)
        .order_by("position")
        .select_related("mentor")
        .prefetch_related("rows__user")
    )
    already = dict(
        MentorshipMember.objects.filter(
            mentorship__program_id=locked.program_id,
            mentorship__kind=kind,
            mentorship__status__in=LIVE_STATUSES,
            role=MemberRole.PEER if kind == MentorshipKind.CIRCLE else MemberRole.MENTEE,
            user_id__in=[row.user_id for g in groups for row in g.rows.all()],
        ).values_list("user_id", "mentorship__name")
    )
    for group in groups:
        members = [row.user for row in group.rows.all()]
        taken = next((m for m in members if m.pk in already), None)
        if taken is not None:
            raise _refusal(
                group,
                _("%(name)s is already in %(other)s.")
                % {"name": taken.get_full_name(), "other": already[taken.pk]},
            )
        try:
            group.mentorship = group_start(
                program=locked.program,
                kind=kind,
                mentors=[group.mentor] if group.mentor else [],
                members=members,
                name=circle_name(group.position) if kind == MentorshipKind.CIRCLE else "",
                source=Source.ROUND,
                by=by,
            )
        except ValidationError as refusal:
            raise _refusal(group, " ".join(refusal.messages)) from refusal
        group.save(update_fields=["mentorship"])
    locked.status = RoundStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = by
    locked.save(update_fields=["status", "published_at", "published_by"])
    return locked
