"""Starting a mentorship, its status changes (each recorded) and its automatic closure."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.mentorships.models import (
    Agreement,
    EventKind,
    MemberRole,
    Mentorship,
    MentorshipKind,
    MentorshipMember,
    MentorshipMilestone,
    MentorshipStatus,
    StatusChange,
)
from medmentor.mentorships.models.mentorship import LIVE_STATUSES
from medmentor.mentorships.services.agreement import agreement_default_text
from medmentor.mentorships.services.common import add_months, event_add, notify
from medmentor.mentorships.signals import mentorship_ended, mentorship_started
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import excluded_pairs_among, is_excluded_pair
from medmentor.programs.models import MentorshipFormat, Program, Role, Status

DEFAULT_MONTHS = 12
MAX_CO_MENTORS = 2
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
    for mentor in mentors_of(mentorship):
        Profile.objects.filter(user=mentor).update(active_mentees=live_mentee_count(mentor))
    event_add(
        mentorship=mentorship, kind=EventKind.STATUS, actor=by, detail=MentorshipStatus(to).value
    )  # a code: the timeline names it in each reader's language
    if to == MentorshipStatus.ENDED:
        pk = mentorship.pk
        transaction.on_commit(
            lambda: mentorship_ended.send_robust(sender=Mentorship, mentorship_id=pk)
        )
    return change


def mentors_of(mentorship: Mentorship) -> list[User]:
    if mentorship.is_pair:
        return [mentorship.mentor] if mentorship.mentor else []
    return [m.user for m in mentorship.member_rows if m.role == MemberRole.MENTOR]


def live_mentee_count(mentor: User) -> int:
    """The mentor's mentees now: one per live pair, and each mentee of a live group they
    lead or co-mentor (a group's mentees take the mentor's places one each)."""
    pairs = Mentorship.objects.filter(
        mentor=mentor, kind=MentorshipKind.PAIR, status__in=LIVE_STATUSES
    ).count()
    in_groups = MentorshipMember.objects.filter(
        role=MemberRole.MENTEE,
        mentorship__status__in=LIVE_STATUSES,
        mentorship__members__user=mentor,
        mentorship__members__role=MemberRole.MENTOR,
    ).count()
    return pairs + in_groups


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
    mentorship = Mentorship.objects.create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        source=source,
        **_dates(program),
    )
    _open(mentorship, by=by, already_told=already_told)
    return mentorship


def _dates(program: Program | None) -> dict[str, object]:
    today = timezone.localdate()
    months = program.mentorship_months if program else DEFAULT_MONTHS
    planned_end = add_months(today, months)
    if program and program.cycle_end and today < program.cycle_end < planned_end:
        planned_end = program.cycle_end
    return {"started_on": today, "planned_end_on": planned_end, "last_activity_at": timezone.now()}


def _open(mentorship: Mentorship, *, by: User | None, already_told: Collection[User]) -> None:
    """What every new mentorship gets: active status, the program's milestone plan, the
    agreement to sign, and a notice to each of its people."""
    program = mentorship.program
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
                due_on=mentorship.started_on + timedelta(days=m.due_after_days),
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
        recipients=[person for person in mentorship.people() if person.pk not in told],
        kind="started",
        mentorship=mentorship,
    )
    pk = mentorship.pk
    transaction.on_commit(
        lambda: mentorship_started.send_robust(sender=Mentorship, mentorship_id=pk)
    )


def _group_errors(
    program: Program, kind: str, mentors: Sequence[User], members: Sequence[User]
) -> dict[str, str]:
    if kind not in (MentorshipKind.GROUP, MentorshipKind.CIRCLE):
        return {"kind": _("Choose a group or a circle.")}
    if not MentorshipFormat(program.mentorship_format).allows(kind):
        return {"kind": _("This program does not run %(kind)s.") % {"kind": _plural(kind)}}
    people = [*mentors, *members]
    if len({p.pk for p in people}) != len(people):
        return {"members": _("A person is in a group once.")}
    if kind == MentorshipKind.GROUP and not 1 <= len(mentors) <= MAX_CO_MENTORS:
        return {"mentors": _("A group has one mentor, or two co-mentors.")}
    if kind == MentorshipKind.CIRCLE and mentors:
        return {"mentors": _("A circle has no mentor: its members mentor each other.")}
    smallest, largest = program.group_size_min, program.group_size_max
    if not smallest <= len(members) <= largest:
        return {
            "members": _("The program's groups and circles have %(min)s to %(max)s %(who)s.")
            % {
                "min": smallest,
                "max": largest,
                "who": _("mentees") if kind == MentorshipKind.GROUP else _("members"),
            }
        }
    enrolled = set(
        program.memberships.filter(user__in=people, status=Status.ACTIVE).values_list(
            "user_id", "role"
        )
    )
    member_roles = (Role.MENTEE,) if kind == MentorshipKind.GROUP else (Role.MENTOR, Role.MENTEE)
    for field, group, roles in (
        ("mentors", mentors, (Role.MENTOR,)),
        ("members", members, member_roles),
    ):
        for person in group:
            if not any((person.pk, role) in enrolled for role in roles):
                return {
                    field: _("%(name)s is not enrolled in the program in this role.")
                    % {"name": person.get_full_name()}
                }
    by_id = {p.pk: p for p in people}
    apart = excluded_pairs_among(set(by_id))
    if apart:
        first, second = sorted(sorted(pair) for pair in apart)[0]
        return {
            "members": _(
                "A reporting line, a conflict of interest or a block keeps %(a)s and %(b)s "
                "apart: they cannot be in one group."
            )
            % {"a": by_id[first].get_full_name(), "b": by_id[second].get_full_name()}
        }
    return {}


def _plural(kind: str) -> str:
    return str(_("groups") if kind == MentorshipKind.GROUP else _("circles"))


@transaction.atomic
def group_start(
    *,
    program: Program,
    kind: str,
    mentors: Sequence[User] = (),
    members: Sequence[User],
    name: str = "",
    source: str,
    by: User | None,
) -> Mentorship:
    """The one way a group (``mentors``: one, or two co-mentors; ``members``: its mentees)
    or a circle (``members``: peers, no mentor) comes to be.

    Every two of its people are checked, not only mentor and mentee: a reporting line,
    conflict of interest or block between any two refuses it. The mentors' profile rows
    are locked first, and each mentee takes one of each mentor's places.
    """
    errors = _group_errors(program, kind, mentors, members)
    if errors:
        raise ValidationError(errors)
    profiles = {
        p.user_id: p
        for p in Profile.objects.select_for_update().filter(user__in=mentors).order_by("pk")
    }
    for mentor in mentors:
        profile = profiles.get(mentor.pk)
        if profile is None or not profile.is_mentor:
            raise ValidationError(
                {"mentors": _("%(name)s does not offer to mentor.") % {"name": mentor}}
            )
        if live_mentee_count(mentor) + len(members) > profile.mentor_capacity:
            raise ValidationError(
                {
                    "mentors": _("%(name)s has no place left for %(n)s more mentees.")
                    % {"name": mentor, "n": len(members)}
                }
            )
    if not name.strip():
        name = (
            _("Group of %(name)s") % {"name": mentors[0].get_full_name()}
            if kind == MentorshipKind.GROUP
            else _("Circle of %(names)s") % {"names": members[0].get_full_name()}
        )
    mentorship = Mentorship.objects.create(
        program=program,
        kind=kind,
        name=name.strip()[:120],
        mentor=mentors[0] if mentors else None,
        source=source,
        **_dates(program),
    )
    joined = timezone.now()
    member_role = MemberRole.MENTEE if kind == MentorshipKind.GROUP else MemberRole.PEER
    MentorshipMember.objects.bulk_create(
        [
            *(
                MentorshipMember(
                    mentorship=mentorship, user=m, role=MemberRole.MENTOR, joined_at=joined
                )
                for m in mentors
            ),
            *(
                MentorshipMember(mentorship=mentorship, user=m, role=member_role, joined_at=joined)
                for m in members
            ),
        ]
    )
    _open(mentorship, by=by, already_told=())
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
