"""The agreement signed off by both; the goal lifecycle."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from medmentor.mentorships.models import Agreement, Goal, GoalStatus, StatusChange
from medmentor.mentorships.services.goals import goal_propose, goal_update
from medmentor.profiles.models import Goal as ProfileGoal


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
                "area": "career-goals",
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


def _goal(world, **values):
    return goal_propose(access=world.access("mentee"), title="Publish a case report", **values)


def test_the_goal_page_gives_each_field_its_own_label(world):
    goal = _goal(world)
    page = world.client_for("mentor").get(
        reverse("mentorships:goal", args=[world.mentorship.uuid, goal.uuid])
    )
    html = page.content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert ids.count(target) == 1, target
    assert '<label for="id_step_title">Step' in html
    assert '<label for="id_step_due_on">Due' in html
    assert '<label for="id_title">Goal' in html


def test_a_goal_not_yet_agreed_is_proposed_and_edited_without_progress(world):
    uuid = world.mentorship.uuid
    client = world.client_for("mentee")
    proposed = client.post(
        reverse("mentorships:goal_new", args=[uuid]), {"title": "Publish a case report"}
    )
    assert proposed.status_code == 302
    goal = Goal.objects.get()
    edited = client.post(
        reverse("mentorships:goal", args=[uuid, goal.uuid]),
        {"title": "Publish two case reports", "progress": ""},
    )
    assert edited.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.progress) == ("Publish two case reports", 0)
    # Agreed, its progress is followed and asked for.
    goal_update(access=world.access("mentor"), goal=goal, status=GoalStatus.ACTIVE)
    refused = client.post(
        reverse("mentorships:goal", args=[uuid, goal.uuid]),
        {"title": "Publish two case reports", "progress": ""},
    )
    assert refused.status_code == 422
    assert refused.context["form"].errors["progress"]


def test_a_goal_serves_one_of_the_profiles_mentoring_goals(world):
    uuid = world.mentorship.uuid
    client = world.client_for("mentee")
    form = client.get(reverse("mentorships:goal_new", args=[uuid])).context["form"]
    offered = [code for code, _label in form.fields["area"].choices if code]
    assert offered == list(ProfileGoal.objects.active().values_list("code", flat=True))
    assert "residency-match" in offered
    answer = client.post(
        reverse("mentorships:goal_new", args=[uuid]),
        {"title": "Match to family medicine", "area": "residency-match"},
    )
    assert answer.status_code == 302
    assert Goal.objects.get().area == "residency-match"
    with pytest.raises(ValidationError):
        _goal(world, area="not-a-goal")


def test_a_member_signs_on_the_agreement_page_which_says_who_signed_and_when(world):
    url = reverse("mentorships:agreement", args=[world.mentorship.uuid])
    mentee = world.client_for("mentee")
    html = mentee.get(url).content.decode()
    assert "Not yet signed by Amira Haddad (mentee)." in html
    assert "Not yet signed by Jean Tremblay (mentor)." in html
    assert html.count("Sign this version") == 1  # the reader's own signature only
    assert world.mentee.email not in html

    signed = mentee.post(
        reverse("mentorships:agreement_sign", args=[world.mentorship.uuid]),
        {"version": 1, "back": "agreement"},
    )
    assert signed.status_code == 302
    assert signed["Location"] == url
    when = Agreement.objects.get(mentorship=world.mentorship).mentee_signed_at
    html = mentee.get(url).content.decode()
    stamp = date_filter(timezone.localtime(when), "DATETIME_FORMAT")
    assert f"Signed by Amira Haddad (mentee) on {stamp}." in html
    assert "Sign this version" not in html
    partner = world.client_for("mentor").get(url).content.decode()
    assert f"Signed by Amira Haddad (mentee) on {stamp}." in partner
    assert partner.count("Sign this version") == 1
