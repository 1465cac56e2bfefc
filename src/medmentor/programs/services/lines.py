"""Reporting lines and conflicts a program's coordinators know: entered on their page or
imported with the participants, removed by them only.

A line is between a member of the program (``person``) and another member, or an address
typed for someone not yet on the site or in the program (kept as typed, and counted as
soon as an account with that address exists, as the person's own declaration is). The
engine, direct requests and hand pairs honour every line, whoever entered it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.profiles.models import COORDINATOR_KINDS, ReportingLine, coordinator_kind_code
from medmentor.profiles.selectors import emails_of
from medmentor.programs.models import Program
from medmentor.programs.selectors.lines import (
    account_for_address,
    coordinator_lines,
    is_line_member,
    same_pair_lines,
)

EMAIL_MAX = ReportingLine._meta.get_field("other_email").max_length or 254


def clean_line_address(email: str) -> str:
    """The address lower-cased, or a ValidationError naming ``email``."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    if len(email) > EMAIL_MAX:
        raise ValidationError({"email": _("Enter a valid e-mail address.")})
    return email


def _new_line(
    *, program: Program, by: User, person: User, code: str, other: User | None, email: str
) -> ReportingLine:
    return ReportingLine(
        person=person,
        other=other,
        other_email=email,
        kind=COORDINATOR_KINDS[code],
        source=ReportingLine.Source.COORDINATOR,
        added_by=by,
        program=program,
    )


@transaction.atomic
def coordinator_line_add(
    *,
    program: Program,
    by: User,
    person: User | None,
    kind: str,
    other: User | None = None,
    email: str = "",
) -> ReportingLine:
    """Enter a line between ``person`` (a member of the program) and ``other`` (another
    member) or ``email`` (the address of someone not yet here). ``kind`` is the
    coordinator's code: supervisor, program_director, assessor or conflict. Refused, with
    the field named, for someone outside the program, oneself, or a line already entered."""
    code = kind.strip().lower()
    if code not in COORDINATOR_KINDS:
        raise ValidationError({"kind": _("Choose a kind of line.")})
    if person is None or not is_line_member(program, person):
        raise ValidationError({"person": _("Choose a member of this program.")})
    email = email.strip()
    if other is not None and email:
        raise ValidationError({"email": _("Choose a member or give an e-mail address, not both.")})
    if other is None and not email:
        raise ValidationError(
            {"other": _("Choose the other person, or give their e-mail address.")}
        )
    field = "other" if other is not None else "email"
    if other is not None and not is_line_member(program, other):
        raise ValidationError({"other": _("Choose a member of this program.")})
    if email:
        email = clean_line_address(email)
        other = account_for_address(email)
    if (other is not None and other.pk == person.pk) or (email and email in emails_of(person)):
        raise ValidationError({field: _("A line is between two different people.")})
    if same_pair_lines(program, COORDINATOR_KINDS[code], person, other, email).exists():
        raise ValidationError({field: _("This line between these two is already on the list.")})
    line = _new_line(program=program, by=by, person=person, code=code, other=other, email=email)
    line.save()
    access_log(
        actor=by,
        action=Action.CHANGE,
        what=What.REPORTING_LINE,
        program=program,
        subjects=[person, other],
        detail=f"{code} added by a coordinator",
    )
    return line


@transaction.atomic
def coordinator_line_remove(*, program: Program, by: User, line: ReportingLine) -> None:
    """Remove a line this program's coordinators entered (and only such a line)."""
    if line.program_id != program.pk or not line.by_coordinator:
        raise ValidationError(_("Only a line this program's coordinators entered can be removed."))
    subjects = [line.person_id, line.other_id]
    code = coordinator_kind_code(line.kind)
    line.delete()
    access_log(
        actor=by,
        action=Action.CHANGE,
        what=What.REPORTING_LINE,
        program=program,
        subjects=subjects,
        detail=f"{code} removed by a coordinator",
    )


@dataclass(frozen=True)
class ImportedLine:
    """One entry of the import's ``reporting_lines`` column, already checked."""

    row: int
    person: User
    kind: str  # the coordinator's code
    email: str  # lower case


def _accounts_by_address(emails: set[str]) -> dict[str, User]:
    found: dict[str, User] = {
        u.email.lower(): u
        for u in User.objects.annotate(address=Lower("email")).filter(address__in=emails)
    }
    rest = emails - set(found)
    if rest:
        verified = (
            EmailAddress.objects.annotate(address=Lower("email"))
            .filter(address__in=rest, verified=True)
            .select_related("user")
        )
        for other in verified:
            found.setdefault(other.email.lower(), other.user)
    return found


def coordinator_lines_import(*, program: Program, by: User, entries: Iterable[ImportedLine]) -> int:
    """Enter the lines of an import (inside its transaction): each a coordinator line of
    the program, to the account of the address or pending until one exists. A line
    already entered is kept as it is (a file imported twice adds nothing). Returns how
    many were added."""
    entries = list(entries)
    if not entries:
        return 0
    accounts = _accounts_by_address({entry.email for entry in entries})
    people = {entry.person.pk for entry in entries}
    entered = coordinator_lines(program).filter(Q(person__in=people) | Q(other__in=people))
    # The pairs already entered, each way round: by account and by the address typed.
    by_account: set[tuple[int, str, int]] = set()
    by_address: set[tuple[int, str, str]] = set()
    for person_id, kind, other_id, other_email in entered.values_list(
        "person_id", "kind", "other_id", "other_email"
    ):
        if other_id is not None:
            by_account |= {(person_id, kind, other_id), (other_id, kind, person_id)}
        if other_email:
            by_address.add((person_id, kind, other_email.lower()))
    created: list[ReportingLine] = []
    for entry in entries:
        other = accounts.get(entry.email)
        kind = COORDINATOR_KINDS[entry.kind]
        if other is not None and other.pk == entry.person.pk:
            raise ValidationError(
                _("Row %(row)d, column %(column)s: a line is between two different people.")
                % {"row": entry.row, "column": "reporting_lines"}
            )
        if (entry.person.pk, kind, entry.email) in by_address or (
            other is not None and (entry.person.pk, kind, other.pk) in by_account
        ):
            continue  # already entered (this file, an earlier one, or the page)
        by_address.add((entry.person.pk, kind, entry.email))
        if other is not None:
            by_account |= {(entry.person.pk, kind, other.pk), (other.pk, kind, entry.person.pk)}
        created.append(
            _new_line(
                program=program,
                by=by,
                person=entry.person,
                code=entry.kind,
                other=other,
                email=entry.email,
            )
        )
    ReportingLine.objects.bulk_create(created, batch_size=500)
    if created:
        access_log(
            actor=by,
            action=Action.IMPORT,
            what=What.REPORTING_LINE,
            program=program,
            subjects=[
                person_id
                for line in created
                for person_id in (line.person.pk, line.other.pk if line.other else None)
            ],
            detail=f"{len(created)} line(s) imported",
        )
    return len(created)
