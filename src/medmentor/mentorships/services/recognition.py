"""Letters of recognition: issued by a coordinator, verifiable by anyone with the code."""

from __future__ import annotations

from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.mentorships.models import Meeting, MeetingStatus, RecognitionLetter
from medmentor.mentorships.selectors import mentees_of, mentorships_mentored_in
from medmentor.programs.models import Program

SALT = "medmentor.mentorships.recognition"


def letter_code(letter: RecognitionLetter) -> str:
    """The verification code printed on the letter (signed with SECRET_KEY)."""
    return signing.dumps(str(letter.uuid), salt=SALT, compress=True)


def letter_verify(code: str) -> RecognitionLetter | None:
    try:
        letter_uuid = signing.loads(code, salt=SALT)
    except signing.BadSignature:
        return None
    return RecognitionLetter.objects.filter(uuid=letter_uuid).select_related("program").first()


@transaction.atomic
def letter_issue(*, program: Program, mentor: User, by: User) -> RecognitionLetter:
    mentorships = mentorships_mentored_in(program, mentor)
    if not mentorships.exists():
        raise ValidationError({"mentor": _("This person has not mentored in this program.")})
    meetings = Meeting.objects.filter(
        mentorship__in=mentorships, status=MeetingStatus.SCHEDULED, logged_at__isnull=False
    )
    minutes = meetings.aggregate(total=Sum("minutes_spent"))["total"] or 0
    first = mentorships.order_by("started_on").values_list("started_on", flat=True).first()
    access_log(
        actor=by,
        action=Action.EXPORT,
        what=What.MENTORING_RECORD,
        subjects=[mentor],
        program=program,
    )
    return RecognitionLetter.objects.create(
        program=program,
        mentor=mentor,
        mentor_name=str(mentor),
        issued_by=by,
        coordinator_name=str(by),
        issued_at=timezone.now(),
        mentees=len(mentees_of(mentorships)),
        meetings=meetings.count(),
        hours=(Decimal(minutes) / 60).quantize(Decimal("0.01")),
        period_start=first or timezone.localdate(),
        period_end=timezone.localdate(),
    )
