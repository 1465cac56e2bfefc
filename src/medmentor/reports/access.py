"""Who may read a report: the program's active coordinators, and staff. Everyone else gets
404, as for the program's other coordinator pages: a report tells nothing to outsiders,
not even that the program has one."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from medmentor.accounts.models import User
from medmentor.programs.models import Program
from medmentor.programs.selectors import programs_coordinated_by


def programs_reported_to(user: User | AnonymousUser) -> QuerySet[Program]:
    """Every program whose report ``user`` may read (all of them for staff)."""
    if not user.is_authenticated or not user.is_active:
        return Program.objects.none()
    if user.is_staff:
        return Program.objects.all()
    return programs_coordinated_by(user)


def get_program_reported_to(user: User | AnonymousUser, program_uuid: UUID | str) -> Program:
    program = programs_reported_to(user).filter(uuid=program_uuid).first()
    if program is None:
        raise Http404
    return program
