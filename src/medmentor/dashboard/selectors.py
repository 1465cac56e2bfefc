"""The signed-in person's dashboard: what waits for them, then their mentorships and programs.

Each app says what it is owed (``pending_actions`` in its selectors); this module only
gathers, so adding a kind of pending action never touches the dashboard's template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.concerns.pending import concerns_pending_actions
from medmentor.core.actions import PendingAction
from medmentor.matchrounds.pending import proposals_pending_actions, rounds_pending_actions
from medmentor.matchrounds.roundinputs import Pool, pool_of
from medmentor.mentorships import selectors as mentorship_selectors
from medmentor.mentorships.models import Mentorship
from medmentor.mentorships.selectors import ActivityRow
from medmentor.officehours import selectors as office_hours_selectors
from medmentor.officehours.models import Booking
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import Completeness, profile_completeness
from medmentor.programs import selectors as program_selectors
from medmentor.programs.models import MatchingMode, Membership, Program, Role
from medmentor.programs.pending import approvals_pending_actions
from medmentor.requests.pending import requests_pending_actions
from medmentor.surveys.pending import surveys_pending_actions


@dataclass(frozen=True)
class Coordinated:
    """A program the person coordinates, with its counts and the pool a round would take
    now (``None`` for a program in direct-request mode)."""

    program: Program  # annotated with counts by ``selectors.coordinated_overview``
    pool: Pool | None


@dataclass(frozen=True)
class Dashboard:
    actions: list[PendingAction]
    completeness: Completeness | None  # None: no profile yet
    mentorships: list[Mentorship]  # live ones, as mentor or mentee
    past_mentorships: list[Mentorship]  # ended ones
    memberships: list[Membership]  # as a participant
    coordinated: list[Coordinated]
    is_mentor: bool
    is_mentee: bool
    bookings: list[Booking] = field(default_factory=list)  # office hours to come, both sides

    @property
    def coordinates_only(self) -> bool:
        """A coordinator who neither mentors nor is mentored: their dashboard is their
        programs, without a participant's empty sections or a push to make a profile."""
        return bool(self.coordinated) and not (
            self.is_mentor or self.is_mentee or self.mentorships or self.past_mentorships
        )


def _profile_actions(completeness: Completeness | None) -> list[PendingAction]:
    if completeness is None:
        return [PendingAction(_("Create your profile"), reverse("profiles:onboarding"))]
    if completeness.complete:
        return []
    first_missing = completeness.missing[0]
    return [
        PendingAction(
            _("Complete your profile (%(percent)s%% done): add %(item)s")
            % {"percent": completeness.percent, "item": first_missing.label},
            reverse("profiles:edit", args=[first_missing.step]),
        )
    ]


def dashboard_for(user: User) -> Dashboard:
    profile = Profile.objects.filter(user=user).first()
    completeness = profile_completeness(profile) if profile else None
    coordinated = program_selectors.coordinated_overview(user)
    mine = mentorship_selectors.my_mentorships(user)
    participates = profile is not None and (profile.is_mentor or profile.is_mentee)
    actions = [
        *(_profile_actions(completeness) if participates or not coordinated else []),
        *mentorship_selectors.pending_actions(user),
        *proposals_pending_actions(user),
        *requests_pending_actions(user),
        *approvals_pending_actions(coordinated),
        *rounds_pending_actions(coordinated),
        *concerns_pending_actions(coordinated),
        *surveys_pending_actions(user),
    ]
    return Dashboard(
        actions=sorted(actions, key=lambda action: action.sort_key),
        completeness=completeness,
        mentorships=mine.current,
        past_mentorships=mine.past,
        memberships=[
            m
            for m in program_selectors.memberships_of(user)
            if m.role != Role.COORDINATOR and m.status in program_selectors.LIVE_STATUSES
        ],
        coordinated=[
            Coordinated(
                program,
                pool_of(program) if program.matching_mode != MatchingMode.REQUESTS else None,
            )
            for program in coordinated
        ],
        is_mentor=bool(profile and profile.is_mentor),
        is_mentee=bool(profile and profile.is_mentee),
        bookings=list(office_hours_selectors.upcoming_bookings(user)[:5]),
    )


def activity_record(user: User) -> list[ActivityRow]:
    """The person's CPD record: logged mentoring meetings and logged office hours, by
    date (each app gives its rows; only the person's own words)."""
    rows = [*mentorship_selectors.activity_of(user), *office_hours_selectors.activity_rows(user)]
    return sorted(rows, key=lambda row: row.day)
