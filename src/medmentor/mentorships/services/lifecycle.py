"""Starting a mentorship, its status changes (each recorded) and its automatic closure."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.mentorships.models import (
    Agreement,
    EventKind,
    Mentorship,
    MentorshipMilestone,
    MentorshipStatus,
    StatusChange,
)
from medmentor.mentorships.models.mentorship import LIVE_STATUSES
from medmentor.mentorships.services.agreement import agreement_default_text
from medmentor.mentorships.services.common import add_months, event_add, notify, pair
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import is_excluded_pair
from medmentor.programs.models import Program

DEFAULT_MONTHS = 12
ALLOWED_CHANGES = {
    MentorshipStatus.PROPOSED: (MentorshipStatus.ACTIVE, MentorshipStatus.ENDED),
    MentorshipStatus.ACTIVE: (MentorshipStatus.PAUSED, MentorshipStatus.ENDED),
    MentorshipStatus.PAUSED: (MentorshipStatus.ACTIVE, MentorshipStatus.ENDED),
    MentorshipStatus.ENDED: (),
}


def status_change(*, mentorship: Mentorship, to: str, by: User | None, reason: str) -> StatusChange:
    """Move ``mentorship`` to ``to`` and record who, when, from, to and why."""
    if to not in ALLOWED_CHANGES[MentorshipStatus(mentorship.status)]:
        raise ValidationError(
            {
                "status": _("A mentorship cannot go from %(old)s to %(new)s.")
                % {"old": mentorship.get_status_display(), "new": MentorshipStatus(to).label}
            }
        )
    now = timezone.now()
    change = StatusChange.objects.create(
        mentorship=mentorship,
        from_status=mentorship.status,
        to_status=to,
        by=by,
        at=now,
        reason=reason[:300],
    )
    mentorship.status = to
    fields = ["status"]
    if to == MentorshipStatus.ENDED:
        mentorship.ended_at = now
        fields += ["ended_at", "closure_reason"]
    mentorship.save(update_fields=fields)
    # The profile's count of current mentees drives search ("places left").
    Profile.objects.filter(user_id=mentorship.mentor_id).update(
        active_mentees=live_mentee_count(mentorship.mentor)
    )
    event_add(
        mentorship=mentorship, kind=EventKind.STATUS, actor=by, detail=MentorshipStatus(to).value
    )  # a code: the timeline names it in each reader's language
    return change


def live_mentee_count(mentor: User) -> int:
    return Mentorship.objects.filter(mentor=mentor, status__in=LIVE_STATUSES).count()


@transaction.atomic
def mentorship_start(
    *,
    mentor: User,
    mentee: User,
    program: Program | None,
    source: str,
    by: User | None,
    already_told: Collection[User] = (),
) -> Mentorship:
    """The one way an active mentorship comes to be.

    The mentor's profile row is locked first, so two accepts at once cannot both take the
    last place: the second waits, then counts the first. A declared reporting line,
    conflict of interest or block (either direction) refuses the pair. ``already_told``:
    whom the caller tells itself that it started (an accepted request's mentee hears "your
    request was accepted"), so that nobody gets two e-mails for one event.
    """
    if mentor.pk == mentee.pk:
        raise ValidationError({"mentee": _("A person cannot mentor themselves.")})
    profile = Profile.objects.select_for_update().filter(user=mentor).first()
    if profile is None or not profile.is_mentor:
        raise ValidationError({"mentor": _("This person does not offer to mentor.")})
    if is_excluded_pair(mentor, mentee):
        raise ValidationError(
            {
                "mentee": _(
                    "A reporting line, a conflict of interest or a block keeps these two apart."
                )
            }
        )
    if Mentorship.objects.filter(mentor=mentor, mentee=mentee, status__in=LIVE_STATUSES).exists():
        raise ValidationError({"mentee": _("These two already have a mentorship.")})
    capacity = profile.mentor_capacity
    if live_mentee_count(mentor) >= capacity:
        raise ValidationError(
            {"mentor": _("This mentor has no place left (capacity %(n)s).") % {"n": capacity}}
        )
    today = timezone.localdate()
    months = program.mentorship_months if program else DEFAULT_MONTHS
    planned_end = add_months(today, months)
    if program and program.cycle_end and today < program.cycle_end < planned_end:
        planned_end = program.cycle_end
    mentorship = Mentorship.objects.create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        source=source,
        started_on=today,
        planned_end_on=planned_end,
        last_activity_at=timezone.now(),
    )
    status_change(
        mentorship=mentorship,
        to=MentorshipStatus.ACTIVE,
        by=by,
        reason=mentorship.get_source_display(),
    )
    event_add(mentorship=mentorship, kind=EventKind.STARTED, actor=by)
    if program:
        MentorshipMilestone.objects.bulk_create(
            MentorshipMilestone(
                mentorship=mentorship,
                position=m.position,
                kind=m.kind,
                label_en=m.label_en,
                label_fr=m.label_fr,
                due_on=today + timedelta(days=m.due_after_days),
            )
            for m in program.milestones.all()
        )
    Agreement.objects.create(
        mentorship=mentorship,
        text=agreement_default_text(program),
        updated_by=by,
        updated_at=timezone.now(),
    )
    told = {person.pk for person in already_told}
    notify(
        recipients=[person for person in pair(mentorship) if person.pk not in told],
        kind="started",
        mentorship=mentorship,
    )
    return mentorship


@transaction.atomic
def mentorship_pause(*, mentorship: Mentorship, by: User, reason: str = "") -> StatusChange:
    return status_change(
        mentorship=mentorship, to=MentorshipStatus.PAUSED, by=by, reason=reason or _("Paused")
    )


@transaction.atomic
def mentorship_resume(*, mentorship: Mentorship, by: User) -> StatusChange:
    change = status_change(
        mentorship=mentorship, to=MentorshipStatus.ACTIVE, by=by, reason=_("Resumed")
    )
    mentorship.last_activity_at = timezone.now()
    mentorship.inactivity_notice_at = None
    mentorship.save(update_fields=["last_activity_at", "inactivity_notice_at"])
    return change
