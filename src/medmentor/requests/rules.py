"""Who may ask whom, where: the checks a direct request passes when it is sent and again
each time a line-up moves on to its next mentor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrPromise

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship
from medmentor.mentorships.models.mentorship import LIVE_STATUSES
from medmentor.profiles.models import CareerStage, Profile
from medmentor.profiles.selectors import excluded_user_ids
from medmentor.profiles.taxonomy import taxonomy, vocabulary_of
from medmentor.programs.codes import career_stage_group
from medmentor.programs.eligibility import eligibility_check, seniority_allows
from medmentor.programs.models import MatchingMode, Membership, Program, Role, SeniorityRule, Status
from medmentor.requests.models import (
    CascadeStatus,
    CascadeStop,
    Request,
    RequestCascade,
    RequestStatus,
)

# Error keys of the mentors of a line-up, first to third (the form's fields and the API's).
MENTOR_FIELDS = ("mentor", "second_mentor", "third_mentor")
REQUEST_MODES = (MatchingMode.REQUESTS, MatchingMode.BOTH)
# Why a program's seniority rule refuses a mentor (the "any" rule refuses nobody).
SENIORITY_REFUSALS: dict[str, StrPromise] = {
    SeniorityRule.SENIOR: gettext_lazy(
        "This program pairs mentees with mentors at a later career stage than theirs."
    ),
    SeniorityRule.PEER: gettext_lazy(
        "This program pairs mentees with mentors at their career stage or a later one."
    ),
}


@dataclass(frozen=True)
class Refusal:
    """Why a mentee may not ask a mentor in a program. ``field`` is "program" when the
    reason is the mentee's or the program's (every mentor there is refused alike), else
    "mentor" (this mentor's)."""

    field: str
    message: str


def _profiles(user_ids: Iterable[int]) -> dict[int, Profile]:
    return {
        p.user_id: p
        for p in Profile.objects.filter(user_id__in=set(user_ids)).only(
            "user_id",
            "career_stage_id",
            "is_mentor",
            "accepting_mentees",
            "mentor_capacity",
        )
    }


def qualifying_ids(
    program: Program,
    users: Sequence[User],
    role: str,
    profiles: dict[int, Profile] | None = None,
    members: set[int] | None = None,
) -> set[int]:
    """Which of ``users`` qualify in ``role`` (see :func:`qualifies`), in two queries
    whatever their number: the one rule for a single person and for a page of them.
    ``members`` (the active members in ``role`` among them) and ``profiles`` spare the
    queries when the caller has read them already."""
    ids = {u.pk for u in users}
    if members is None:
        members = set(
            Membership.objects.filter(
                program=program, user_id__in=ids, role=role, status=Status.ACTIVE
            ).values_list("user_id", flat=True)
        )
    members = members & ids
    if not program.is_open_community:
        return members
    rest = [u for u in users if u.pk not in members and u.is_active]
    if not rest:
        return members
    profiles = profiles if profiles is not None else _profiles(u.pk for u in rest)
    stages = taxonomy()["career-stages"].by_id
    for user in rest:
        profile = profiles.get(user.pk)
        stage = stages.get(profile.career_stage_id) if profile and profile.career_stage_id else None
        if profile is None or stage is None or (role == Role.MENTOR and not profile.is_mentor):
            continue
        try:
            eligibility_check(program, user, role, career_stage_group(stage.code))
        except ValidationError:
            continue
        members.add(user.pk)
    return members


def qualifies(program: Program, user: User, role: str) -> bool:
    """An active member in ``role``; in the open community also anyone its rules take
    (a career stage in the role's stages; a mentor who offers to mentor)."""
    return user.pk in qualifying_ids(program, [user], role)


def _pending_or_queued_with(
    mentee: User, mentor_ids: set[int], moving: RequestCascade | None = None
) -> set[int]:
    """The mentors of ``mentor_ids`` with a request of ``mentee`` waiting, or still ahead
    in another open line-up (``moving`` is the line-up now handing itself on)."""
    pending = set(
        Request.objects.filter(
            mentee=mentee, mentor_id__in=mentor_ids, status=RequestStatus.PENDING
        ).values_list("mentor_id", flat=True)
    )
    queued = CascadeStop.objects.filter(
        cascade__mentee=mentee,
        cascade__status=CascadeStatus.OPEN,
        mentor_id__in=mentor_ids,
        position__gt=F("cascade__position"),
    )
    if moving is not None:
        queued = queued.exclude(cascade=moving)
    return pending | set(queued.values_list("mentor_id", flat=True))


@dataclass(frozen=True)
class RequestFacts:
    """What :func:`request_refusals` reads about one mentee and a set of mentors, in any
    of a set of programs: read once by :func:`request_facts`, then shared by the checks
    of every program (a page of mentors across the mentee's programs)."""

    profiles: dict[int, Profile]  # the mentee's and the mentors', by user id
    members: dict[tuple[int, str], set[int]]  # (program id, role) -> active members
    excluded: set[int]  # reporting lines, conflicts and blocks of the mentee
    live: dict[int, int]  # live mentorships of each mentor
    paired: set[int]  # mentors in a live mentorship with the mentee
    programs_with_mentor: set[int]  # programs where the mentee has a live mentorship
    waiting: set[int]  # mentors with a request of the mentee pending or queued


def request_facts(
    mentee: User,
    mentor_ids: Iterable[int],
    programs: Iterable[Program],
    *,
    moving: RequestCascade | None = None,
) -> RequestFacts:
    """The facts the request rules read about ``mentee`` and ``mentor_ids`` in
    ``programs``: a constant number of queries, whatever the number of mentors and of
    programs."""
    ids = set(mentor_ids)
    people = {*ids, mentee.pk}
    profiles = _profiles(people)
    members: dict[tuple[int, str], set[int]] = {}
    for user_id, program_id, role in Membership.objects.filter(
        program__in=list(programs), user_id__in=people, status=Status.ACTIVE
    ).values_list("user_id", "program_id", "role"):
        members.setdefault((program_id, role), set()).add(user_id)
    live = dict(
        Mentorship.objects.filter(mentor_id__in=ids, status__in=LIVE_STATUSES)
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    mine = list(
        Mentorship.objects.filter(mentee=mentee, status__in=LIVE_STATUSES).values_list(
            "mentor_id", "program_id"
        )
    )
    return RequestFacts(
        profiles=profiles,
        members=members,
        excluded=excluded_user_ids(mentee),
        live=live,
        paired={mentor_id for mentor_id, _ in mine if mentor_id in ids},
        programs_with_mentor={program_id for _, program_id in mine},
        waiting=_pending_or_queued_with(mentee, ids, moving),
    )


def request_refusals(
    *,
    program: Program,
    mentee: User,
    mentors: Sequence[User],
    moving: RequestCascade | None = None,
    facts: RequestFacts | None = None,
) -> dict[int, Refusal]:
    """Why ``mentee`` may not ask each of ``mentors`` in ``program`` now, by mentor id
    (those they may ask are absent). The one statement of who may ask whom: sending, a
    line-up moving on, the search and the request form all read it. A constant number of
    queries, whatever the number of mentors; none given ``facts`` read for them (and
    ``program``) by :func:`request_facts`."""
    refusals = {m.pk: Refusal("mentor", _("You cannot ask yourself.")) for m in mentors}
    refusals = {pk: r for pk, r in refusals.items() if pk == mentee.pk}
    mentors = [m for m in mentors if m.pk != mentee.pk]
    if not mentors:
        return refusals
    ids = {m.pk for m in mentors}
    if program.matching_mode not in REQUEST_MODES:
        refusal = Refusal("program", _("This program does not take direct requests."))
        return refusals | {m.pk: refusal for m in mentors}
    if facts is None:
        facts = request_facts(mentee, ids, [program], moving=moving)
    profiles = facts.profiles
    mentee_members = facts.members.get((program.pk, Role.MENTEE), set())
    if mentee.pk not in qualifying_ids(program, [mentee], Role.MENTEE, profiles, mentee_members):
        refusal = Refusal("program", _("You are not an active mentee of this program."))
        return refusals | {m.pk: refusal for m in mentors}
    mentors_here = qualifying_ids(
        program,
        mentors,
        Role.MENTOR,
        profiles,
        facts.members.get((program.pk, Role.MENTOR), set()),
    )
    excluded = facts.excluded
    stages = vocabulary_of(taxonomy(), CareerStage).by_id

    def ordinal(user_id: int) -> int | None:
        profile = profiles.get(user_id)
        term = stages.get(profile.career_stage_id) if profile and profile.career_stage_id else None
        return term.ordinal if term is not None else None

    live = facts.live
    paired = facts.paired
    has_mentor_here = takes_one_mentor(program) and program.pk in facts.programs_with_mentor
    waiting = facts.waiting
    mentee_stage = ordinal(mentee.pk)

    def refusal_of(mentor: User) -> Refusal | None:
        name = {"name": mentor.get_full_name()}
        profile = profiles.get(mentor.pk)
        mentor_stage = ordinal(mentor.pk)
        if not mentor.is_active or mentor.pk not in mentors_here:
            return Refusal("mentor", _("%(name)s is not a mentor of this program.") % name)
        if mentor.pk in excluded:
            return Refusal(
                "mentor",
                _(
                    "A reporting line, a conflict of interest or a block keeps you apart "
                    "from %(name)s."
                )
                % name,
            )
        if not seniority_allows(
            program.seniority_rule, mentor_stage=mentor_stage, mentee_stage=mentee_stage
        ):
            return Refusal("mentor", str(SENIORITY_REFUSALS[program.seniority_rule]))
        if profile is None or not profile.is_mentor or not profile.accepting_mentees:
            return Refusal("mentor", _("%(name)s is not taking new mentees now.") % name)
        if live.get(mentor.pk, 0) >= profile.mentor_capacity:
            return Refusal("mentor", _("%(name)s has no place left for a new mentee.") % name)
        if mentor.pk in paired:
            return Refusal("mentor", _("You already have a mentorship with %(name)s.") % name)
        if has_mentor_here:
            return Refusal("program", _("You already have a mentor in this program."))
        if mentor.pk in waiting:
            return Refusal("mentor", _("You already have a request open with %(name)s.") % name)
        return None

    for mentor in mentors:
        found = refusal_of(mentor)
        if found is not None:
            refusals[mentor.pk] = found
    return refusals


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
    refusal = request_refusals(program=program, mentee=mentee, mentors=[mentor], moving=moving)
    if mentor.pk in refusal:
        found = refusal[mentor.pk]
        raise ValidationError({field if found.field == "mentor" else found.field: found.message})


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
