"""Creating, configuring and duplicating programs."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.directory.models import ListingClaim
from medmentor.directory.services import listing_hand_over
from medmentor.programs.models import (
    IntakeQuestion,
    Membership,
    Milestone,
    Program,
    ProgramEmail,
    Role,
    Status,
    new_nonce,
)
from medmentor.programs.selectors import can_create_programs
from medmentor.programs.services.enrolment import coordinator_add
from medmentor.programs.services.listing import listing_key, program_listing_sync

# Everything a coordinator sets on the settings page.
PROGRAM_FIELDS = (
    "name_en",
    "name_fr",
    "description_en",
    "description_fr",
    "audience",
    "region",
    "is_listed",
    "cycle_start",
    "cycle_end",
    "enrolment_mode",
    "matching_mode",
    "seniority_rule",
    "weight_consideration",
    "weight_camaraderie",
    "weight_commonality",
    "weight_confidentiality",
    "mentor_stages",
    "mentee_stages",
    "requires_self_identification",
    "sso_institution",
    "mentorship_months",
    "mentorship_format",
    "group_size_min",
    "group_size_max",
    "max_open_requests",
    "request_cascade_days",
    "checkin_first_days",
    "checkin_every_days",
    "inactivity_days",
    "closure_notice_days",
    "support_resources",
    "agreement_template",
)
MILESTONE_FIELDS = ("kind", "label_en", "label_fr", "due_after_days")
EN_DASH = "\u2013"
# A cycle at the end of a name: "2026", "2026-27", "(2026\u20132027)".
TRAILING_CYCLE = re.compile(r"(?P<open>\s*\(?)\d{4}(?:\s*[-\u2013]\s*\d{2,4})?(?P<close>\)?)\s*$")
EMAIL_FIELDS = ("key", "subject_en", "body_en", "subject_fr", "body_fr")
QUESTION_FIELDS = (
    "role",
    "text_en",
    "text_fr",
    "kind",
    "choices",
    "required",
    "matching_weight",
    "matching_rule",
)


def _apply(obj: Any, fields: Sequence[str], values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        setattr(obj, name, value)


def _validated_save(obj: Any) -> None:
    """Model validation (field validators and constraints) before writing."""
    obj.full_clean(exclude=["program"] if hasattr(obj, "program_id") else None)
    obj.save()


@transaction.atomic
def program_create(
    *, created_by: User, from_listing: ListingClaim | None = None, **values: Any
) -> Program:
    """A new program; its creator becomes its coordinator (needs ``add_program``). Created
    by the owner of a directory listing (``from_listing``, their confirmed claim), the
    program takes that listing over: same address, now with "Join here"."""
    if not can_create_programs(created_by):
        raise PermissionDenied(_("You may not create programs."))
    program = Program(created_by=created_by)
    _apply(program, PROGRAM_FIELDS, values)
    _validated_save(program)
    coordinator_add(program=program, user=created_by)
    if from_listing is not None:
        if from_listing.user_id != created_by.pk or from_listing.confirmed_at is None:
            raise PermissionDenied(_("Only the listing's confirmed owner may do this."))
        listing_hand_over(claim=from_listing, key=listing_key(program))
    program_listing_sync(program=program)
    return program


def _settings_logged(program: Program, by: User | None, detail: str) -> None:
    access_log(
        actor=by, action=Action.CHANGE, what=What.PROGRAM_SETTINGS, program=program, detail=detail
    )


@transaction.atomic
def program_update(*, program: Program, by: User | None = None, **values: Any) -> Program:
    # Against the stored row: a model form has already set its values on ``program``.
    stored = Program.objects.get(pk=program.pk)
    changed = [name for name, value in values.items() if getattr(stored, name, None) != value]
    _apply(program, PROGRAM_FIELDS, values)
    _validated_save(program)
    program_listing_sync(program=program)
    if changed:
        _settings_logged(program, by, ", ".join(changed))
    return program


@transaction.atomic
def milestone_plan_set(
    *, program: Program, steps: Sequence[Mapping[str, Any]], by: User | None = None
) -> list[Milestone]:
    """Replace the plan with ``steps``, in order (mentorships copy it when they start)."""
    milestones = []
    for position, step in enumerate(steps):
        milestone = Milestone(program=program, position=position)
        _apply(milestone, MILESTONE_FIELDS, step)
        milestone.full_clean(exclude=["program"])
        milestones.append(milestone)
    program.milestones.all().delete()
    _settings_logged(program, by, "milestone plan")
    return Milestone.objects.bulk_create(milestones)


def answers_using(question: IntakeQuestion) -> dict[str, int]:
    """How many memberships chose each code of ``question``."""
    counts: dict[str, int] = {}
    key = str(question.uuid)
    for answers in Membership.objects.filter(program_id=question.program_id).values_list(
        "answers", flat=True
    ):
        for code in (answers or {}).get(key, []):
            counts[code] = counts.get(code, 0) + 1
    return counts


@transaction.atomic
def intake_question_save(
    *,
    program: Program,
    question: IntakeQuestion | None = None,
    by: User | None = None,
    **values: Any,
) -> IntakeQuestion:
    """Add or edit a question. A choice code people have answered cannot be removed."""
    if question is None:
        last = program.questions.order_by("-position").values_list("position", flat=True).first()
        question = IntakeQuestion(program=program, position=(last or 0) + 1)
    elif "choices" in values:
        kept = {choice["code"] for choice in values["choices"]}
        in_use = sorted(code for code in answers_using(question) if code not in kept)
        if in_use:
            raise ValidationError(
                {
                    "choices": _(
                        "People have answered “%(codes)s”: keep these codes (you may "
                        "change their labels)."
                    )
                    % {"codes": "”, “".join(in_use)}
                }
            )
    _apply(question, QUESTION_FIELDS, values)
    if question.is_choice and not question.choices:
        raise ValidationError({"choices": _("Give at least one choice.")})
    if not question.is_choice:
        # A text, number or date answer is compared with nothing: it is for the coordinators.
        if question.matching_weight:
            raise ValidationError(
                {"matching_weight": _("Only a choice question can count in matching.")}
            )
        question.choices = []
    _validated_save(question)
    _settings_logged(program, by, f"intake question {question.position}")
    return question


@transaction.atomic
def intake_question_delete(*, question: IntakeQuestion, by: User | None = None) -> None:
    """Delete a question and the answers people gave to it."""
    _settings_logged(question.program, by, f"intake question {question.position} deleted")
    key = str(question.uuid)
    for membership in Membership.objects.filter(program_id=question.program_id).select_for_update():
        if key in (membership.answers or {}):
            del membership.answers[key]
            membership.save(update_fields=["answers"])
    question.delete()


def cycle_label(start: date | None, end: date | None) -> str:
    if start is None or end is None:
        return ""
    return str(start.year) if start.year == end.year else f"{start.year}{EN_DASH}{end.year}"


def _name_for_cycle(name: str, old_label: str, new_label: str, max_length: int) -> str:
    """``name`` with its cycle replaced by ``new_label``, or the label added after it."""
    if not new_label:
        return name
    if old_label and old_label in name:
        return name.replace(old_label, new_label)[:max_length]
    found = TRAILING_CYCLE.search(name)
    if found:
        head, tail = name[: found.start()] + found["open"], found["close"]
    else:
        head, tail = name + " (", ")"
    return head[: max_length - len(new_label) - len(tail)] + new_label + tail


@transaction.atomic
def program_duplicate(*, program: Program, by: User) -> Program:
    """The next cycle: the same settings, milestone plan, questions and e-mail wording, none
    of the people.

    Dates move on by one cycle (the day after this cycle ends, for as long); the name
    takes the new cycle's years. The program's coordinators coordinate the copy.
    """
    copy = Program(created_by=by, duplicated_from=program)
    _apply(copy, PROGRAM_FIELDS, {name: getattr(program, name) for name in PROGRAM_FIELDS})
    copy.invitation_nonce = new_nonce()
    if program.cycle_start and program.cycle_end:
        shift = program.cycle_end - program.cycle_start + timedelta(days=1)
        copy.cycle_start = program.cycle_start + shift
        copy.cycle_end = program.cycle_end + shift
    old_label = cycle_label(program.cycle_start, program.cycle_end)
    new_label = cycle_label(copy.cycle_start, copy.cycle_end)
    max_length = Program._meta.get_field("name_en").max_length or 160
    copy.name_en = _name_for_cycle(program.name_en, old_label, new_label, max_length)
    if program.name_fr:
        copy.name_fr = _name_for_cycle(program.name_fr, old_label, new_label, max_length)
    _validated_save(copy)
    Milestone.objects.bulk_create(
        Milestone(
            program=copy,
            position=m.position,
            **{name: getattr(m, name) for name in MILESTONE_FIELDS},
        )
        for m in program.milestones.all()
    )
    IntakeQuestion.objects.bulk_create(
        IntakeQuestion(
            program=copy,
            position=q.position,
            **{name: getattr(q, name) for name in QUESTION_FIELDS},
        )
        for q in program.questions.all()
    )
    ProgramEmail.objects.bulk_create(
        ProgramEmail(
            program=copy, updated_by=by, **{name: getattr(e, name) for name in EMAIL_FIELDS}
        )
        for e in program.emails.all()
    )
    coordinators = User.objects.filter(
        program_memberships__program=program,
        program_memberships__role=Role.COORDINATOR,
        program_memberships__status=Status.ACTIVE,
    )
    for coordinator in {by, *coordinators}:
        coordinator_add(program=copy, user=coordinator)
    program_listing_sync(program=copy)
    return copy


@transaction.atomic
def program_invitations_revoke(*, program: Program, by: User | None = None) -> Program:
    """Every invitation link given so far stops working."""
    program.invitation_nonce = new_nonce()
    program.save(update_fields=["invitation_nonce", "updated_at"])
    _settings_logged(program, by, "invitation links revoked")
    return program
