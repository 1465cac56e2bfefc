"""The dashboard: what waits for each person, and nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmentor.concerns.services import concern_report
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import Evaluation
from medmentor.mentorships.services.agreement import agreement_sign
from medmentor.mentorships.services.checkins import checkins_open_due
from medmentor.mentorships.services.closure import mentorship_end
from medmentor.profiles.services import profile_get_or_create
from medmentor.programs.models import Role, Status
from tests.factories import PASSWORD, UserFactory
from tests.matchrounds.rounds_factories import answer, publish, round_program, run_round
from tests.mentorships.factories import start_mentorship
from tests.profiles.factories import make_mentee, make_mentor
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.requests.requests_support import build_request_world, send

pytestmark = pytest.mark.django_db


def page_for(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("dashboard:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def main_of(html: str) -> str:
    """The page's own content, without the header's navigation."""
    return html[html.index("<main") : html.index("</main>")]


def test_anonymous_people_are_sent_to_log_in():
    response = Client().get(reverse("dashboard:dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_logging_in_lands_on_the_dashboard():
    user = UserFactory(verified=True)
    response = Client().post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard:dashboard")
    assert "Waiting for you" in response.content.decode()


def test_someone_without_a_profile_is_asked_to_create_one():
    html = page_for(UserFactory())
    assert "Create your profile" in html
    assert reverse("profiles:onboarding") in html


def test_an_incomplete_profile_says_what_to_add_first():
    user = UserFactory()
    profile_get_or_create(user=user)
    html = page_for(user)
    assert "Complete your profile" in html
    assert "add your career stage" in html
    assert reverse("profiles:edit", args=["about"]) in html


def test_each_side_is_asked_to_sign_the_agreement_until_they_do():
    program = ProgramFactory()
    mentor, mentee = UserFactory(name="Dr. Mona Mentor"), UserFactory(name="Ines Mentee")
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)

    assert "Sign your mentorship agreement with Dr. Mona Mentor" in page_for(mentee)
    assert "Sign your mentorship agreement with Ines Mentee" in page_for(mentor)

    access = get_mentorship_for(mentee, mentorship.uuid)
    agreement_sign(access=access, version=mentorship.agreement.version)

    assert "Sign your mentorship agreement" not in page_for(mentee)
    assert "Sign your mentorship agreement with Ines Mentee" in page_for(mentor)


def test_a_due_check_in_is_listed_with_its_date_for_its_owner_only():
    program = ProgramFactory(checkin_first_days=30)
    mentor, mentee = UserFactory(name="Dr. Mona Mentor"), UserFactory(name="Ines Mentee")
    start_mentorship(mentor=mentor, mentee=mentee, program=program)
    checkins_open_due(today=timezone.localdate() + timedelta(days=31))

    html = page_for(mentee)
    assert "Answer your check-in on the mentorship with Dr. Mona Mentor" in html
    outsider_html = page_for(UserFactory())
    assert "check-in" not in outsider_html
    assert "Dr. Mona Mentor" not in outsider_html


def test_an_ended_mentorship_asks_for_the_evaluation_until_it_is_given():
    program = ProgramFactory()
    mentor, mentee = UserFactory(name="Dr. Mona Mentor"), UserFactory()
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)
    mentorship_end(access=get_mentorship_for(mentee, mentorship.uuid))

    html = page_for(mentee)
    assert "Evaluate your mentorship with Dr. Mona Mentor" in html
    assert reverse("mentorships:evaluation", args=[mentorship.uuid]) in html

    Evaluation.objects.create(
        mentorship=mentorship, user=mentee, role="mentee", submitted_at=timezone.now()
    )
    assert "Evaluate your mentorship" not in page_for(mentee)


def test_live_mentorships_and_programs_are_listed():
    program = ProgramFactory(name_en="Ottawa Student Mentorship")
    mentor, mentee = UserFactory(name="Dr. Mona Mentor"), UserFactory()
    MembershipFactory(program=program, user=mentee, role=Role.MENTEE)
    start_mentorship(mentor=mentor, mentee=mentee, program=program)

    html = page_for(mentee)
    assert "Mentored by Dr. Mona Mentor" in html
    assert "Ottawa Student Mentorship" in html


def test_ended_mentorships_are_listed_as_past_not_as_none():
    program = ProgramFactory(name_en="Ottawa Student Mentorship")
    mentor, mentee = UserFactory(name="Dr. Mona Mentor"), UserFactory(name="Amira Haddad")
    MembershipFactory(program=program, user=mentee, role=Role.MENTEE)
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)
    mentorship_end(access=get_mentorship_for(mentee, mentorship.uuid))

    for person, title in (
        (mentee, "Mentored by Dr. Mona Mentor"),
        (mentor, "Mentoring Amira Haddad"),
    ):
        html = page_for(person)
        past = html[html.index("Past mentorships") :]
        assert title in past
        assert reverse("mentorships:workspace", args=[mentorship.uuid]) in past
        assert "You have no mentorship yet" not in html
        assert "You have no mentorship under way" in html


def test_a_coordinator_sees_approvals_waiting_in_their_own_programs_only():
    mine = ProgramFactory(name_en="Ottawa Student Mentorship", enrolment_mode="approval")
    theirs = ProgramFactory(name_en="Saskatchewan Synergy", enrolment_mode="approval")
    coordinator = MembershipFactory(program=mine, role=Role.COORDINATOR).user
    MembershipFactory(program=theirs, role=Role.COORDINATOR)
    for program in (mine, mine, theirs):
        MembershipFactory(program=program, role=Role.MENTEE, status=Status.PENDING)

    html = page_for(coordinator)
    assert "2 people wait for your approval in Ottawa Student Mentorship" in html
    assert reverse("programs:queue", args=[mine.uuid]) in html
    assert "Saskatchewan Synergy" not in html


def test_with_a_complete_profile_and_nothing_due_it_says_so():
    profile = make_mentee()
    html = page_for(profile.user)
    assert "Nothing is waiting for you" in html
    assert "Complete your profile" not in html


def test_a_published_proposal_waits_on_each_side_until_they_answer():
    world = round_program(mentees=1, mentors=1, name_en="Ottawa Student Mentorship")
    mentee, mentor = world.mentees[0], world.mentors[0]
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = match_round.proposals.get()

    mentee_html = page_for(mentee)
    assert f"Ottawa Student Mentorship proposes {mentor} as your mentor" in mentee_html
    assert reverse("matchrounds:proposal", args=[proposal.uuid]) in mentee_html
    assert f"Ottawa Student Mentorship proposes that you mentor {mentee}" in page_for(mentor)
    assert "proposes" not in page_for(UserFactory())

    answer(proposal, mentee=True, mentor=None)
    assert "proposes" not in page_for(mentee)
    assert "proposes that you mentor" in page_for(mentor)


def test_a_round_ready_for_review_waits_for_its_coordinators_only():
    world = round_program(mentees=1, mentors=1, name_en="Ottawa Student Mentorship")
    run_round(world.program, world.coordinator)
    other_coordinator = MembershipFactory(program=ProgramFactory(), role=Role.COORDINATOR).user

    html = page_for(world.coordinator)
    assert "1 match round of Ottawa Student Mentorship is ready for your review" in html
    assert reverse("matchrounds:rounds", args=[world.program.uuid]) in html
    assert "ready for your review" not in page_for(other_coordinator)


def test_a_request_waits_for_its_mentor_and_a_concern_for_the_coordinators():
    world = build_request_world()
    send(world.program, world.mentee, world.mentor)
    assert "Amira Haddad asks you to be their mentor" in page_for(world.mentor)
    assert "asks you to be their mentor" not in page_for(world.second)

    concern_report(
        program=world.program, reporter=world.mentee, about=world.mentor, text="Rude replies."
    )
    html = page_for(world.coordinator)
    assert "1 concern reported in Ottawa Residents Mentorship is not resolved" in html
    assert "Rude replies." not in html
    assert "not resolved" not in page_for(world.other_coordinator)


def test_the_dashboard_speaks_french():
    world = round_program(mentees=1, mentors=1, name_fr="Mentorat étudiant d'Ottawa")
    run_round(world.program, world.coordinator)
    client = Client()
    client.force_login(world.coordinator)
    html = client.get(reverse("dashboard:dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "En attente de votre part" in html
    assert "1 tour de jumelage de Mentorat étudiant d&#x27;Ottawa attend votre révision" in html


def test_a_coordinator_sees_the_pool_of_each_program_that_runs_rounds():
    world = round_program(mentees=3, mentors=1, capacity=2, name_en="Ottawa Student Mentorship")
    html = page_for(world.coordinator)
    assert "3 (2 places)" in html
    assert reverse("matchrounds:rounds", args=[world.program.uuid]) in html


def test_a_coordinator_alone_sees_their_programs_not_a_participants_empty_page():
    program = ProgramFactory(name_en="Ottawa Student Mentorship")
    coordinator = MembershipFactory(program=program, role=Role.COORDINATOR).user
    html = main_of(page_for(coordinator))
    assert "Programs you coordinate" in html
    assert "Ottawa Student Mentorship" in html
    for dead_end in ("You are not in any program yet", "Create your profile", "Find a mentor"):
        assert dead_end not in html


def test_a_mentor_without_mentees_is_told_how_mentees_come_not_to_find_a_mentor():
    mentor = make_mentor().user
    html = main_of(page_for(mentor))
    assert "You have no mentorship yet." in html
    assert "Mentees of your programs can ask you" in html
    assert reverse("requests:requests_received") in html
    assert "Find a mentor" not in html
    mentee_html = main_of(page_for(make_mentee().user))
    assert "Find a mentor" in mentee_html
    assert "Mentees of your programs can ask you" not in mentee_html
