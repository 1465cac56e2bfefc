"""The mentoring agreement: drafted from the program's template, signed off by everyone
in the mentorship."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.models import (
    Agreement,
    EventKind,
    MentorshipMember,
    MentorshipMilestone,
)
from medmentor.mentorships.models.work import TEXT_LIMIT
from medmentor.mentorships.services.common import (
    activity_touch,
    event_add,
    notify,
    require_writer,
)
from medmentor.programs.models import MilestoneKind, Program


def agreement_default_text(program: Program | None) -> str:
    if program and program.agreement_template.strip():
        return program.agreement_template.strip()
    sections = [
        (
            _("Expectations"),
            _("What each of us hopes to get from this mentorship and to give to it."),
        ),
        (
            _("Meeting cadence and modality"),
            _(
                "How often we meet (for example once a month, for an hour) and how: in "
                "person, by video call or by telephone."
            ),
        ),
        (
            _("How to reach each other"),
            _(
                "The messages in this workspace; how quickly we answer; what to do if a "
                "meeting must move."
            ),
        ),
        (
            _("Confidentiality"),
            _(
                "What we say stays between us. Coordinators see that the mentorship is "
                "active and healthy, never what was said. We never write patient "
                "information here."
            ),
        ),
        (
            _("The no-fault way out"),
            _(
                "Either of us may end the mentorship at any time, without giving a reason "
                "and without blame."
            ),
        ),
    ]
    return "\n\n".join(f"{title}\n{text}" for title, text in sections)


def _text_errors(text: str) -> dict[str, str]:
    if not text.strip():
        return {"text": _("The agreement cannot be empty.")}
    if len(text) > TEXT_LIMIT:
        return {"text": _("Keep the agreement under %(n)s characters.") % {"n": TEXT_LIMIT}}
    return {}


def _clear_signatures(agreement: Agreement) -> None:
    agreement.mentor_signed_at = agreement.mentee_signed_at = None
    MentorshipMember.objects.filter(mentorship=agreement.mentorship_id).update(
        agreement_signed_at=None
    )


def _sign(agreement: Agreement, access: MentorshipAccess) -> None:
    now = timezone.now()
    if access.mentorship.is_pair:
        field = f"{access.role}_signed_at"
        setattr(agreement, field, now)
        agreement.save(update_fields=[field])
    else:
        MentorshipMember.objects.filter(mentorship=access.mentorship, user=access.user).update(
            agreement_signed_at=now
        )


def _signed_by_all(agreement: Agreement) -> bool:
    if agreement.mentorship.is_pair:
        return agreement.is_signed
    return not MentorshipMember.objects.filter(
        mentorship=agreement.mentorship_id, agreement_signed_at__isnull=True
    ).exists()


@transaction.atomic
def agreement_update(*, access: MentorshipAccess, text: str) -> Agreement:
    """Anyone in the mentorship edits; a change after any signature needs everyone's
    signature again."""
    require_writer(access)
    errors = _text_errors(text)
    if errors:
        raise ValidationError(errors)
    agreement = Agreement.objects.select_for_update().get(mentorship=access.mentorship)
    agreement.mentorship = access.mentorship
    if text == agreement.text:
        return agreement
    was_signed = any(agreement.signed_at_of(person) for person in access.mentorship.people())
    agreement.text = text
    agreement.version += 1
    _clear_signatures(agreement)
    agreement.updated_by = access.user
    agreement.updated_at = timezone.now()
    agreement.save()
    event_add(mentorship=access.mentorship, kind=EventKind.AGREEMENT_EDITED, actor=access.user)
    activity_touch(access.mentorship)
    if was_signed:
        notify(recipients=access.others, kind="agreement_changed", mentorship=access.mentorship)
    return agreement


@transaction.atomic
def agreement_sign(*, access: MentorshipAccess, version: int) -> Agreement:
    """Sign the version the person read; a stale version is refused."""
    require_writer(access)
    agreement = Agreement.objects.select_for_update().get(mentorship=access.mentorship)
    agreement.mentorship = access.mentorship
    if version != agreement.version:
        raise ValidationError(
            {"version": _("The agreement changed since you read it: read it again, then sign.")}
        )
    if agreement.signed_at_of(access.user) is not None:
        return agreement
    _sign(agreement, access)
    event_add(mentorship=access.mentorship, kind=EventKind.AGREEMENT_SIGNED, actor=access.user)
    activity_touch(access.mentorship)
    if _signed_by_all(agreement):
        event_add(mentorship=access.mentorship, kind=EventKind.AGREEMENT_COMPLETE)
        MentorshipMilestone.objects.filter(
            mentorship=access.mentorship, kind=MilestoneKind.AGREEMENT, done_at__isnull=True
        ).update(done_at=timezone.now())
    else:
        notify(recipients=access.others, kind="agreement_signed", mentorship=access.mentorship)
    return agreement
