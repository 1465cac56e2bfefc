"""Reads. What each person may read is decided by ``access.get_mentorship_for`` first;
these functions then return only what that role may see (never text to coordinators)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.core.actions import PendingAction
from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.models import (
    Baseline,
    CheckIn,
    Evaluation,
    Goal,
    GoalMilestone,
    GoalStatus,
    Meeting,
    MeetingStatus,
    MemberRole,
    Mentorship,
    MentorshipMember,
    MentorshipStatus,
    Message,
    Modality,
    Note,
    NoteVisibility,
)
from medmentor.mentorships.models.mentorship import involving, mentoring
from medmentor.mentorships.selectors.attention import attention_flags, attention_reasons
from medmentor.profiles.models import Goal as ProfileGoal
from medmentor.profiles.models import Profile
from medmentor.programs.models import Program

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# The profile's meeting modalities (the taxonomy's codes) that decide a meeting's default.
VIRTUAL, IN_PERSON = "virtual", "in-person"


def _party_only(access: MentorshipAccess) -> None:
    if not access.is_party:
        raise Http404


def with_members(through: str = "") -> Prefetch[Any]:
    """Prefetch a list's groups' and circles' members with their users, in one query
    (``through``: the path to the mentorship, e.g. ``"mentorship__"`` for meetings)."""
    return Prefetch(f"{through}members", queryset=MentorshipMember.objects.select_related("user"))


def mentorships_of(user: User) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(involving(user))
        .select_related("mentor", "mentee", "program")
        .prefetch_related(with_members())
        .order_by("status", "-started_on")
    )


@dataclass(frozen=True)
class MyMentorships:
    """A person's mentorships as their pages list them: those under way, then past ones."""

    current: list[Mentorship]  # live, as mentor or mentee
    past: list[Mentorship]  # ended, the latest first


def my_mentorships(user: User) -> MyMentorships:
    mentorships = list(mentorships_of(user))
    return MyMentorships(
        current=[m for m in mentorships if m.is_live],
        past=sorted(
            (m for m in mentorships if m.is_ended),
            key=lambda m: (m.ended_at or m.created_at, m.pk),
            reverse=True,
        ),
    )


def goal_of(access: MentorshipAccess, goal_uuid: UUID | str) -> Goal:
    _party_only(access)
    goal = Goal.objects.filter(mentorship=access.mentorship, uuid=goal_uuid).first()
    if goal is None:
        raise Http404
    return goal


def goal_step_of(access: MentorshipAccess, step_uuid: UUID | str) -> GoalMilestone:
    _party_only(access)
    step = (
        GoalMilestone.objects.select_related("goal")
        .filter(goal__mentorship=access.mentorship, uuid=step_uuid)
        .first()
    )
    if step is None:
        raise Http404
    return step


def meeting_of(access: MentorshipAccess, meeting_uuid: UUID | str) -> Meeting:
    _party_only(access)
    meeting = Meeting.objects.filter(mentorship=access.mentorship, uuid=meeting_uuid).first()
    if meeting is None:
        raise Http404
    return meeting


def notes_visible_to(access: MentorshipAccess) -> QuerySet[Note]:
    """Private notes of the reader, and shared notes; nobody else reads any."""
    _party_only(access)
    return (
        Note.objects.filter(mentorship=access.mentorship)
        .filter(Q(visibility=NoteVisibility.SHARED) | Q(author=access.user))
        .select_related("author", "meeting")
    )


def note_of(access: MentorshipAccess, note_uuid: UUID | str) -> Note:
    note = notes_visible_to(access).filter(uuid=note_uuid).first()
    if note is None:
        raise Http404
    return note


def messages_of(access: MentorshipAccess) -> QuerySet[Message]:
    _party_only(access)
    return Message.objects.filter(mentorship=access.mentorship).select_related("author")


def checkin_of(access: MentorshipAccess, checkin_uuid: UUID | str) -> CheckIn:
    _party_only(access)
    checkin = CheckIn.objects.filter(
        mentorship=access.mentorship, user=access.user, uuid=checkin_uuid
    ).first()
    if checkin is None:
        raise Http404
    return checkin


def open_checkins(access: MentorshipAccess) -> QuerySet[CheckIn]:
    _party_only(access)
    return CheckIn.objects.filter(
        mentorship=access.mentorship, user=access.user, submitted_at__isnull=True
    )


@dataclass(frozen=True)
class Signature:
    """One side of the agreement: who (shown by name), in which role, and when they signed
    the current version (``None``: not yet)."""

    person: User
    role: str
    signed_at: datetime | None


