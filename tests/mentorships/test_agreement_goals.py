"""The agreement signed off by both; the goal lifecycle."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from medmentor.mentorships.models import Agreement, Goal, GoalStatus, StatusChange


def test_agreement_is_drafted_from_the_template_and_signed_by_both(world):
    world.program.agreement_template = "We meet monthly by video."
    world.program.save()
    agreement = Agreement.objects.get(mentorship=world.mentorship)
    assert "Confidentiality" in agreement.text  # created before the template: the standard text
    uuid = world.mentorship.uuid
    mentor, mentee = world.client_for("mentor"), world.client_for("mentee")

    mentor.post(reverse("mentorships:agreement_sign", args=[uuid]), {"version": 1})
    agreement.refresh_from_db()
    assert agreement.mentor_signed_at
    assert not agreement.is_signed
    page = mentee.get(reverse("mentorships:workspace", args=[uuid])).content.decode()
    assert "Signed by one of you." in page

    mentee.post(reverse("mentorships:agreement_sign", args=[uuid]), {"version": 1})
    agreement.refresh_from_db()
    assert agreement.is_signed
    assert world.mentorship.milestones.get(kind="agreement_signed").done_at is not None
    assert world.mentorship.events.filter(kind="agreement_complete").exists()


def test_a_change_after_sign_off_needs_both_again(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    uuid = world.mentorship.uuid
    for persona in ("mentor", "mentee"):
        world.client_for(persona).post(
            reverse("mentorships:agreement_sign", args=[uuid]), {"version": 1}
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("mentee").post(
            reverse("mentorships:agreement", args=[uuid]), {"text": "We meet every two weeks."}
        )
    assert response.status_code == 302
    agreement = Agreement.objects.get(mentorship=world.mentorship)
    assert agreement.version == 2
    assert not agreement.mentor_signed_at
    assert not agreement.mentee_signed_at
    assert any("sign again" in m.subject for m in mailoutbox if world.mentor.email in m.to)
    # Signing the version read before the change is refused.
    world.client_for("mentor").post(
        reverse("mentorships:agreement_sign", args=[uuid]), {"version": 1}
    )
    agreement.refresh_from_db()
    assert agreement.mentor_signed_at is None


def test_an_empty_agreement_is_refused(world):
    response = world.client_for("mentor").post(
        reverse("mentorships:agreement", args=[world.mentorship.uuid]), {"text": "   "}
    )
    assert response.status_code == 422
    assert Agreement.objects.get(mentorship=world.mentorship).version == 1


def test_goal_lifecycle(world, mailoutbox, django_capture_on_commit_callbacks):
    uuid = world.mentorship.uuid
    mentee, mentor = world.client_for("mentee"), world.client_for("mentor")
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = mentee.post(
            reverse("mentorships:goal_new", args=[uuid]),
            {
                "title": "Choose a residency",
                "measure": "Ranked list",
                "area": "career_goals",
                "due_on": due,
                "progress": 0,
            },
        )
    assert response.status_code == 302
    goal = Goal.objects.get(mentorship=world.mentorship)
    assert goal.status == GoalStatus.PROPOSED
    assert goal.proposed_by == world.mentee
    assert any("proposed a goal" in m.subject for m in mailoutbox if world.mentor.email in m.to)

    # The proposer cannot agree to their own goal; the partner can.
    status_url = reverse("mentorships:goal_status", args=[uuid, goal.uuid])
    mentee.post(status_url, {"status": "active"})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.PROPOSED
    mentor.post(status_url, {"status": "active"})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE

    # Steps drive the progress; comments are for both.
    mentee.post(
        reverse("mentorships:goal_step_add", args=[uuid, goal.uuid]), {"title": "Electives"}
    )
    mentee.post(reverse("mentorships:goal_step_add", args=[uuid, goal.uuid]), {"title": "Letters"})
    step = goal.milestones.get(title="Electives")
    mentor.post(reverse("mentorships:goal_step_toggle", args=[uuid, step.uuid]))
    goal.refresh_from_db()
    assert goal.progress == 50
    mentor.post(
        reverse("mentorships:goal_comment", args=[uuid, goal.uuid]), {"text": "Good <b>start</b>"}
    )
    page = mentee.get(reverse("mentorships:goal", args=[uuid, goal.uuid])).content.decode()
    assert "Good &lt;b&gt;start&lt;/b&gt;" in page
    assert "<b>start</b>" not in page

    mentor.post(status_url, {"status": "achieved"})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED
    assert goal.progress == 100


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "progress": 0}, "title"),
        ({"title": "x" * 201, "progress": 0}, "title"),
        ({"title": "Ok", "progress": 101}, "progress"),
        ({"title": "Ok", "progress": 0, "due_on": "2001-01-01"}, "due_on"),
    ],
)
def test_bad_goals_are_refused_with_a_field_error(world, data, field):
    response = world.client_for("mentee").post(
        reverse("mentorships:goal_new", args=[world.mentorship.uuid]), data
    )
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert not Goal.objects.exists()


def test_script_in_a_goal_title_is_shown_escaped(world):
    title = "<script>alert('x')</script>"
    world.client_for("mentee").post(
        reverse("mentorships:goal_new", args=[world.mentorship.uuid]),
        {"title": title, "progress": 0},
    )
    page = (
        world.client_for("mentor")
        .get(reverse("mentorships:workspace", args=[world.mentorship.uuid]))
        .content.decode()
    )
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_every_status_change_is_recorded(world):
    uuid = world.mentorship.uuid
    world.client_for("mentor").post(reverse("mentorships:pause", args=[uuid]))
    world.client_for("mentee").post(reverse("mentorships:resume", args=[uuid]))
    changes = list(StatusChange.objects.filter(mentorship=world.mentorship))
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("proposed", "active"),
        ("active", "paused"),
        ("paused", "active"),
    ]
    assert changes[1].by == world.mentor
    assert changes[2].by == world.mentee
    assert all(c.at and c.reason for c in changes)
    assert date.today() - world.refresh().started_on < timedelta(days=2)
