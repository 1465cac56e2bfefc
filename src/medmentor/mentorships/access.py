"""The one access helper for mentorships: outsiders get 404."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship
from medmentor.mentorships.models.mentorship import Party
from medmentor.programs.models import Role, Status

MENTOR, MENTEE, PEER, COORDINATOR = "mentor", "mentee", "peer", "coordinator"


@dataclass(frozen=True)
class MentorshipAccess:
    """A mentorship as one person may see it, and what they may do there."""

    mentorship: Mentorship
    user: User
    role: str  # mentor, mentee, peer (a circle's member) or coordinator

    @property
    def is_party(self) -> bool:
        return self.role in (MENTOR, MENTEE, PEER)

    @property
    def is_coordinator(self) -> bool:
        return self.role == COORDINATOR

    @property
    def can_write(self) -> bool:
        """The pair works in the workspace until the mentorship ends."""
        return self.is_party and self.mentorship.is_live

    @property
    def can_end(self) -> bool:
        """Either side of a pair, any member of a circle, a group's mentors: a group's
        mentee does not end everyone's group."""
        return self.can_write and (self.mentorship.kind != "group" or self.role == MENTOR)

    @property
    def partner(self) -> User | Party:
        return self.mentorship.partner_of(self.user)

    @property
    def others(self) -> tuple[User, ...]:
        """Everyone else in the mentorship: whom a change is told to."""
        return self.mentorship.others_of(self.user)


def coordinates(user: User, mentorship: Mentorship) -> bool:
    program = mentorship.program
    return (
        program is not None
        and program.memberships.filter(
            user=user, role=Role.COORDINATOR, status=Status.ACTIVE
        ).exists()
    )


def get_mentorship_for(
    user: User | AnonymousUser, mentorship_uuid: UUID | str, *, oversight: bool = False
) -> MentorshipAccess:
    """The mentorship ``user`` may open.

    The workspace (agreement, goals, meetings, messages, notes) is for the pair, or the
    group's or circle's members, only:
    everyone else gets 404, coordinators and staff included. With ``oversight=True`` the
    program's active coordinators pass too (their pages show counts and dates, never
    text); the pair passes as well, everyone else gets 404.
    """
    if not user.is_authenticated:
        raise Http404
    mentorship = (
        Mentorship.objects.select_related("mentor", "mentee", "program")
        .filter(uuid=mentorship_uuid)
        .first()
    )
    if mentorship is None:
        raise Http404
    role = mentorship.role_of(user)
    if role:
        return MentorshipAccess(mentorship=mentorship, user=user, role=role)
    if oversight and coordinates(user, mentorship):
        return MentorshipAccess(mentorship=mentorship, user=user, role=COORDINATOR)
    raise Http404