def agreement_signatures(access: MentorshipAccess) -> list[Signature]:
    _party_only(access)
    mentorship, agreement = access.mentorship, access.mentorship.agreement
    return [
        Signature(person, mentorship.role_of(person), agreement.signed_at_of(person))
        for person in mentorship.people()
    ]


def goal_area_choices() -> list[tuple[str, str]]:
    """What a goal may serve: the profile's mentoring goals (the taxonomy), by code."""
    return [(term.code, term.label) for term in ProfileGoal.objects.active()]


def meeting_modality_default(mentorship: Mentorship) -> str:
    """How a new meeting is offered by default, from the two profiles' preferred modality:
    by video when one prefers virtual and neither in person, else in person."""
    preferred = set(
        Profile.objects.filter(user__in=(mentorship.mentor_id, mentorship.mentee_id))
        .exclude(modality__isnull=True)
        .values_list("modality__code", flat=True)
    )
    if VIRTUAL in preferred and IN_PERSON not in preferred:
        return Modality.VIDEO
    return Modality.IN_PERSON


def next_meeting(mentorship: Mentorship) -> Meeting | None:
    return (
        mentorship.meetings.filter(status=MeetingStatus.SCHEDULED, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )


def evaluation_of(mentorship: Mentorship, user: User) -> Evaluation | None:
    return Evaluation.objects.filter(mentorship=mentorship, user=user).first()


# The baseline is a rating at the start: asked in the first weeks only, reminded once.
BASELINE_OPEN_DAYS = 60
BASELINE_REMIND_AFTER_DAYS = 7


def baseline_is_open(mentorship: Mentorship, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return mentorship.is_live and today < mentorship.started_on + timedelta(days=BASELINE_OPEN_DAYS)


def baseline_asked(access: MentorshipAccess) -> bool:
    """Whether the workspace asks this side for its starting self-rating."""
    return (
        access.is_party
        and baseline_is_open(access.mentorship)
        and not Baseline.objects.filter(mentorship=access.mentorship, user=access.user).exists()
    )


@dataclass
class ProgramRow:
    mentorship: Mentorship
    reasons: list[str]
    meetings_held: int
    last_meeting: datetime | None
    milestones_done: int
    milestones_total: int
    minutes_logged: int = 0

    @property
    def hours(self) -> float:
        """Hours the pair logged in meetings (what counts for continuing education)."""
        return round(self.minutes_logged / 60, 2)

    @property
    def people(self) -> tuple[int, ...]:
        """The user ids of everyone in the mentorship (whose data the row shows)."""
        return tuple(person.pk for person in self.mentorship.people())


def program_mentorships(program: Program) -> list[ProgramRow]:
    """The coordinator's dashboard: every mentorship of the program, without text."""
    now = timezone.now()
    rows = []
    mentorships = (
        Mentorship.objects.filter(program=program)
        .select_related("mentor", "mentee", "program")
        .prefetch_related(with_members())
        .annotate(
            meetings_held=Count(
                "meetings",
                filter=Q(meetings__status=MeetingStatus.SCHEDULED, meetings__starts_at__lte=now),
                distinct=True,
            ),
            last_meeting=Max(
                "meetings__starts_at",
                filter=Q(meetings__status=MeetingStatus.SCHEDULED, meetings__starts_at__lte=now),
            ),
            milestones_total=Count("milestones", distinct=True),
            milestones_done=Count(
                "milestones", filter=Q(milestones__done_at__isnull=False), distinct=True
            ),
            # A subquery: summed over the joins above, each meeting would count many times.
            minutes_logged=Subquery(
                Meeting.objects.filter(
                    mentorship=OuterRef("pk"),
                    status=MeetingStatus.SCHEDULED,
                    logged_at__isnull=False,
                )
                .values("mentorship")
                .annotate(total=Sum("minutes_spent"))
                .values("total")
            ),
        )
        .order_by("status", "-started_on")
    )
    flags = attention_flags(mentorships, now)
    for mentorship in mentorships:
        flagged = flags.get(mentorship.pk)
        rows.append(
            ProgramRow(
                mentorship=mentorship,
                reasons=[str(reason.label) for reason in flagged.reasons] if flagged else [],
                meetings_held=mentorship.meetings_held,
                last_meeting=mentorship.last_meeting,
                milestones_done=mentorship.milestones_done,
                milestones_total=mentorship.milestones_total,
                minutes_logged=mentorship.minutes_logged or 0,
            )
        )
    rows.sort(key=lambda row: (not row.reasons, row.mentorship.status != "active"))
    return rows


@dataclass
class Oversight:
    """What a coordinator may know of one mentorship: counts and dates, never text."""

    mentorship: Mentorship
    reasons: list[str]
    agreement_signed: bool
    milestones: list[object]
    meeting_dates: list[datetime]
    upcoming_meetings: int
    goals_by_status: dict[StrPromise, int]  # by the status's label, translated when shown
    shared_checkins: list[CheckIn]
    notes_count: int
    notes_last: datetime | None
    messages_count: int
    messages_last: datetime | None
    status_changes: list[object] = field(default_factory=list)


def program_mentorships_seen_by(
    user: User, program: Program, *, detail: str = ""
) -> list[ProgramRow]:
    """The coordinator's rows of :func:`program_mentorships`, their look logged about each
    side of every pair (the page and the API alike)."""
    rows = program_mentorships(program)
    access_log(
        actor=user,
        action=Action.VIEW,
        what=What.MENTORSHIPS,
        subjects=[uid for row in rows for uid in row.people],
        program=program,
        detail=detail,
    )
    return rows


def oversight_of(mentorship: Mentorship) -> Oversight:
    now = timezone.now()
    meetings = mentorship.meetings.filter(status=MeetingStatus.SCHEDULED)
    notes = Note.objects.filter(mentorship=mentorship, visibility=NoteVisibility.SHARED)
    messages = Message.objects.filter(mentorship=mentorship)
    goals = {
        GoalStatus(row["status"]).label: row["n"]
        for row in mentorship.goals.values("status").annotate(n=Count("id"))
    }
    agreement = getattr(mentorship, "agreement", None)
    return Oversight(
        mentorship=mentorship,
        reasons=attention_reasons(mentorship, now),
        agreement_signed=bool(agreement and agreement.is_signed),
        milestones=list(mentorship.milestones.all()),
        meeting_dates=list(meetings.filter(starts_at__lte=now).values_list("starts_at", flat=True)),
        upcoming_meetings=meetings.filter(starts_at__gt=now).count(),
        goals_by_status=goals,
        shared_checkins=list(
            CheckIn.objects.filter(
                mentorship=mentorship, submitted_at__isnull=False, shared_with_coordinator=True
            ).select_related("user")
        ),
        notes_count=notes.count(),
        notes_last=notes.aggregate(last=Max("created_at"))["last"],
        messages_count=messages.count(),
        messages_last=messages.aggregate(last=Max("created_at"))["last"],
        status_changes=list(mentorship.status_changes.select_related("by")),
    )


@dataclass(frozen=True)
class ActivityRow:
    """One line of a continuing-professional-development record."""

    day: date
    activity: str
    role: str
    partner: str
    program: str
    hours: float
    reflection: str


def activity_of(user: User) -> list[ActivityRow]:
    """The person's logged meetings, with only the words they wrote themselves:
    the meeting log when they wrote it, and their own notes about the meeting."""
    rows = []
    meetings = (
        Meeting.objects.filter(
            mentorship__in=Mentorship.objects.filter(involving(user)),
            status=MeetingStatus.SCHEDULED,
            logged_at__isnull=False,
        )
        .select_related("mentorship__mentor", "mentorship__mentee", "mentorship__program")
        .order_by("starts_at")
    )
    for meeting in meetings:
        mentorship = meeting.mentorship
        own_words = []
        if meeting.logged_by_id == user.pk:
            own_words += [meeting.discussed, meeting.next_steps]
        own_words += [
            note.body for note in meeting.notes.filter(author=user).order_by("created_at")
        ]
        role = mentorship.role_of(user)
        rows.append(
            ActivityRow(
                day=timezone.localdate(meeting.starts_at),
                activity=str(ACTIVITY_LABELS[role]),
                role=role,
                partner=str(mentorship.partner_of(user)),
                program=mentorship.program.name if mentorship.program else "",
                hours=meeting.hours,
                reflection="\n".join(text for text in own_words if text),
            )
        )
    return rows


# A meeting as a line of a CPD record, by the person's role in the mentorship.
ACTIVITY_LABELS = {
    "mentor": gettext_lazy("Mentoring meeting (as mentor)"),
    "mentee": gettext_lazy("Mentoring meeting (as mentee)"),
    "peer": gettext_lazy("Peer mentoring circle meeting"),
}

# How long after closure a person is still asked for their evaluation.
EVALUATION_WINDOW = timedelta(days=60)


def pending_actions(user: User, today: date | None = None) -> list[PendingAction]:
    """What ``user`` owes their mentorships: a signature, a starting self-rating, a check-in,
    an evaluation."""
    today = today or timezone.localdate()
    actions = []
    mentorships = list(mentorships_of(user).select_related("agreement"))
    for mentorship in mentorships:
        partner = mentorship.partner_of(user)
        agreement = getattr(mentorship, "agreement", None)
        if mentorship.is_live and agreement is not None and not agreement.signed_at_of(user):
            actions.append(
                PendingAction(
                    _("Sign your mentorship agreement with %(name)s") % {"name": partner},
                    reverse("mentorships:agreement", args=[mentorship.uuid]),
                )
            )
    answered = set(Baseline.objects.filter(user=user).values_list("mentorship_id", flat=True))
    for mentorship in mentorships:
        if mentorship.pk not in answered and baseline_is_open(mentorship, today):
            partner = mentorship.partner_of(user)
            actions.append(
                PendingAction(
                    _("Rate where you stand as your mentorship with %(name)s begins")
                    % {"name": partner},
                    reverse("mentorships:baseline", args=[mentorship.uuid]),
                )
            )
    due_checkins = CheckIn.objects.filter(
        user=user,
        submitted_at__isnull=True,
        mentorship__in=[m for m in mentorships if m.is_live],
    ).select_related("mentorship__mentor", "mentorship__mentee")
    for checkin in due_checkins:
        mentorship = checkin.mentorship
        partner = mentorship.partner_of(user)
        actions.append(
            PendingAction(
                _("Answer your check-in on the mentorship with %(name)s") % {"name": partner},
                reverse("mentorships:checkin", args=[mentorship.uuid, checkin.uuid]),
                due=checkin.due_on,
            )
        )
    evaluated = set(Evaluation.objects.filter(user=user).values_list("mentorship_id", flat=True))
    since = timezone.now() - EVALUATION_WINDOW
    for mentorship in mentorships:
        if mentorship.is_ended and mentorship.ended_at and mentorship.ended_at >= since:
            if mentorship.pk in evaluated:
                continue
            partner = mentorship.partner_of(user)
            actions.append(
                PendingAction(
                    _("Evaluate your mentorship with %(name)s") % {"name": partner},
                    reverse("mentorships:evaluation", args=[mentorship.uuid]),
                )
            )
    return actions


def partners_among(viewer_id: int, owner_ids: Collection[int]) -> set[int]:
    """The owners who are or were in a mentorship with the viewer (profiles' "matched")."""
    pairs = Mentorship.objects.filter(
        Q(mentor_id=viewer_id, mentee_id__in=owner_ids)
        | Q(mentee_id=viewer_id, mentor_id__in=owner_ids)
    ).values_list("mentor_id", "mentee_id")
    co_members = MentorshipMember.objects.filter(
        mentorship__members__user_id=viewer_id, user_id__in=owner_ids
    ).values_list("user_id", flat=True)
    return ({person for pair in pairs for person in pair} | set(co_members)) & set(owner_ids)


# -- letters of recognition --------------------------------------------------------------
def mentorships_mentored_in(program: Program, user: User) -> QuerySet[Mentorship]:
    """The program's mentorships ``user`` mentored (a pair's mentor, a group's lead or
    co-mentor) that started: what a letter of recognition counts."""
    return (
        Mentorship.objects.filter(program=program)
        .exclude(status=MentorshipStatus.PROPOSED)
        .filter(mentoring(user))
    )


def mentees_of(mentorships: QuerySet[Mentorship]) -> set[int]:
    """The people these mentorships mentored: pairs' mentees and groups' mentees."""
    pairs = mentorships.exclude(mentee=None).values_list("mentee_id", flat=True)
    grouped = MentorshipMember.objects.filter(
        mentorship__in=mentorships, role=MemberRole.MENTEE
    ).values_list("user_id", flat=True)
    return set(pairs) | set(grouped)


def mentors_in(program: Program) -> QuerySet[User]:
    """Everyone who mentored in the program, a group's co-mentors among them: whom a
    coordinator may issue a letter of recognition."""
    started = Mentorship.objects.filter(program=program).exclude(status=MentorshipStatus.PROPOSED)
    group_mentors = MentorshipMember.objects.filter(
        mentorship__in=started, role=MemberRole.MENTOR
    ).values("user_id")
    return (
        User.objects.filter(Q(mentorships_as_mentor__in=started) | Q(pk__in=group_mentors))
        .distinct()
        .order_by("name", "pk")
    )
