"""The agreement signed off by both; the goal lifecycle."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import Agreement, Goal, GoalStatus, StatusChange
from medmentor.mentorships.services.agreement import agreement_update
from medmentor.mentorships.services.goals import goal_propose, goal_step_add, goal_update
from medmentor.profiles.models import Goal as ProfileGoal
from medmentor.programs.models import Role
from tests.factories import logged_in_client
from tests.mentorships.conftest import PAIR
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory

JSON = "application/json"


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


def test_a_new_pair_starts_from_the_programs_own_agreement(world):
    """A program that wrote its agreement template gives it to each new pair to sign."""
    world.program.agreement_template = "  We meet monthly by video and keep notes private.  "
    world.program.save()
    newcomer = MembershipFactory(program=world.program, role=Role.MENTEE).user
    mentorship = start_mentorship(mentor=world.mentor, mentee=newcomer, program=world.program)
    assert mentorship.agreement.text == "We meet monthly by video and keep notes private."
    page = logged_in_client(newcomer).get(reverse("mentorships:agreement", args=[mentorship.uuid]))
    assert "We meet monthly by video and keep notes private." in page.content.decode()
    assert "Confidentiality" not in page.content.decode()


def test_an_agreement_emptied_over_the_api_is_refused(world):
    url = f"/api/mentorships/{world.mentorship.uuid}/agreement"
    response = world.client_for("mentee").put(url, {"text": "   "}, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "text", "message": "The agreement cannot be empty."}
    ]
    agreement = Agreement.objects.get(mentorship=world.mentorship)
    assert agreement.version == 1
    assert "Confidentiality" in agreement.text


def test_an_overlong_agreement_is_refused_by_the_service_too(world):
    """The form and the API stop at 20,000 characters; so does the service."""
    with pytest.raises(ValidationError) as refused:
        agreement_update(access=world.access("mentor"), text="x" * 20_001)
    assert refused.value.message_dict["text"] == ["Keep the agreement under 20000 characters."]
    assert Agreement.objects.get(mentorship=world.mentorship).version == 1


def test_saving_the_agreement_unchanged_keeps_both_signatures(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """Opening the agreement and pressing "Save" without a change is no new version: both
    signatures stand and nobody is asked to sign again."""
    uuid = world.mentorship.uuid
    for persona in PAIR:
        world.client_for(persona).post(
            reverse("mentorships:agreement_sign", args=[uuid]), {"version": 1}
        )
    text = Agreement.objects.get(mentorship=world.mentorship).text
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("mentee").post(
            reverse("mentorships:agreement", args=[uuid]), {"text": text}
        )
    assert response.status_code == 302
    agreement = Agreement.objects.get(mentorship=world.mentorship)
    assert agreement.version == 1
    assert agreement.is_signed
    assert not [m for m in mailoutbox if "sign again" in m.subject]
    assert not world.mentorship.events.filter(kind="agreement_edited").exists()


def test_signing_twice_keeps_the_first_signature(world):
    uuid = world.mentorship.uuid
    client = world.client_for("mentor")
    client.post(reverse("mentorships:agreement_sign", args=[uuid]), {"version": 1})
    first = Agreement.objects.get(mentorship=world.mentorship).mentor_signed_at
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        again = client.post(reverse("mentorships:agreement_sign", args=[uuid]), {"version": 1})
    assert again.status_code == 302
    assert Agreement.objects.get(mentorship=world.mentorship).mentor_signed_at == first
    assert world.mentorship.events.filter(kind="agreement_signed").count() == 1


def test_a_goal_or_step_of_another_of_ones_mentorships_is_not_found_here(world):
    """The mentor has a second mentee: a goal of that pair, reached through this pair's
    address, is a 404, and nothing of it changes."""
    other_mentee = MembershipFactory(program=world.program, role=Role.MENTEE).user
    other = start_mentorship(mentor=world.mentor, mentee=other_mentee, program=world.program)
    goal = goal_propose(access=get_mentorship_for(other_mentee, other.uuid), title="Elsewhere")
    step = goal_step_add(access=get_mentorship_for(world.mentor, other.uuid), goal=goal, title="A")
    uuid, client = world.mentorship.uuid, world.client_for("mentor")
    assert client.get(reverse("mentorships:goal", args=[uuid, goal.uuid])).status_code == 404
    agreed = client.post(
        reverse("mentorships:goal_status", args=[uuid, goal.uuid]), {"status": "active"}
    )
    assert agreed.status_code == 404
    toggled = client.post(reverse("mentorships:goal_step_toggle", args=[uuid, step.uuid]))
    assert toggled.status_code == 404
    goal.refresh_from_db()
    step.refresh_from_db()
    assert (goal.status, step.done_at) == (GoalStatus.PROPOSED, None)
    # Through its own pair's address, the same goal opens.
    assert client.get(reverse("mentorships:goal", args=[other.uuid, goal.uuid])).status_code == 200


def test_a_comment_over_the_limit_is_refused_with_the_reason(world):
    goal = _goal(world)
    url = reverse("mentorships:goal_comment", args=[world.mentorship.uuid, goal.uuid])
    response = world.client_for("mentor").post(url, {"text": "x" * 20_001}, follow=True)
    assert "Keep this under 20000 characters." in response.content.decode()
    assert not goal.comments.exists()


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"title": "x" * 201}, "title", "Keep the title under 200 characters."),
        ({"description": "x" * 20_001}, "description", "Keep this under 20000 characters."),
        ({"progress": 101}, "progress", "Progress is between 0 and 100%."),
        ({"progress": -1}, "progress", "Progress is between 0 and 100%."),
    ],
)
def test_the_goal_service_keeps_its_bounds_whoever_calls_it(world, values, field, words):
    """The form and the API bound these fields too; the service refuses on its own."""
    goal = _goal(world)
    with pytest.raises(ValidationError) as proposed:
        goal_propose(access=world.access("mentee"), **{"title": "Ok", **values})
    assert proposed.value.message_dict[field] == [words]
    with pytest.raises(ValidationError) as updated:
        goal_update(access=world.access("mentor"), goal=goal, **values)
    assert updated.value.message_dict[field] == [words]
    assert list(Goal.objects.values_list("title", flat=True)) == ["Publish a case report"]


@pytest.mark.parametrize(
    ("title", "words"), [("   ", "Name the step."), ("x" * 201, "Keep the title under")]
)
def test_a_step_needs_a_name_of_a_sensible_length(world, title, words):
    goal = _goal(world)
    with pytest.raises(ValidationError) as refused:
        goal_step_add(access=world.access("mentee"), goal=goal, title=title)
    assert words in refused.value.message_dict["title"][0]
    assert not goal.milestones.exists()


def test_a_goal_description_sent_as_null_over_the_api_clears_it(world):
    """The API fuzzer found it: PATCH a goal with "description": null was a server error.
    A null text clears it; a null title is refused like an empty one."""
    goal = _goal(world, description="Two case reports")
    client = Client(raise_request_exception=False)
    client.force_login(world.mentee)
    url = f"/api/mentorships/{world.mentorship.uuid}/goals/{goal.uuid}"
    response = client.patch(url, {"description": None}, content_type=JSON)
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.description == ""
    refused = client.patch(url, {"title": None}, content_type=JSON)
    assert refused.status_code == 422
    assert "title" in refused.content.decode()
    goal.refresh_from_db()
    assert goal.title
