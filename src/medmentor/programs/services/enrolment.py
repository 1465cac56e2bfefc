"""Joining, approval, declining and leaving a program."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.notifications.services import notification_send
from medmentor.programs.eligibility import eligibility_check
from medmentor.programs.models import (
    EnrolmentMode,
    IntakeQuestion,
    Membership,
    Program,
    QuestionKind,
    Role,
    Status,
)
from medmentor.programs.selectors import coordinators_of
from medmentor.programs.signals import member_enrolled

# Bounds of a text or number answer to an intake question.
TEXT_ANSWER_LIMIT = 300
NUMBER_LIMIT = Decimal(10) ** 12


def answer_field(question: IntakeQuestion) -> str:
    """The field name an answer goes by in forms and API errors."""
    return f"answers.{question.uuid}"


def intake_answers_clean(
    *, program: Program, role: str, answers: Mapping[str, Sequence[str] | str]
) -> dict[str, list[str]]:
    """Check answers against the program's questions for ``role``; return them as stored.

    Keys are question UUIDs; values a code or a list of codes for a choice question, one
    value for a text, number or date question. An unknown question or choice code, two
    answers where one is asked, a value of the wrong form, or a missing required answer
    is a field error (``answers.<question uuid>``).
    """
    questions = {str(q.uuid): q for q in program.questions.filter(role=role)}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, list[str]] = {}
    for key, value in answers.items():
        if str(key) not in questions:
            errors[f"answers.{key}"] = [_("This is not a question of this program.")]
            continue
        question = questions[str(key)]
        values = [value] if isinstance(value, str) else list(value)
        values = [str(item).strip() for item in values if str(item).strip() != ""]
        try:
            kept = _answer_clean(question, values)
        except ValidationError as error:
            errors[answer_field(question)] = error.messages
        else:
            if kept:
                cleaned[str(question.uuid)] = kept
    for key, question in questions.items():
        if question.required and key not in cleaned and answer_field(question) not in errors:
            errors[answer_field(question)] = [_("This question needs an answer.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _answer_clean(question: IntakeQuestion, values: list[str]) -> list[str]:
    """One question's answer as stored: codes (each once), or the one value normalised."""
    if len(values) > 1 and question.kind != QuestionKind.MULTIPLE:
        raise ValidationError(
            _("Choose one answer.") if question.is_choice else _("Give one answer.")
        )
    if question.is_choice:
        unknown = [code for code in values if code not in question.codes]
        if unknown:
            raise ValidationError(_("“%(code)s” is not one of the choices.") % {"code": unknown[0]})
        return list(dict.fromkeys(values))
    if not values:
        return []
    value = values[0]
    if question.kind == QuestionKind.NUMBER:
        try:
            number = Decimal(value.replace(",", ".") if value.count(",") == 1 else value)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
            raise ValidationError(_("Enter a number."))
        return [_plain(number)]
    if question.kind == QuestionKind.DATE:
        try:
            return [date.fromisoformat(value).isoformat()]
        except ValueError:
            raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None
    if len(value) > TEXT_ANSWER_LIMIT:
        raise ValidationError(_("Keep this under %(n)s characters.") % {"n": TEXT_ANSWER_LIMIT})
    return [value]


