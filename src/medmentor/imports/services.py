"""Importing participants from a CSV file: a checked preview, then one all-or-nothing
transaction that creates or updates people by e-mail, their profiles and memberships.

The work is done in bulk (a constant number of queries for the whole file) except what
each person needs on their own: a notification for someone already on the site who is
added to the program. Invitations to people new to the site are rendered and sent by one
background task once the transaction commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.imports.models import ParticipantImport, rows_checksum
from medmentor.imports.parsing import (
    LINES_COLUMN,
    ImportProblems,
    Problem,
    participants_parse,
)
from medmentor.imports.profiles import profiles_apply
from medmentor.imports.tasks import send_import_invitations
from medmentor.notifications.services import notification_send
from medmentor.profiles.models import ReportingLine
from medmentor.profiles.taxonomy import taxonomy
from medmentor.programs.codes import career_stage_group
from medmentor.programs.models import PARTICIPANT_ROLES, Membership, Program, Role, Status
from medmentor.programs.services.lines import ImportedLine, coordinator_lines_import

INVITE, ADD, UPDATE = "invite", "add", "update"
ACTION_LABELS = {
    INVITE: gettext_lazy("new to MedMentor: account created and invited by e-mail"),
    ADD: gettext_lazy("on MedMentor: added to the program and notified"),
    UPDATE: gettext_lazy("already a participant: updated"),
}


@dataclass(frozen=True)
class PlanRow:
    row: int
    email: str
    name: str
    roles: tuple[str, ...]
    action: str

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])

    @property
    def role_labels(self) -> str:
        return ", ".join(str(Role(r).label) for r in self.roles)


@dataclass(frozen=True)
class ImportOutcome:
    invited: int
    added: int
    updated: int


def _users_by_email(emails: Iterable[str]) -> dict[str, User]:
    """Accounts by lower-cased address, the login address or another address the person
    has verified (so that a file naming someone by their work address does not make a
    second account). ``Lower`` keeps the comparison case-insensitive for any older row."""
    wanted = list(emails)
    users: dict[str, User] = {
        user.email.lower(): user
        for user in User.objects.annotate(address=Lower("email")).filter(address__in=wanted)
    }
    rest = [email for email in wanted if email not in users]
    if rest:
        others = (
            EmailAddress.objects.annotate(address=Lower("email"))
            .filter(address__in=rest, verified=True)
            .select_related("user")
        )
        for other in others:
            users.setdefault(other.email.lower(), other.user)
    return users


def _check_people(rows: list[dict[str, Any]], users: dict[str, User]) -> None:
    """Problems only the database shows: a deactivated account, or two rows that are one
    person (two of their addresses)."""
    problems: list[Problem] = []
    seen: dict[int, int] = {}  # user id -> the row naming them first
    for row in rows:
        user = users.get(row["email"])
        if user is None:
            continue
        if not user.is_active:
            problems.append(
                Problem(
                    row["row"], "email", _("This account has been deactivated; remove the row.")
                )
            )
        elif user.pk in seen:
            problems.append(
                Problem(
                    row["row"],
                    "email",
                    _("This is the same person as row %(row)d (another of their addresses).")
                    % {"row": seen[user.pk]},
                )
            )
        else:
            seen[user.pk] = row["row"]
    if problems:
        raise ImportProblems(problems)


@transaction.atomic
def import_prepare(
    *, program: Program, coordinator: User, data: bytes, file_name: str = ""
) -> ParticipantImport:
    """Check the file and keep its rows for the preview; :class:`ImportProblems` lists
    every problem (and nothing is kept)."""
    rows = participants_parse(data, program=program)
    _check_people(rows, _users_by_email(r["email"] for r in rows))
    ParticipantImport.objects.filter(program=program, expires_at__lte=timezone.now()).delete()
    return ParticipantImport.objects.create(
        program=program,
        coordinator=coordinator,
        file_name=file_name[:255],
        rows=rows,
        checksum=rows_checksum(rows),
    )


def import_plan(batch: ParticipantImport) -> list[PlanRow]:
    """What confirming would do to each row (two queries)."""
    rows = batch.rows
    users = _users_by_email(r["email"] for r in rows)
    active = set(
        Membership.objects.filter(
            program=batch.program,
            user__in=users.values(),
            role__in=PARTICIPANT_ROLES,
            status=Status.ACTIVE,
        ).values_list("user_id", "role")
    )
    plan = []
    for row in rows:
        user = users.get(row["email"])
        if user is None:
            action = INVITE
        elif all((user.pk, role) in active for role in row["roles"]):
            action = UPDATE
        else:
            action = ADD
        plan.append(PlanRow(row["row"], row["email"], row["name"], tuple(row["roles"]), action))
    return plan


def plan_counts(plan: list[PlanRow]) -> dict[str, int]:
    counts = Counter(p.action for p in plan)
    return {action: counts.get(action, 0) for action in (INVITE, ADD, UPDATE)}


def _create_users(rows: list[dict[str, Any]]) -> list[User]:
    """Accounts without a usable password, each with its (unverified) primary address:
    the invitation's link sets the password and proves the address."""
    users = [
        User(
            email=row["email"],
            name=row["name"],
            language=row["language"] or "en",
            password=make_password(None),
        )
        for row in rows
    ]
    try:
        with transaction.atomic():
            User.objects.bulk_create(users)
    except IntegrityError as error:
        raise ValidationError(
            _("Someone in the file joined MedMentor since the preview; upload the file again.")
        ) from error
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=False) for user in users
    )
    # Reporting lines others declared with these addresses now point at the accounts.
    by_email = {user.email: user for user in users}
    lines = list(ReportingLine.objects.filter(other=None, other_email__in=list(by_email)))
    for line in lines:
        line.other = by_email[line.other_email.lower()]
    ReportingLine.objects.bulk_update(lines, ["other"])
    return users


