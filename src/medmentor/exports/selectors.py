"""A program's lists as spreadsheet rows: its members, its mentor requests, its mentorships.

People are named as everyone sees them (never by address); a request's message, a
decline reason and every word a pair writes stay out. Each list is a header and rows,
in the reader's language; the view streams them through ``core.spreadsheet``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medmentor.mentorships.selectors import program_mentorships
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import profile_completeness
from medmentor.programs.models import IntakeQuestion, Membership, Program
from medmentor.requests.models import Request

Cell = str | int | float | None
Rows = Iterator[list[Cell]]


@dataclass(frozen=True)
class Export:
    """One list a coordinator may take away."""

    key: str
    title: Promise
    description: Promise


EXPORTS = {
    export.key: export
    for export in (
        Export(
            "members",
            gettext_lazy("Members"),
            gettext_lazy(
                "Everyone enrolled, one line per role: status, dates, career stage, how "
                "complete their profile is, and their answers to the intake questions."
            ),
        ),
        Export(
            "requests",
            gettext_lazy("Mentor requests"),
            gettext_lazy(
                "Every direct request made in the program: who asked whom, when, and the "
                "answer. Messages and reasons stay private."
            ),
        ),
        Export(
            "mentorships",
            gettext_lazy("Mentorships"),
            gettext_lazy(
                "Every pair: status, how it formed, dates, meetings held and hours logged, "
                "milestones. Never a word of what the pair wrote."
            ),
        ),
    )
}


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def export_subjects(program: Program, key: str) -> list[int]:
    """Whose data the list holds (for the access log)."""
    if key == "members":
        return list(Membership.objects.filter(program=program).values_list("user_id", flat=True))
    pairs: Iterable[tuple[int, int]] = (
        Request.objects.filter(program=program).values_list("mentee_id", "mentor_id")
        if key == "requests"
        else program.mentorships.values_list("mentee_id", "mentor_id")
    )
    return sorted({person for pair in pairs for person in pair})


def export_rows(program: Program, key: str) -> Rows:
    """The header, then the rows, of the list ``key`` (one of ``EXPORTS``)."""
    return {"members": member_rows, "requests": request_rows, "mentorships": mentorship_rows}[key](
        program
    )


def member_rows(program: Program) -> Rows:
    questions = list(program.questions.all())
    yield [
        _("Name"),
        _("Role"),
        _("Status"),
        _("Asked to join"),
        _("Active since"),
        _("Career stage"),
        _("Profile complete"),
        _("Profile completeness (%)"),
        *(_question_heading(question) for question in questions),
    ]
    memberships = (
        Membership.objects.filter(program=program)
        .select_related("user")
        .order_by("role", "user__name", "pk")
    )
    profiles = _profiles_with_counts({m.user_id for m in memberships})
    for membership in memberships:
        profile = profiles.get(membership.user_id)
        completeness = (
            profile_completeness(profile, counts=_counts(profile)) if profile is not None else None
        )
        answers = membership.answers or {}
        yield [
            membership.user.get_full_name(),
            membership.get_role_display(),
            membership.get_status_display(),
            _day(membership.requested_at),
            _day(membership.activated_at),
            membership.career_stage_label,
            _yes(completeness is not None and completeness.complete),
            completeness.percent if completeness is not None else 0,
            *(
                "; ".join(question.answer_labels(answers.get(str(question.uuid), [])))
                if question.role == membership.role
                else ""
                for question in questions
            ),
        ]


def _question_heading(question: IntakeQuestion) -> str:
    return f"{question.text} ({question.get_role_display()})"


def _profiles_with_counts(user_ids: set[int]) -> dict[int, Profile]:
    """The profiles of ``user_ids``, each with the counts its completeness needs."""
    profiles = Profile.objects.filter(user_id__in=user_ids).annotate(
        n_languages=Count("languages", distinct=True),
        n_interests=Count("interests", distinct=True),
        n_sought=Count("goals_sought", distinct=True),
        n_offered=Count("goals_offered", distinct=True),
    )
    return {profile.user_id: profile for profile in profiles}


def _counts(profile: Profile) -> dict[str, int]:
    return {
        "languages": profile.n_languages,  # type: ignore[attr-defined]
        "interests": profile.n_interests,  # type: ignore[attr-defined]
        "sought": profile.n_sought,  # type: ignore[attr-defined]
        "offered": profile.n_offered,  # type: ignore[attr-defined]
    }


def request_rows(program: Program) -> Rows:
    yield [
        _("Mentee"),
        _("Mentor"),
        _("Place in the mentee's list"),
        _("Status"),
        _("Sent"),
        _("Answer due"),
        _("Answered"),
    ]
    requests = (
        Request.objects.filter(program=program)
        .select_related("mentee", "mentor")
        .order_by("sent_at", "pk")
    )
    for request in requests:
        yield [
            request.mentee.get_full_name(),
            request.mentor.get_full_name(),
            request.position + 1,
            request.get_status_display(),
            _day(request.sent_at),
            _day(request.due_at),
            _day(request.answered_at),
        ]


def mentorship_rows(program: Program) -> Rows:
    yield [
        _("Mentee"),
        _("Mentor"),
        _("Status"),
        _("Formed by"),
        _("Start date"),
        _("Planned end date"),
        _("Ended"),
        _("Why it ended"),
        _("Meetings held"),
        _("Hours logged"),
        _("Last meeting"),
        _("Milestones done"),
        _("Milestones"),
        _("Needs attention"),
    ]
    for row in program_mentorships(program):
        mentorship = row.mentorship
        yield [
            mentorship.names_in_role("mentee") or mentorship.names_in_role("peer"),
            mentorship.names_in_role("mentor"),
            mentorship.get_status_display(),
            mentorship.get_source_display(),
            _day(mentorship.started_on),
            _day(mentorship.planned_end_on),
            _day(mentorship.ended_at),
            mentorship.get_closure_reason_display(),
            row.meetings_held,
            row.hours,
            _day(row.last_meeting),
            row.milestones_done,
            row.milestones_total,
            "; ".join(row.reasons),
        ]
