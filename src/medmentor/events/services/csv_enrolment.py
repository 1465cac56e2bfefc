"""Enrolling an event's mentors and mentees from a CSV file of two columns, ``email`` and
``role``: every problem by row and column (numbered as a spreadsheet numbers them: the
header is row 1), and then nobody is enrolled. All or nothing, like the program import."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.events.models import Enrolment, Event, EventParticipant, EventRole
from medmentor.events.services.enrolment import (
    active_in_role,
    enrol_checked,
    require_ahead,
)

COLUMNS = ("email", "role")
MAX_ROWS = 2000
MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: the whole file
    column: str
    message: str


class EnrolmentProblems(Exception):
    """The file cannot be enrolled; ``problems`` says every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _whole(message: str) -> EnrolmentProblems:
    return EnrolmentProblems([Problem(None, "", message)])


def _lines(data: bytes) -> list[tuple[int, list[str]]]:
    if len(data) > MAX_BYTES:
        raise _whole(_("The file is too big: split it."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _whole(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”.")
        ) from error
    if not text.strip():
        raise _whole(_("The file is empty."))
    try:
        lines = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as error:
        raise _whole(
            _("The file is not a readable CSV file: %(error)s") % {"error": error}
        ) from error
    return [(number, cells) for number, cells in lines if any(c.strip() for c in cells)]


def _header(number: int, cells: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in cells]
    problems = []
    for position, name in enumerate(names):
        if name not in COLUMNS:
            problems.append(
                Problem(
                    number,
                    name or _("column %(n)d") % {"n": position + 1},
                    _("Unknown column. The columns are: %(columns)s.")
                    % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif names.index(name) != position:
            problems.append(Problem(number, name, _("This column appears twice.")))
    problems += [
        Problem(number, column, _("This column is missing."))
        for column in COLUMNS
        if column not in names
    ]
    if problems:
        raise EnrolmentProblems(problems)
    return names


def enrolment_parse(data: bytes, *, event: Event) -> list[tuple[User, str]]:
    """The file's people and roles, or :class:`EnrolmentProblems` listing every problem."""
    lines = _lines(data)
    names = _header(*lines[0])
    rows = lines[1:]
    if not rows:
        raise _whole(_("The file has a header but nobody in it."))
    if len(rows) > MAX_ROWS:
        raise _whole(_("A file holds at most %(max)d people; split it.") % {"max": MAX_ROWS})
    emails = {
        cells[names.index("email")].strip().lower()
        for _n, cells in rows
        if len(cells) == len(names)
    }
    accounts = {u.email.lower(): u for u in User.objects.filter(email__in=emails, is_active=True)}
    allowed = {role: active_in_role(event, role) for role in EventRole.values}
    places = dict(EventParticipant.objects.filter(event=event).values_list("user_id", "role"))
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    people: list[tuple[User, str]] = []
    for number, raw in rows:
        if len(raw) != len(names):
            problems.append(
                Problem(
                    number,
                    "",
                    _("This row has %(cells)d cells; the header has %(columns)d.")
                    % {"cells": len(raw), "columns": len(names)},
                )
            )
            continue
        cells = {name: cell.strip() for name, cell in zip(names, raw, strict=True)}
        email, role = cells["email"].lower(), cells["role"].lower()
        user = accounts.get(email)
        if not email:
            problems.append(Problem(number, "email", _("An e-mail address is required.")))
        elif email in seen:
            problems.append(
                Problem(
                    number,
                    "email",
                    _("%(email)s is already on row %(row)d.")
                    % {"email": email, "row": seen[email]},
                )
            )
        elif user is None:
            problems.append(
                Problem(
                    number,
                    "email",
                    _("Nobody on MedMentor has the address %(email)s.") % {"email": email},
                )
            )
        if email and email not in seen:
            seen[email] = number
        if role not in EventRole.values:
            problems.append(Problem(number, "role", _("Write mentor or mentee.")))
            continue
        if user is None or seen[email] != number:
            continue
        if user.pk not in allowed[role]:
            problems.append(
                Problem(
                    number,
                    "role",
                    _("This person is not an active %(role)s of the program.")
                    % {"role": EventRole(role).label.lower()},
                )
            )
        elif places.get(user.pk, role) != role:
            problems.append(
                Problem(number, "role", _("This person already takes part in the other role."))
            )
        else:
            people.append((user, role))
    if problems:
        raise EnrolmentProblems(problems)
    return people


@transaction.atomic
def event_enrol_csv(
    *, event: Event, by: User | None, data: bytes, now: datetime | None = None
) -> int:
    """Enrol everyone of the file, or nobody (:class:`EnrolmentProblems`); how many were
    added (those already in the event in the same role stay as they are)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    try:
        require_ahead(event, now)
    except ValidationError as error:
        raise _whole(" ".join(error.messages)) from error
    people = enrolment_parse(data, event=event)
    added = 0
    for role in EventRole.values:
        added += enrol_checked(event, [u for u, r in people if r == role], role, Enrolment.CSV)
    return added
