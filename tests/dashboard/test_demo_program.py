"""``make demo`` shows a program with a published round: the printed coordinator, mentee
and mentor each find something to do."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.dashboard.demo import demo_build
from medmentor.dashboard.demo.program import PROGRAM_NAME
from medmentor.matchrounds.models import MatchRound, Proposal, ProposalStatus, RoundStatus
from medmentor.mentorships.models import Mentorship
from medmentor.programs.models import Program


def dashboard_of(email: str) -> str:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.get(reverse("dashboard:dashboard")).content.decode()


def test_the_demo_program_has_a_published_round_with_proposals_to_answer(db):
    logins = demo_build()
    demo_build()  # a second run changes nothing
    assert any("coordinator" in login.role for login in logins)
    program = Program.objects.get(name_en=PROGRAM_NAME)
    match_round = MatchRound.objects.get(program=program)
    assert match_round.status == RoundStatus.PUBLISHED
    accepted = Proposal.objects.filter(round=match_round, status=ProposalStatus.ACCEPTED)
    assert accepted.count() == 3
    assert Mentorship.objects.filter(pk__in=accepted.values("mentorship")).count() == 3
    assert Proposal.objects.filter(round=match_round, status=ProposalStatus.DECLINED).count() == 1

    mentee_proposal = Proposal.objects.get(round=match_round, mentee__email="mentee@medmentor.demo")
    assert mentee_proposal.status == ProposalStatus.PUBLISHED
    assert "as your mentor: accept or decline" in dashboard_of("mentee@medmentor.demo")
    assert "that you mentor" in dashboard_of("mentor@medmentor.demo")
    coordinator_page = dashboard_of("coordinator@medmentor.demo")
    assert PROGRAM_NAME in coordinator_page
    assert "wait for your approval" in coordinator_page

    client = Client()
    client.force_login(mentee_proposal.mentee)
    page = client.get(reverse("matchrounds:proposal", args=[mentee_proposal.uuid]))
    assert mentee_proposal.mentor.get_full_name() in page.content.decode()
