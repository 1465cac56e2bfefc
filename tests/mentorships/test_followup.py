"""The coordinator's audited view, check-ins and their flags, the wellness safety net."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import AccessAudit, CheckIn
from medmentor.mentorships.selectors.attention import attention_reasons
from medmentor.mentorships.services.audit import coordinator_view_record
from medmentor.mentorships.services.checkins import checkin_submit, checkins_open_due
from medmentor.programs.models import Role
from tests.factories import logged_in_client
from tests.mentorships.conftest import PAIR
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory, MilestoneFactory


def test_opening_the_detail_asks_a_reason_and_the_pair_reads_the_log(world):
    url = reverse("mentorships:oversight", args=[world.mentorship.uuid])
    client = world.client_for("coordinator")
    form = client.get(url)
    assert form.status_code == 200
    assert "Why do you open this mentorship?" in form.content.decode()
    assert not AccessAudit.objects.exists()  # asking is not viewing

    refused = client.post(url, {"reason": "hm"})
    assert refused.status_code == 422
    assert refused.context["form"].errors["reason"]
    assert not AccessAudit.objects.exists()

    shown = client.post(url, {"reason": "The mentee's check-in was low"})
    assert shown.status_code == 200
    assert "Meetings held" in shown.content.decode()
    audit = AccessAudit.objects.get()
    assert audit.viewer == world.coordinator
    assert audit.reason == "The mentee's check-in was low"

    for persona in ("mentee", "mentor"):
        page = world.client_for(persona).get(
            reverse("mentorships:workspace", args=[world.mentorship.uuid])
        )
        assert "Claire Coordinator: The mentee&#x27;s check-in was low" in page.content.decode()
    api = world.client_for("mentee").get(f"/api/mentorships/{world.mentorship.uuid}/audit")
    assert api.json()[0]["reason"] == "The mentee's check-in was low"


@pytest.mark.parametrize("persona", ["other_coordinator", "staff", "outsider"])
def test_only_the_programs_coordinators_open_the_detail(world, persona):
    url = reverse("mentorships:oversight", args=[world.mentorship.uuid])
    client = world.client_for(persona)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Just curious about them"}).status_code == 404
    assert not AccessAudit.objects.exists()
    assert client.get(reverse("mentorships:program", args=[world.program.uuid])).status_code == 404


def test_check_ins_come_due_at_the_programs_schedule(world):
    start = world.mentorship.started_on
    assert checkins_open_due(today=start + timedelta(days=29)) == []
    assert len(checkins_open_due(today=start + timedelta(days=30))) == 2  # one each
    assert checkins_open_due(today=start + timedelta(days=30)) == []  # idempotent
    assert len(checkins_open_due(today=start + timedelta(days=90))) == 2
    world.program.checkin_first_days = 10
    world.program.save()
    assert CheckIn.objects.filter(user=world.mentee).count() == 2


def _answer(world, persona, **data):
    checkin = CheckIn.objects.get(user=getattr(world, persona), submitted_at__isnull=True)
    url = reverse("mentorships:checkin", args=[world.mentorship.uuid, checkin.uuid])
    return world.client_for(persona).post(url, {"score": 4, "meetings_held": 1, **data})


def test_two_missed_check_ins_flag_the_pair(world):
    start = world.mentorship.started_on
    with time_machine.travel(timezone.now() + timedelta(days=160), tick=False):
        checkins_open_due(today=start + timedelta(days=160))
        assert "Two check-ins missed" in attention_reasons(world.refresh())
        page = world.client_for("coordinator").get(
            reverse("mentorships:program", args=[world.program.uuid])
        )
        assert "Two check-ins missed" in page.content.decode()


def test_a_low_score_flags_the_pair_but_is_only_shown_if_shared(world):
    checkins_open_due(today=world.mentorship.started_on + timedelta(days=30))
    assert attention_reasons(world.mentorship) == []
    response = _answer(world, "mentee", score=1, note_for_coordinator="Hard month")
    assert response.status_code == 302
    assert "A low check-in score" in attention_reasons(world.mentorship)
    view = (
        world.client_for("coordinator")
        .post(
            reverse("mentorships:oversight", args=[world.mentorship.uuid]),
            {"reason": "Low score on the dashboard"},
        )
        .content.decode()
    )
    assert "Hard month" not in view
    assert "1/5" not in view
    _answer(
        world, "mentor", score=3, note_for_coordinator="Going fine", shared_with_coordinator="on"
    )
    view = (
        world.client_for("coordinator")
        .post(
            reverse("mentorships:oversight", args=[world.mentorship.uuid]),
            {"reason": "Second look after the check-ins"},
        )
        .content.decode()
    )
    assert "3/5: Going fine" in view


def test_bad_check_in_answers_change_nothing(world):
    checkins_open_due(today=world.mentorship.started_on + timedelta(days=30))
    response = _answer(world, "mentee", score=7)
    assert response.status_code == 422
    assert response.context["form"].errors["score"]
    assert not CheckIn.objects.filter(submitted_at__isnull=False).exists()


def test_distress_shows_the_programs_resources_and_alerts_only_with_consent(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.program.support_resources = (
        "Physician Health Program: https://php.example.org\nPeer support circle, Tuesdays"
    )
    world.program.save()
    checkins_open_due(today=world.mentorship.started_on + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(world, "mentee", score=2, wants_support="on")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Peer support circle, Tuesdays" in page
    assert 'href="https://php.example.org"' in page
    assert "Mentoring is not therapy" in page
    assert "Your coordinator has not been told." in page
    assert not [m for m in mailoutbox if world.coordinator.email in m.to]

    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(world, "mentor", score=2, wants_support="on", alert_consent="on")
    assert "has been told" in response.content.decode()
    [alert] = [m for m in mailoutbox if world.coordinator.email in m.to]
    assert "asked for support" in alert.subject
    assert "Jean Tremblay" in alert.body
    assert "Asked for support" in attention_reasons(world.mentorship)


def test_without_program_resources_a_general_list_is_shown(world):
    checkins_open_due(today=world.mentorship.started_on + timedelta(days=30))
    page = _answer(world, "mentee", score=3, wants_support="on").content.decode()
    assert "physician health program" in page


def test_a_new_pair_checks_in_from_the_workspace_on_day_one(world):
    workspace = reverse("mentorships:workspace", args=[world.mentorship.uuid])
    new = reverse("mentorships:checkin_new", args=[world.mentorship.uuid])
    for persona in PAIR:
        client = world.client_for(persona)
        page = client.get(workspace).content.decode()
        assert f'href="{new}">Check in</a>' in page
        assert client.get(new).status_code == 200
        answered = client.post(new, {"score": 5, "meetings_held": 0})
        assert answered.status_code == 302
    mine = CheckIn.objects.get(user=world.mentee)
    assert (mine.number, mine.due_on, mine.score) == (1, world.mentorship.started_on, 5)
    assert CheckIn.objects.get(user=world.mentor).is_answered


def test_a_bad_check_in_made_any_time_changes_nothing(world):
    new = reverse("mentorships:checkin_new", args=[world.mentorship.uuid])
    refused = world.client_for("mentee").post(new, {"score": 9, "meetings_held": 0})
    assert refused.status_code == 422
    assert not CheckIn.objects.exists()


def test_checking_in_answers_the_due_check_in_and_keeps_the_schedule(world):
    start = world.mentorship.started_on
    new = reverse("mentorships:checkin_new", args=[world.mentorship.uuid])
    # Early: the check-in made on day 10 answers for the period that ends on day 30.
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        world.client_for("mentee").post(new, {"score": 4, "meetings_held": 1})
    assert len(checkins_open_due(today=start + timedelta(days=30))) == 1  # the mentor's only
    # Due and open: checking in answers it rather than making a second one.
    assert len(checkins_open_due(today=start + timedelta(days=90))) == 2
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        world.client_for("mentee").post(new, {"score": 3, "meetings_held": 2})
    mine = list(CheckIn.objects.filter(user=world.mentee).order_by("number"))
    assert [(c.number, c.is_answered) for c in mine] == [(1, True), (2, True)]
    assert mine[1].due_on == start + timedelta(days=90)
    assert checkins_open_due(today=start + timedelta(days=91)) == []
    # Again, with nothing open: the next number, due the day it is made.
    with time_machine.travel(timezone.now() + timedelta(days=95), tick=False):
        world.client_for("mentee").post(new, {"score": 4, "meetings_held": 0})
    assert CheckIn.objects.filter(user=world.mentee).count() == 3
    assert checkins_open_due(today=start + timedelta(days=150)) == [
        CheckIn.objects.get(user=world.mentor, number=3)
    ]


def test_the_api_checks_in_any_time(world):
    url = f"/api/mentorships/{world.mentorship.uuid}/checkins"
    answer = world.client_for("mentor").post(
        url, {"score": 2, "meetings_held": 0}, content_type="application/json"
    )
    assert answer.status_code == 201
    assert answer.json()["number"] == 1
    assert CheckIn.objects.get(user=world.mentor).score == 2


def test_a_check_in_answered_twice_keeps_the_first_answer(world):
    """Sent again (a second tab, the back button): the page says it is done, over the API
    too, and the first answer stands."""
    checkins_open_due(today=world.mentorship.started_on + timedelta(days=30))
    checkin = CheckIn.objects.get(user=world.mentee)
    url = reverse("mentorships:checkin", args=[world.mentorship.uuid, checkin.uuid])
    client = world.client_for("mentee")
    assert client.post(url, {"score": 4, "meetings_held": 1}).status_code == 302
    again = client.post(url, {"score": 1, "meetings_held": 0})
    assert again.status_code == 422
    assert "You have already answered this check-in." in again.content.decode()
    api = client.post(
        f"/api/mentorships/{world.mentorship.uuid}/checkins/{checkin.uuid}",
        {"score": 1, "meetings_held": 0},
        content_type="application/json",
    )
    assert api.status_code == 422
    checkin.refresh_from_db()
    assert (checkin.score, checkin.meetings_held) == (4, 1)


def test_the_check_in_milestone_is_done_once_both_have_answered(world):
    """A program whose plan has a check-in milestone: it is met when the mentee and the
    mentor have both answered that check-in, not before."""
    MilestoneFactory(program=world.program, kind="check_in", label_en="First check-in")
    newcomer = MembershipFactory(program=world.program, role=Role.MENTEE).user
    mentorship = start_mentorship(mentor=world.mentor, mentee=newcomer, program=world.program)
    milestone = mentorship.milestones.get(kind="check_in")
    checkins_open_due(today=mentorship.started_on + timedelta(days=30))
    for person, done in ((newcomer, False), (world.mentor, True)):
        checkin = CheckIn.objects.get(mentorship=mentorship, user=person)
        url = reverse("mentorships:checkin", args=[mentorship.uuid, checkin.uuid])
        response = logged_in_client(person).post(url, {"score": 4, "meetings_held": 1})
        assert response.status_code == 302
        milestone.refresh_from_db()
        assert (milestone.done_at is not None) == done, person


def test_the_check_in_service_refuses_the_partners_check_in_and_a_long_note(world):
    """The pages only ever show one's own check-in and bound the note; the service holds
    both rules by itself."""
    checkins_open_due(today=world.mentorship.started_on + timedelta(days=30))
    mentors = CheckIn.objects.get(user=world.mentor)
    with pytest.raises(PermissionDenied):
        checkin_submit(access=world.access("mentee"), checkin=mentors, score=5, meetings_held=1)
    with pytest.raises(ValidationError) as refused:
        checkin_submit(
            access=world.access("mentor"),
            checkin=mentors,
            score=5,
            meetings_held=1,
            note_for_coordinator="x" * 2_001,
        )
    assert refused.value.message_dict["note_for_coordinator"] == [
        "Keep this under 2000 characters."
    ]
    assert not CheckIn.objects.filter(submitted_at__isnull=False).exists()


def test_the_reason_for_opening_a_mentorship_is_bounded_by_the_service_too(world):
    access = get_mentorship_for(world.coordinator, world.mentorship.uuid, oversight=True)
    with pytest.raises(ValidationError) as refused:
        coordinator_view_record(access=access, reason="Worried " * 100)
    assert refused.value.message_dict["reason"] == ["Keep the reason under 500 characters."]
    assert not AccessAudit.objects.exists()
