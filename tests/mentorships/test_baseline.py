"""The starting self-rating (baseline): asked in the workspace, reminded once, optional."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from medmentor.mentorships.models import Baseline, Moment, SelfRating
from medmentor.mentorships.selectors import pending_actions
from medmentor.mentorships.services.reminders import reminders_run
from tests.mentorships.conftest import PERSONAS
from tests.mentorships.test_closure import FULL_MENTEE_RATINGS

PROMPT = "As your mentorship begins, where do you stand?"
MENTOR_RATINGS = {
    "leadership": 2,
    "professional_development": 3,
    "personal_development": 3,
    "future_generation": 4,
    "learning_from_mentee": 2,
    "new_perspectives": 3,
    "renewed_appreciation": 2,
    "wellness": 2,
}


def _workspace(world, persona):
    return world.client_for(persona).get(
        reverse("mentorships:workspace", args=[world.mentorship.uuid])
    )


def test_each_side_is_asked_in_the_workspace_and_on_the_dashboard(world):
    for persona in ("mentee", "mentor"):
        assert PROMPT in _workspace(world, persona).content.decode()
    actions = [a.text for a in pending_actions(world.mentee)]
    assert any("Rate where you stand" in text for text in actions)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("mentee", "mentor")])
def test_nobody_but_the_pair_reaches_the_baseline(world, persona):
    client = world.client_for(persona)
    url = reverse("mentorships:baseline", args=[world.mentorship.uuid])
    page = client.get(url)
    assert page.status_code == 302 if persona == "anonymous" else 404
    posted = client.post(url, FULL_MENTEE_RATINGS)
    assert posted.status_code in (302, 404)
    assert not Baseline.objects.exists()


def test_a_mentee_gives_the_baseline_on_her_own_dimensions(world):
    mentee = world.client_for("mentee")
    url = reverse("mentorships:baseline", args=[world.mentorship.uuid])
    form = mentee.get(url).content.decode()
    assert "My life and professional skills" in form
    assert "My leadership skills" not in form  # the mentor's dimensions

    response = mentee.post(url, FULL_MENTEE_RATINGS)
    assert response.status_code == 302
    scores = SelfRating.objects.filter(user=world.mentee, moment=Moment.BASELINE)
    assert {row.dimension: row.score for row in scores} == FULL_MENTEE_RATINGS
    assert {row.role for row in scores} == {"mentee"}
    assert Baseline.objects.get(user=world.mentee).is_given
    assert PROMPT not in _workspace(world, "mentee").content.decode()
    assert PROMPT in _workspace(world, "mentor").content.decode()
    assert not any("Rate where you stand" in a.text for a in pending_actions(world.mentee))
    # Asked once: a second answer is refused and changes nothing.
    again = mentee.post(url, {**FULL_MENTEE_RATINGS, "guidance": 1})
    assert again.status_code == 422
    assert SelfRating.objects.get(user=world.mentee, dimension="guidance").score == 5


@pytest.mark.parametrize(
    "bad",
    [
        {k: v for k, v in FULL_MENTEE_RATINGS.items() if k != "wellness"},
        {**FULL_MENTEE_RATINGS, "wellness": 6},
        {**FULL_MENTEE_RATINGS, "wellness": "high"},
    ],
)
def test_bad_ratings_name_the_field_and_store_nothing(world, bad):
    response = world.client_for("mentee").post(
        reverse("mentorships:baseline", args=[world.mentorship.uuid]), bad
    )
    assert response.status_code == 422
    assert "wellness" in response.context["form"].errors
    assert not Baseline.objects.exists()
    assert not SelfRating.objects.exists()


def test_no_thank_you_is_final_and_stops_the_reminder(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    response = world.client_for("mentor").post(
        reverse("mentorships:baseline_no", args=[world.mentorship.uuid])
    )
    assert response.status_code == 302
    assert Baseline.objects.get(user=world.mentor).declined_at is not None
    assert PROMPT not in _workspace(world, "mentor").content.decode()
    with (
        time_machine.travel(timezone.now() + timedelta(days=8), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_run()
    reminded = [m.to[0] for m in mailoutbox if "as your mentorship begins" in m.subject]
    assert reminded == [world.mentee.email]


def test_one_reminder_a_week_in_and_none_after(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=6), tick=False):
        reminders_run()
    assert not [m for m in mailoutbox if "as your mentorship begins" in m.subject]
    for day in (8, 9, 30):
        with (
            time_machine.travel(start + timedelta(days=day), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            reminders_run()
    reminded = sorted(m.to[0] for m in mailoutbox if "as your mentorship begins" in m.subject)
    assert reminded == sorted([world.mentee.email, world.mentor.email])
    body = next(m.body for m in mailoutbox if "as your mentorship begins" in m.subject)
    assert reverse("mentorships:baseline", args=[world.mentorship.uuid]) in body


def test_after_the_first_weeks_it_is_no_longer_asked(world):
    with time_machine.travel(timezone.now() + timedelta(days=61), tick=False):
        assert PROMPT not in _workspace(world, "mentee").content.decode()
        late = world.client_for("mentee").post(
            reverse("mentorships:baseline", args=[world.mentorship.uuid]), FULL_MENTEE_RATINGS
        )
        assert late.status_code == 422
        assert not any("Rate where you stand" in a.text for a in pending_actions(world.mentee))
    assert not SelfRating.objects.exists()


def test_the_api_takes_the_baseline_from_the_pair_only(world):
    url = f"/api/mentorships/{world.mentorship.uuid}/baseline"

    def post(persona, ratings):
        return world.client_for(persona).post(
            url, json.dumps({"ratings": ratings}), content_type="application/json"
        )

    assert post("coordinator", MENTOR_RATINGS).status_code == 404
    assert post("outsider", MENTOR_RATINGS).status_code == 404
    wrong = post("mentor", FULL_MENTEE_RATINGS)  # the mentee's dimensions
    assert wrong.status_code == 422
    assert {e["field"] for e in wrong.json()["errors"]} >= {"leadership", "guidance"}
    assert not SelfRating.objects.exists()
    assert post("mentor", MENTOR_RATINGS).status_code == 201
    assert SelfRating.objects.filter(user=world.mentor, moment=Moment.BASELINE).count() == 8
    assert post("mentor", MENTOR_RATINGS).status_code == 422  # once
