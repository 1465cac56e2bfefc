"""Who hears of a concern: the site's staff where a program has no coordinator (to
appoint one), the reporter when its status moves; never what it says."""

from __future__ import annotations

import pytest

from medmentor.concerns.models import ConcernStatus
from medmentor.concerns.services import concern_report, concern_status_set
from medmentor.notifications.models import Notification
from medmentor.programs.models import Role
from medmentor.programs.selectors import open_community
from tests.factories import UserFactory
from tests.programs.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_staff_are_asked_to_appoint_a_coordinator_and_do_not_see_the_text():
    program = open_community()
    reporter, about = UserFactory(), UserFactory()
    for person in (reporter, about):
        MembershipFactory(program=program, user=person, role=Role.MENTEE)
    staff = UserFactory(is_staff=True)
    UserFactory()  # not staff: not told

    concern_report(program=program, reporter=reporter, about=about, text="He was rude to me.")

    told = Notification.objects.filter(kind="programs.concern_unassigned")
    assert [n.recipient for n in told] == [staff]
    assert "/admin/programs/membership/add/" in told.get().url
    assert "rude" not in str(told.get().__dict__)


def test_the_reporter_is_told_when_the_status_moves_and_only_then(rworld):
    concern = concern_report(
        program=rworld.program, reporter=rworld.mentee, about=rworld.mentor, text="Rude replies."
    )
    concern_status_set(concern=concern, by=rworld.coordinator, status=ConcernStatus.IN_REVIEW)
    concern_status_set(concern=concern, by=rworld.coordinator, status=ConcernStatus.IN_REVIEW)

    told = Notification.objects.filter(recipient=rworld.mentee, kind="programs.concern_status")
    assert told.count() == 1
    assert "In review" in told.get().title
    assert "Rude" not in str(told.get().__dict__)
    assert not Notification.objects.filter(
        recipient=rworld.mentor, kind="programs.concern_status"
    ).exists()
