"""Reads, and the one access helper for programs (outsiders get 404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from medmentor.accounts.models import User
from medmentor.profiles.selectors import display_name_of
from medmentor.programs.models import (
    OPEN_COMMUNITY_UUID,
    IntakeQuestion,
    Membership,
    Program,
    Role,
    Status,
)

LIVE_STATUSES = (Status.PENDING, Status.ACTIVE)


class ProgramCounts(TypedDict):
    """What :func:`coordinated_overview` counts on each program."""

    waiting: int
    active_mentees: int
    active_mentors: int


if TYPE_CHECKING:
    # django-stubs' way to name a model with annotations; a name for mypy only.
    from django_stubs_ext import WithAnnotations

    CoordinatedProgram = WithAnnotations[Program, ProgramCounts]


@dataclass(frozen=True)
class ProgramAccess:
    """A program as one person sees it: their memberships and what they may do."""

    program: Program
    memberships: dict[str, Membership] = field(default_factory=dict)  # role → membership

    @property
    def is_coordinator(self) -> bool:
        membership = self.memberships.get(Role.COORDINATOR)
        return membership is not None and membership.is_active

    @property
    def is_participant(self) -> bool:
        return any(
            m.status in LIVE_STATUSES
            for role, m in self.memberships.items()
            if role != Role.COORDINATOR
        )

    def membership(self, role: str) -> Membership | None:
        return self.memberships.get(role)


def get_program_for(
    user: User | AnonymousUser, program_uuid: UUID | str, *, manage: bool = False
) -> ProgramAccess:
    """The program ``user`` may see, with their memberships.

    Listed programs are visible to everyone; unlisted ones to their members only.
    With ``manage=True`` only the program's active coordinators pass: its participants
    get 403, everyone else (staff included: they use the admin) 404.
    """
    program = Program.objects.filter(uuid=program_uuid).first()
    if program is None:
        raise Http404
    memberships: dict[str, Membership] = {}
    if user.is_authenticated:
        memberships = {m.role: m for m in program.memberships.filter(user=user)}
    access = ProgramAccess(program=program, memberships=memberships)
    if manage:
        if access.is_coordinator:
            return access
        if access.is_participant:
            raise PermissionDenied
        raise Http404
    if not program.is_listed and not access.is_coordinator and not access.is_participant:
        raise Http404
    return access


def get_membership_of(program: Program, membership_uuid: UUID | str) -> Membership:
    """A membership inside a program the caller already manages; else 404."""
    membership = (
        Membership.objects.select_related("user", "program")
        .filter(program=program, uuid=membership_uuid)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def get_own_membership(user: User, membership_uuid: UUID | str) -> Membership:
    membership = (
        Membership.objects.select_related("program").filter(user=user, uuid=membership_uuid).first()
    )
    if membership is None:
        raise Http404
    return membership


def programs_listed() -> QuerySet[Program]:
    return Program.objects.filter(is_listed=True)


def programs_search(*, query: str = "", audience: str = "", region: str = "") -> QuerySet[Program]:
    programs = programs_listed()
    if query:
        programs = programs.filter(
            Q(name_en__icontains=query)
            | Q(name_fr__icontains=query)
            | Q(description_en__icontains=query)
            | Q(description_fr__icontains=query)
        )
    if audience:
        programs = programs.filter(audience=audience)
    if region:
        programs = programs.filter(region=region)
    return programs


def open_community() -> Program | None:
    return Program.objects.filter(uuid=OPEN_COMMUNITY_UUID).first()


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("program")
        .order_by("program__name_en", "role")
    )


def programs_coordinated_by(user: User) -> QuerySet[Program]:
    return Program.objects.filter(
        memberships__user=user,
        memberships__role=Role.COORDINATOR,
        memberships__status=Status.ACTIVE,
    ).distinct()


def coordinators_of(program: Program) -> QuerySet[User]:
    return User.objects.filter(
        program_memberships__program=program,
        program_memberships__role=Role.COORDINATOR,
        program_memberships__status=Status.ACTIVE,
        is_active=True,
    ).distinct()


def members_of(program: Program, *, role: str = "", status: str = "") -> QuerySet[Membership]:
    members = Membership.objects.filter(program=program).select_related("user", "decided_by")
    if role:
        members = members.filter(role=role)
    if status:
        members = members.filter(status=status)
    return members.order_by("role", "status", "user__name", "pk")


def approval_queue(program: Program) -> QuerySet[Membership]:
    return members_of(program, status=Status.PENDING).order_by("requested_at", "id")


def answer_rows(
    questions: list[IntakeQuestion], membership: Membership
) -> list[tuple[str, list[str]]]:
    """(question, answer as read) for the questions of the membership's role it answered."""
    rows = []
    for question in questions:
        values = (membership.answers or {}).get(str(question.uuid))
        if question.role == membership.role and values:
            rows.append((question.text, question.answer_labels(values)))
    return rows


def can_create_programs(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("programs.add_program"))


def coordinated_overview(user: User) -> list[CoordinatedProgram]:
    """The programs ``user`` coordinates, each with counts of its participants by state."""

    def counting(**condition: str) -> Count:
        return Count(
            "memberships", filter=Q(**{f"memberships__{k}": v for k, v in condition.items()})
        )

    return list(
        Program.objects.filter(pk__in=programs_coordinated_by(user).values("pk")).annotate(
            waiting=counting(status=Status.PENDING),
            active_mentees=counting(status=Status.ACTIVE, role=Role.MENTEE),
            active_mentors=counting(status=Status.ACTIVE, role=Role.MENTOR),
        )
    )


@dataclass(frozen=True)
class Invitation:
    """Who brought an imported person in, as the welcome page names them."""

    program_name: str
    coordinator_name: str  # empty when that coordinator has left


def invitation_of(user: User) -> Invitation | None:
    """The program whose coordinator imported ``user`` most recently, and that coordinator's
    display name (never their address)."""
    membership = (
        Membership.objects.filter(user=user, decided_by__isnull=False)
        .select_related("program", "decided_by")
        .order_by("-activated_at", "-id")
        .first()
    )
    if membership is None:
        return None
    coordinator = membership.decided_by
    return Invitation(
        program_name=membership.program.name,
        coordinator_name=display_name_of(coordinator) if coordinator is not None else "",
    )
