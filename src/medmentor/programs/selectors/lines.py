"""Reads for the reporting lines and conflicts a program's coordinators enter: who may be
named, the program's list, one line for removal (others' get 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.http import Http404

from medmentor.accounts.models import User
from medmentor.profiles.models import COORDINATOR_KIND_LABELS, ReportingLine, coordinator_kind_code
from medmentor.profiles.selectors import emails_of
from medmentor.programs.models import PARTICIPANT_ROLES, Membership, Program, Status

# Who a coordinator may name: the program's participants, active or waiting for approval.
LINE_MEMBER_STATUSES = (Status.ACTIVE, Status.PENDING)


def line_members_of(program: Program) -> QuerySet[User]:
    """The people of ``program`` a line may name, by name (one row each)."""
    return (
        User.objects.filter(
            is_active=True,
            program_memberships__program=program,
            program_memberships__role__in=PARTICIPANT_ROLES,
            program_memberships__status__in=LINE_MEMBER_STATUSES,
        )
        .select_related("profile")
        .distinct()
        .order_by("name", "pk")
    )


def is_line_member(program: Program, user: User) -> bool:
    return Membership.objects.filter(
        program=program,
        user=user,
        role__in=PARTICIPANT_ROLES,
        status__in=LINE_MEMBER_STATUSES,
        user__is_active=True,
    ).exists()


def shown_name(user: User) -> str:
    """A person as a coordinator sees them: their display name, never their address."""
    if user.is_former_member:
        return str(user)
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile is not None else "") or user.name


def account_for_address(email: str) -> User | None:
    """The account an address names: its login address, or another address its owner has
    verified."""
    email = email.strip().lower()
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    other = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    return other.user if other is not None else None


def coordinator_lines(program: Program) -> QuerySet[ReportingLine]:
    return ReportingLine.objects.filter(program=program, source=ReportingLine.Source.COORDINATOR)


@dataclass(frozen=True)
class CoordinatorLineRow:
    uuid: UUID
    person: str
    kind: str  # the coordinator's code: supervisor, program_director, assessor, conflict
    kind_label: str
    # The other person's name (a member), or the address the coordinator typed (never
    # whether an account has it: that would tell which addresses are on the site).
    other: str
    added_by: str
    created_at: datetime
    subject_ids: tuple[int, ...]  # both people (one while the other is pending)


def coordinator_lines_of(program: Program) -> list[CoordinatorLineRow]:
    """The lines this program's coordinators entered, newest first."""
    lines = coordinator_lines(program).select_related(
        "person__profile", "other__profile", "added_by"
    )
    members = set(line_members_of(program).values_list("pk", flat=True))
    rows = []
    for line in lines:
        code = coordinator_kind_code(line.kind)
        # A member of the program by name; anyone else by the address typed (whose
        # account an address is stays unsaid).
        if line.other is not None and (line.other_id in members or not line.other_email):
            other = shown_name(line.other)
        else:
            other = line.other_email
        rows.append(
            CoordinatorLineRow(
                uuid=line.uuid,
                person=shown_name(line.person),
                kind=code,
                kind_label=str(COORDINATOR_KIND_LABELS.get(code, line.get_kind_display())),
                other=other,
                added_by=line.added_by.name if line.added_by is not None else "",
                created_at=line.created_at,
                subject_ids=tuple(pk for pk in (line.person_id, line.other_id) if pk),
            )
        )
    return rows


def get_coordinator_line(program: Program, line_uuid: UUID | str) -> ReportingLine:
    """A line this program's coordinators entered; any other (a member's own, another
    program's) is not found."""
    line = (
        coordinator_lines(program)
        .select_related("person", "other", "program")
        .filter(uuid=line_uuid)
        .first()
    )
    if line is None:
        raise Http404
    return line


def same_pair_lines(
    program: Program, kind: str, person: User, other: User | None, email: str
) -> QuerySet[ReportingLine]:
    """This program's coordinator lines of ``kind`` between the two, either direction."""
    forward = Q(person=person) & (
        (Q(other=other) if other is not None else Q(pk__in=[]))
        | (Q(other_email=email) if email else Q(pk__in=[]))
    )
    backward = Q(pk__in=[])
    if other is not None:
        addresses = emails_of(person)
        backward = Q(person=other) & (
            Q(other=person) | Q(other__isnull=True, other_email__in=addresses)
        )
    return coordinator_lines(program).filter(kind=kind).filter(forward | backward)
