"""Mentorships for tests, always made through the one service that starts them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.models import Meeting, Mentorship, Modality, Source
from medmentor.mentorships.services.lifecycle import mentorship_start
from medmentor.profiles.models import Profile
from medmentor.profiles.services import profile_get_or_create
from medmentor.programs.models import Program


def start_mentorship(
    *, mentor: User, mentee: User, program: Program | None, capacity: int = 3
) -> Mentorship:
    """Make ``mentor`` a mentor with ``capacity`` places and start the mentorship
    through the service."""
    profile = profile_get_or_create(user=mentor)
    Profile.objects.filter(pk=profile.pk).update(is_mentor=True, mentor_capacity=capacity)
    return mentorship_start(
        mentor=mentor, mentee=mentee, program=program, source=Source.ROUND, by=None
    )


def past_meeting(access: MentorshipAccess, *, days_ago: int = 2, minutes: int = 60) -> Meeting:
    """A meeting that took place (written directly: the service refuses the past)."""
    now = timezone.now()
    return Meeting.objects.create(
        mentorship=access.mentorship,
        starts_at=now - timedelta(days=days_ago),
        duration_minutes=minutes,
        modality=Modality.VIDEO,
        organizer=access.user,
        created_at=now - timedelta(days=days_ago + 7),
    )