def _plain(number: Decimal) -> str:
    """A number as people write it: no exponent, no trailing zeros after the point."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _notify_coordinators_of_request(membership: Membership) -> None:
    url = reverse("programs:queue", args=[membership.program.uuid])
    for coordinator in coordinators_of(membership.program):
        notification_send(
            recipient=coordinator,
            kind="programs.join_requested",
            template="programs/email/join_requested",
            context={"membership": membership, "program": membership.program},
            url=url,
        )


@transaction.atomic
def membership_join(
    *,
    program: Program,
    user: User,
    role: str,
    career_stage: str = "",
    self_identified: bool = False,
    answers: Mapping[str, Sequence[str] | str] | None = None,
    by_invitation: bool = False,
) -> Membership:
    """Enrol ``user`` as ``role``: active at once, or pending a coordinator's approval.

    Invitation-only programs take people through a valid invitation link only. Someone
    who withdrew or was declined may ask again; the same row is reused.
    """
    if program.enrolment_mode == EnrolmentMode.INVITATION and not by_invitation:
        raise ValidationError(_("This program takes participants by invitation only."))
    career_stage = eligibility_check(program, user, role, career_stage)
    if program.requires_self_identification and not self_identified:
        raise ValidationError(
            {"self_identified": _("This program is for people who self-identify as described.")}
        )
    cleaned = intake_answers_clean(program=program, role=role, answers=answers or {})
    membership = (
        Membership.objects.select_for_update().filter(program=program, user=user, role=role).first()
    )
    if membership is not None and membership.status in (Status.PENDING, Status.ACTIVE):
        raise ValidationError(
            {"role": _("You are already in this program in this role.")}
            if membership.is_active
            else {"role": _("Your request to join is already waiting for a coordinator.")}
        )
    membership = membership or Membership(program=program, user=user, role=role)
    now = timezone.now()
    pending = program.enrolment_mode == EnrolmentMode.APPROVAL and not by_invitation
    membership.status = Status.PENDING if pending else Status.ACTIVE
    membership.career_stage = career_stage
    membership.self_identified = self_identified
    membership.answers = cleaned
    membership.requested_at = now
    membership.activated_at = None if pending else now
    membership.declined_at = None
    membership.withdrawn_at = None
    membership.decided_by = None
    membership.decision_reason = ""
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:  # the same person joining twice at once
        raise ValidationError(
            {"role": _("You are already in this program in this role.")}
        ) from error
    if pending:
        _notify_coordinators_of_request(membership)
    else:
        _enrolled_on_commit(membership)
    return membership


def _enrolled_on_commit(membership: Membership) -> None:
    pk = membership.pk
    transaction.on_commit(lambda: member_enrolled.send_robust(sender=Membership, membership_id=pk))


def _decide(*, membership: Membership, by: User, reason: str, approve: bool) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    now = timezone.now()
    locked.status = Status.ACTIVE if approve else Status.DECLINED
    locked.activated_at = now if approve else None
    locked.declined_at = None if approve else now
    locked.decided_by = by
    locked.decision_reason = reason.strip()
    locked.save()
    access_log(
        actor=by,
        action=Action.DECIDE,
        what=What.MEMBERSHIP,
        subjects=[locked.user],
        program=locked.program,
        detail=f"{locked.role}: {locked.status}",
    )
    kind = "membership_approved" if approve else "membership_declined"
    notification_send(
        recipient=locked.user,
        kind=f"programs.{kind}",
        template=f"programs/email/{kind}",
        context={"membership": locked, "program": locked.program, "reason": locked.decision_reason},
        url=reverse("programs:detail", args=[locked.program.uuid]),
    )
    if approve:
        _enrolled_on_commit(locked)
    return locked


@transaction.atomic
def membership_approve(*, membership: Membership, by: User, reason: str = "") -> Membership:
    return _decide(membership=membership, by=by, reason=reason, approve=True)


@transaction.atomic
def membership_decline(*, membership: Membership, by: User, reason: str = "") -> Membership:
    return _decide(membership=membership, by=by, reason=reason, approve=False)


@transaction.atomic
def membership_withdraw(*, membership: Membership, by: User) -> Membership:
    """The person leaves, or a coordinator removes them. A program keeps one coordinator."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status not in (Status.PENDING, Status.ACTIVE):
        raise ValidationError(_("This membership has already ended."))
    if (
        locked.role == Role.COORDINATOR
        and not Membership.objects.filter(
            program=locked.program, role=Role.COORDINATOR, status=Status.ACTIVE
        )
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(_("A program needs at least one coordinator."))
    locked.status = Status.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    if by != locked.user:
        locked.decided_by = by
    locked.save()
    access_log(
        actor=by,
        action=Action.CHANGE,
        what=What.MEMBERSHIP,
        subjects=[locked.user],
        program=locked.program,
        detail=f"{locked.role}: {locked.status}",
    )
    return locked


@transaction.atomic
def coordinator_add(*, program: Program, user: User) -> Membership:
    """Make ``user`` an active coordinator of ``program`` (creation, duplication, admin)."""
    membership, _created = Membership.objects.update_or_create(
        program=program,
        user=user,
        role=Role.COORDINATOR,
        defaults={
            "status": Status.ACTIVE,
            "activated_at": timezone.now(),
            "withdrawn_at": None,
            "declined_at": None,
        },
    )
    return membership
