"""A concern in a program nobody coordinates (the open community) reaches the site's
staff, who appoint a coordinator: the staff are told that it exists, never what it says."""

from __future__ import annotations

import pytest

from medmentor.notifications.models import Notification
from medmentor.programs.models import Role
from medmentor.programs.selectors import open_community
from medmentor.programs.services.concerns import concern_report
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
