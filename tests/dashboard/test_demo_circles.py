"""``make demo`` has a peer-circles program too: its circle round is published, and the
demo mentor finds his circle, with a meeting coming up, under "My mentorships"."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.dashboard.demo import demo_build
from medmentor.dashboard.demo.circles import CIRCLE_SIZE, CIRCLES_NAME
from medmentor.matchrounds.models import MatchRound, ProposedGroup, RoundKind, RoundStatus
from medmentor.mentorships.models import Meeting, Mentorship
from medmentor.mentorships.models.mentorship import MentorshipKind, MentorshipMember
from medmentor.programs.models import Membership, Program, Role
from tests.factories import logged_in_client

MENTOR = "mentor@medmentor.demo"


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Program,
            Membership,
            MatchRound,
            ProposedGroup,
            Mentorship,
            MentorshipMember,
            Meeting,
        )
    }


def test_the_circles_program_has_a_published_round_and_the_mentor_a_circle(db):
    logins = demo_build()
    program = Program.objects.get(name_en=CIRCLES_NAME)
    assert program.mentorship_format == "circles"
    assert program.audience == "practice"
    assert program.memberships.get(user__email="coordinator@medmentor.demo").role == (
        Role.COORDINATOR
    )
    assert program.memberships.filter(role__in=(Role.MENTOR, Role.MENTEE)).count() >= 20
    assert any("circle" in login.role for login in logins if login.email == MENTOR)

    match_round = MatchRound.objects.get(program=program)
    assert match_round.kind == RoundKind.CIRCLES
    assert match_round.status == RoundStatus.PUBLISHED
    circles = list(ProposedGroup.objects.filter(round=match_round))
    assert len(circles) >= 3
    for circle in circles:
        assert CIRCLE_SIZE[0] <= circle.rows.count() <= CIRCLE_SIZE[1]
        assert circle.mentorship.kind == MentorshipKind.CIRCLE
        assert circle.mentorship.members.count() == circle.rows.count()

    mentor = User.objects.get(email=MENTOR)
    mine = Mentorship.objects.get(program=program, kind=MentorshipKind.CIRCLE, members__user=mentor)
    assert mine.meetings.filter(starts_at__gt=timezone.now()).count() == 1
    client = logged_in_client(mentor)
    dashboard = client.get(reverse("dashboard:dashboard")).content.decode()
    assert mine.name in dashboard
    page = client.get(reverse("mentorships:workspace", args=[mine.uuid]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "You are a member of this peer circle." in text
    for member in mine.members.select_related("user"):
        assert member.user.name in text
    next_meeting = text.split('id="next-meeting"')[1].split("</section>")[0]
    assert "meet.example.org/wellness-circle" in next_meeting

    before = counts()
    demo_build()  # a second run changes nothing
    assert counts() == before