def _apply_memberships(
    program: Program, rows: list[dict[str, Any]], users: dict[str, User], by: User
) -> set[tuple[int, str]]:
    """Active memberships in each row's roles; returns the (user, role) pairs that were
    not active before."""
    now = timezone.now()
    existing = {
        (m.user_id, m.role): m
        for m in Membership.objects.filter(
            program=program, user__in=users.values(), role__in=PARTICIPANT_ROLES
        )
    }
    created, updated, new_roles = [], [], set()
    for row in rows:
        user = users[row["email"]]
        for role in row["roles"]:
            membership = existing.get((user.pk, role))
            stage = career_stage_group(row["career_stage"])
            if membership is None:
                membership = Membership(program=program, user=user, role=role)
                created.append(membership)
            elif membership.status != Status.ACTIVE or membership.career_stage != stage:
                updated.append(membership)
            if membership.status != Status.ACTIVE:
                new_roles.add((user.pk, role))
                membership.status = Status.ACTIVE
                membership.activated_at = now
                membership.withdrawn_at = None
                membership.declined_at = None
                membership.decided_by = by
            membership.career_stage = stage
    Membership.objects.bulk_create(created, batch_size=500)
    Membership.objects.bulk_update(
        updated,
        ["status", "activated_at", "withdrawn_at", "declined_at", "decided_by", "career_stage"],
        batch_size=500,
    )
    return new_roles


@transaction.atomic
def import_confirm(*, batch: ParticipantImport, by: User) -> ImportOutcome:
    """Import the previewed rows in one transaction: all of them or none."""
    locked = (
        ParticipantImport.objects.select_for_update().select_related("program").get(pk=batch.pk)
    )
    if locked.coordinator_id != by.pk:
        raise ValidationError(_("Only the coordinator who uploaded the file can import it."))
    if locked.confirmed_at is not None:
        raise ValidationError(_("This file has already been imported."))
    if locked.is_expired:
        raise ValidationError(_("This preview has expired; upload the file again."))
    if not locked.is_intact:
        raise ValidationError(
            _("This preview has changed since it was checked; upload the file again.")
        )
    program, rows = locked.program, locked.rows
    vocab = taxonomy()
    users = _users_by_email(r["email"] for r in rows)
    try:
        _check_people(rows, users)
    except ImportProblems as problems:
        raise ValidationError(
            [
                _("Row %(row)s, column %(column)s: %(message)s")
                % {"row": p.row, "column": p.column, "message": p.message}
                for p in problems.problems
            ]
        ) from problems
    # People on the site without a name take the file's; a name they chose stays.
    nameless = []
    for row in rows:
        user = users.get(row["email"])
        if user is not None and not user.name:
            user.name = row["name"]
            nameless.append(user)
    User.objects.bulk_update(nameless, ["name"])
    new_rows = [row for row in rows if row["email"] not in users]
    created = _create_users(new_rows)
    users.update({user.email: user for user in created})
    profiles_apply(rows, users, vocab)
    new_roles = _apply_memberships(program, rows, users, by)
    # The lines the coordinator knows: theirs to manage, pending until an address joins.
    coordinator_lines_import(
        program=program,
        by=by,
        entries=[
            ImportedLine(
                row=row["row"], person=users[row["email"]], kind=e["kind"], email=e["email"]
            )
            for row in rows
            for e in row.get(LINES_COLUMN, [])
        ],
    )
    created_ids = {user.pk for user in created}
    added = updated = 0
    url = reverse("programs:detail", args=[program.uuid])
    for row in rows:
        user = users[row["email"]]
        if user.pk in created_ids:
            continue
        roles = [role for role in row["roles"] if (user.pk, role) in new_roles]
        if not roles:
            updated += 1
            continue
        added += 1
        notification_send(
            recipient=user,
            kind="programs.import_added",
            template="imports/email/added",
            context={"program": program, "roles": roles, "coordinator": by},
            url=url,
        )
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["confirmed_at"])
    access_log(
        actor=by,
        action=Action.IMPORT,
        what=What.PARTICIPANTS,
        subjects=users.values(),
        program=program,
        detail=locked.file_name,
    )
    if created:
        people = [[users[r["email"]].pk, r["language"], r["roles"]] for r in new_rows]
        transaction.on_commit(lambda: send_import_invitations.enqueue(locked.pk, people))
    return ImportOutcome(invited=len(created), added=added, updated=updated)


@transaction.atomic
def import_invitation_accept(*, user: User, password: str) -> User:
    """The imported person chose their password on the invitation's page. The link reached
    their inbox, so the address is theirs; the new password uses the link up."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
