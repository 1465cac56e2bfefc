"""Who a segment of a program is: the people a coordinator's survey or message reaches.

Every segment is cut from the program's *active* participants (mentors and mentees whose
enrolment is active, with an active account): whatever the segment, nobody outside the
program is ever in it. Segments about pairs count the program's own mentorships only.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from medmentor.accounts.models import User
from medmentor.matchrounds.models import (
    MatchRound,
    Proposal,
    ProposalStatus,
    Response,
    RoundStatus,
    UnmatchedEntry,
)
from medmentor.mentorships.models import Mentorship, MentorshipMember, MentorshipStatus
from medmentor.mentorships.models.mentorship import LIVE_STATUSES
from medmentor.profiles.models import Profile
from medmentor.programs.models import PARTICIPANT_ROLES, Membership, Program, Role, Status


class Segment(models.TextChoices):
    EVERYONE = "everyone", pgettext_lazy("segment", "Everyone (mentors and mentees)")
    MENTEES = "mentees", pgettext_lazy("segment", "Mentees")
    MENTORS = "mentors", pgettext_lazy("segment", "Mentors")
    COHORT = "cohort", _("The cohort of a match round")
    ACTIVE_PAIRS = "active_pairs", _("People in an active mentorship")
    CLOSED_PAIRS = "closed_pairs", _("People in a closed mentorship")
    INCOMPLETE = "incomplete", _("Profiles not yet complete")
    UNMATCHED = "unmatched", _("Unmatched after a match round")
    NOT_ACCEPTED = "not_accepted", _("Proposals not yet accepted")


# What a survey may go to (messages may go to every segment).
SURVEY_SEGMENTS = (
    Segment.EVERYONE,
    Segment.MENTEES,
    Segment.MENTORS,
    Segment.COHORT,
    Segment.ACTIVE_PAIRS,
    Segment.CLOSED_PAIRS,
)
# Segments cut from one match round: the coordinator names the round.
ROUND_SEGMENTS = (Segment.COHORT, Segment.UNMATCHED, Segment.NOT_ACCEPTED)


def participants(program: Program, roles: tuple[str, ...] = PARTICIPANT_ROLES) -> QuerySet[User]:
    """The program's active participants in ``roles``: the outer bound of every segment."""
    enrolled = Membership.objects.filter(
        program=program, user=OuterRef("pk"), role__in=roles, status=Status.ACTIVE
    )
    return User.objects.filter(Exists(enrolled), is_active=True)


def segment_rounds(program: Program) -> QuerySet[MatchRound]:
    """The program's published rounds, newest first: those a round segment may name."""
    return MatchRound.objects.filter(program=program, status=RoundStatus.PUBLISHED).order_by(
        "-published_at", "-id"
    )


def segment_members(
    program: Program, segment: str, *, match_round: MatchRound | None = None
) -> QuerySet[User]:
    """The people in ``segment`` of ``program`` now, each once.

    A round segment without ``match_round`` takes the program's latest published round
    (nobody, if it has none); a round of another program counts as none.
    """
    if segment == Segment.MENTEES:
        return participants(program, (Role.MENTEE,))
    if segment == Segment.MENTORS:
        return participants(program, (Role.MENTOR,))
    people = participants(program)
    if segment == Segment.EVERYONE:
        return people
    if segment == Segment.ACTIVE_PAIRS:
        return people.filter(_in_mentorship(program, Q(status__in=LIVE_STATUSES)))
    if segment == Segment.CLOSED_PAIRS:
        return people.filter(_in_mentorship(program, Q(status=MentorshipStatus.ENDED)))
    if segment == Segment.INCOMPLETE:
        complete = Profile.objects.filter(user=OuterRef("pk"), is_complete=True)
        return people.filter(~Exists(complete))
    if segment in ROUND_SEGMENTS:
        if match_round is None or match_round.program_id != program.pk:
            match_round = segment_rounds(program).first()
        if match_round is None:
            return people.none()
        return people.filter(_in_round(match_round, segment))
    raise ValueError(f"unknown segment {segment!r}")


def _in_mentorship(program: Program, status: Q) -> Q:
    pairs = Mentorship.objects.filter(status, program=program)
    return (
        Q(Exists(pairs.filter(mentor=OuterRef("pk"))))
        | Q(Exists(pairs.filter(mentee=OuterRef("pk"))))
        | Q(Exists(MentorshipMember.objects.filter(mentorship__in=pairs, user=OuterRef("pk"))))
    )


def _in_round(match_round: MatchRound, segment: str) -> Q:
    proposals = Proposal.objects.filter(round=match_round)
    unmatched = UnmatchedEntry.objects.filter(round=match_round, user=OuterRef("pk"))
    if segment == Segment.UNMATCHED:
        return Q(Exists(unmatched))
    if segment == Segment.NOT_ACCEPTED:
        # Published proposals a side has not answered yet: that side is asked to.
        waiting = proposals.filter(status=ProposalStatus.PUBLISHED)
        return Q(
            Exists(waiting.filter(mentee=OuterRef("pk"), mentee_response=Response.PENDING))
        ) | Q(Exists(waiting.filter(mentor=OuterRef("pk"), mentor_response=Response.PENDING)))
    return (
        Q(Exists(unmatched))
        | Q(Exists(proposals.filter(mentee=OuterRef("pk"))))
        | Q(Exists(proposals.filter(mentor=OuterRef("pk"))))
    )


def segment_label(segment: str, match_round: MatchRound | None = None) -> str:
    """The segment as a coordinator reads it, with the round it is cut from."""
    label = str(Segment(segment).label)
    if segment in ROUND_SEGMENTS and match_round is not None:
        return f"{label} · {match_round}"
    return label
