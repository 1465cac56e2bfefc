"""The world the API is fuzzed in: one member with something behind every route.

Jean mentors Amira in a program he also coordinates; the pair has a goal, a meeting, a
note, a message and a check-in; Kwame has asked Jean to mentor him; Olivia waits for
approval; Jean has a reporting line, a notification and a queued match round; the
directory has a listing. ``known`` names the UUID behind each path parameter, so that
the fuzzer reaches real objects and not only 404s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.matchrounds.services.run import round_start
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import CheckIn, Mentorship
from medmentor.mentorships.services import conversation
from medmentor.mentorships.services.goals import goal_propose
from medmentor.mentorships.services.meetings import meeting_schedule
from medmentor.notifications.models import Notification
from medmentor.profiles.models import TAXONOMIES, Profile
from medmentor.profiles.services import reporting_line_add
from medmentor.programs.models import Role, Status
from tests.directory.factories import ListingFactory
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.requests.requests_support import make_mentee, mentor_in, send


@dataclass
class FuzzWorld:
    member: User
    mentorship: Mentorship
    known: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture
def fuzz_world(db, settings, tmp_path) -> FuzzWorld:
    settings.MEDIA_ROOT = tmp_path / "media"  # photos the fuzzer uploads
    program = ProgramFactory(
        name_en="Ottawa Residents Mentorship", matching_mode="both", audience="residents"
    )
    jean = mentor_in(program, "Jean Tremblay", capacity=3)
    MembershipFactory(program=program, user=jean, role=Role.COORDINATOR)
    amira = MembershipFactory(program=program, role=Role.MENTEE, user__name="Amira Haddad").user
    make_mentee(amira)
    mentorship = start_mentorship(mentor=jean, mentee=amira, program=program)
    access = get_mentorship_for(jean, mentorship.uuid)
    goal = goal_propose(access=access, title="Publish a case report", progress=10)
    meeting = meeting_schedule(
        access=access,
        starts_at=timezone.now() + timedelta(days=7),
        duration_minutes=60,
        modality="video",
        place="",
        agenda="First steps",
    )
    note = conversation.note_write(access=access, body="Shared plan", visibility="shared")
    conversation.message_send(access=access, body="Welcome!")
    checkin = CheckIn.objects.create(
        mentorship=mentorship, user=jean, number=1, due_on=timezone.localdate()
    )
    kwame = MembershipFactory(program=program, role=Role.MENTEE, user__name="Kwame Mensah").user
    make_mentee(kwame)
    cascade = send(program, kwame, jean)
    olivia = MembershipFactory(
        program=program, role=Role.MENTEE, status=Status.PENDING, activated_at=None
    )
    line = reporting_line_add(person=jean, kind="supervisor", email="chief@example.org")
    notification = Notification.objects.create(
        recipient=jean, kind="test", title="Hello", body="A notification", url="/"
    )
    match_round = round_start(program=program, by=jean)
    listing = ListingFactory()
    profiles = Profile.objects.filter(user__in=[jean, amira, kwame])
    known = {
        "program_uuid": [program.uuid],
        "membership_uuid": [olivia.uuid, *jean.program_memberships.values_list("uuid", flat=True)],
        "mentorship_uuid": [mentorship.uuid],
        "goal_uuid": [goal.uuid],
        "meeting_uuid": [meeting.uuid],
        "note_uuid": [note.uuid],
        "checkin_uuid": [checkin.uuid],
        "request_uuid": [cascade.requests.get().uuid],
        "cascade_uuid": [cascade.uuid],
        "round_uuid": [match_round.uuid],
        "notification_uuid": [notification.uuid],
        "line_uuid": [line.uuid],
        "profile_uuid": list(profiles.values_list("uuid", flat=True)),
        "listing_uuid": [listing.uuid],
        "name": list(TAXONOMIES),
    }
    return FuzzWorld(
        member=jean,
        mentorship=mentorship,
        known={name: [str(value) for value in values] for name, values in known.items()},
    )
