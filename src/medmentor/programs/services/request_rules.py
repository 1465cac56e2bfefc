"""Who may ask whom, where: the checks a direct request passes when it is sent and again
each time a line-up moves on to its next mentor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship
from medmentor.mentorships.models.mentorship import LIVE_STATUSES
from medmentor.mentorships.services.lifecycle import live_mentee_count
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import is_excluded_pair
from medmentor.programs.codes import career_stage_group
from medmentor.programs.eligibility import eligibility_check, stage_ordinal
from medmentor.programs.models import (
    CascadeStatus,
    CascadeStop,
    MatchingMode,
    Membership,
    Program,
    Request,
    RequestCascade,
    RequestStatus,
    Role,
    SeniorityRule,
    Status,
)

# Error keys of the mentors of a line-up, first to third (the form's fields and the API's).
MENTOR_FIELDS = ("mentor", "second_mentor", "third_mentor")
REQUEST_MODES = (MatchingMode.REQUESTS, MatchingMode.BOTH)


def _profile(user: User) -> Profile | None:
    return Profile.objects.select_related("career_stage").filter(user=user).first()


def qualifies(program: Program, user: User, role: str) -> bool:
    """An active member in ``role``; in the open community also anyone its rules take
    (a career stage in the role's stages; a mentor who offers to mentor)."""
    if Membership.objects.filter(
        program=program, user=user, role=role, status=Status.ACTIVE
    ).exists():
        return True
    if not program.is_open_community or not user.is_active:
        return False
    profile = _profile(user)
    if profile is None or profile.career_stage is None:
        return False
    if role == Role.MENTOR and not profile.is_mentor:
        return False
    try:
        eligibility_check(program, user, role, career_stage_group(profile.career_stage.code))
    except ValidationError:
        return False
    return True


def _pending_or_queued_with(
    mentee: User, mentor: User, moving: RequestCascade | None = None
) -> bool:
    """A request waiting with ``mentor``, or ``mentor`` still ahead in another open
    line-up (``moving`` is the line-up now handing itself on)."""
    if Request.objects.filter(mentee=mentee, mentor=mentor, status=RequestStatus.PENDING).exists():
        return True
    queued = CascadeStop.objects.filter(
        cascade__mentee=mentee,
        cascade__status=CascadeStatus.OPEN,
        mentor=mentor,
        position__gt=F("cascade__position"),
    )
    if moving is not None:
        queued = queued.exclude(cascade=moving)
    return queued.exists()


def request_check(
    *,
    program: Program,
    mentee: User,
    mentor: User,
    field: str = "mentor",
    moving: RequestCascade | None = None,
) -> None:
    """Raise a ValidationError under ``field`` when ``mentee`` may not ask ``mentor`` in
    ``program`` now. Used at sending and again when a line-up moves on."""

    def refuse(message: str) -> ValidationError:
        return ValidationError({field: message})

    name = mentor.get_full_name()
    if mentor.pk == mentee.pk:
        raise refuse(_("You cannot ask yourself."))
    if program.matching_mode not in REQUEST_MODES:
        raise ValidationError({"program": _("This program does not take direct requests.")})
    if not qualifies(program, mentee, Role.MENTEE):
        raise ValidationError({"program": _("You are not an active mentee of this program.")})
    if not mentor.is_active or not qualifies(program, mentor, Role.MENTOR):
        raise refuse(_("%(name)s is not a mentor of this program.") % {"name": name})
    if is_excluded_pair(mentor, mentee):
        raise refuse(
            _("A reporting line, a conflict of interest or a block keeps you apart from %(name)s.")
            % {"name": name}
        )
    if program.seniority_rule == SeniorityRule.SENIOR:
        mentor_stage, mentee_stage = stage_ordinal(mentor), stage_ordinal(mentee)
        if mentor_stage is not None and mentee_stage is not None and mentor_stage <= mentee_stage:
            raise refuse(
                _("This program pairs mentees with mentors at a later career stage than theirs.")
            )
    profile = _profile(mentor)
    if profile is None or not profile.is_mentor or not profile.accepting_mentees:
        raise refuse(_("%(name)s is not taking new mentees now.") % {"name": name})
    if live_mentee_count(mentor) >= profile.mentor_capacity:
        raise refuse(_("%(name)s has no place left for a new mentee.") % {"name": name})
    if Mentorship.objects.filter(mentor=mentor, mentee=mentee, status__in=LIVE_STATUSES).exists():
        raise refuse(_("You already have a mentorship with %(name)s.") % {"name": name})
    if (
        takes_one_mentor(program)
        and Mentorship.objects.filter(
            program=program, mentee=mentee, status__in=LIVE_STATUSES
        ).exists()
    ):
        raise ValidationError({"program": _("You already have a mentor in this program.")})
    if _pending_or_queued_with(mentee, mentor, moving):
        raise refuse(_("You already have a request open with %(name)s.") % {"name": name})


def takes_one_mentor(program: Program) -> bool:
    """A program gives each mentee one mentor at a time, as a match round does (an
    accept closes their other requests there). The open community does not: a physician
    may want one mentor for research and another for wellness."""
    return not program.is_open_community


def both_still_in(*, program: Program, mentee: User, mentor: User) -> None:
    """At an accept: either may have left the program since the request was sent."""
    if not qualifies(program, mentee, Role.MENTEE):
        raise ValidationError(
            {
                "request": _("%(name)s is no longer a mentee of this program.")
                % {"name": mentee.get_full_name()}
            }
        )
    if not qualifies(program, mentor, Role.MENTOR):
        raise ValidationError({"request": _("You are no longer a mentor of this program.")})


def open_request_count(*, program: Program, mentee: User) -> int:
    """Open requests of ``mentee`` in ``program``; a line-up counts as one."""
    return RequestCascade.objects.filter(
        program=program, mentee=mentee, status=CascadeStatus.OPEN
    ).count()


def open_request_limit_check(*, program: Program, mentee: User) -> None:
    if open_request_count(program=program, mentee=mentee) >= program.max_open_requests:
        raise ValidationError(
            {
                "mentor": _(
                    "You have %(n)s open requests in this program, the most it allows. "
                    "Wait for an answer or withdraw one first."
                )
                % {"n": program.max_open_requests}
            }
        )


def request_refusal(*, program: Program, mentee: User, mentor: User) -> str:
    """Why ``mentee`` cannot ask ``mentor`` in ``program`` now ("" when they can): shown
    before the mentee writes a message."""
    try:
        request_check(program=program, mentee=mentee, mentor=mentor)
        open_request_limit_check(program=program, mentee=mentee)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""
