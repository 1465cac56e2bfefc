"""The survey pages: the coordinator of the program writes, sends and reads; everyone else
is turned away; the invited person answers once, in their language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from medmentor.dashboard.selectors import dashboard_for
from medmentor.surveys.models import Invitation, QuestionKind, Response, Survey, SurveyStatus
from medmentor.surveys.services.answering import question_field
from tests.factories import logged_in_client
from tests.surveys.support import add_question, sent_survey, write_survey

pytestmark = pytest.mark.django_db


def _manage_urls(world, survey) -> list[tuple[str, str]]:
    question = survey.questions.first()
    p, s = world.program.uuid, survey.uuid
    return [
        ("get", reverse("surveys:surveys", args=[p])),
        ("get", reverse("surveys:survey_new", args=[p])),
        ("get", reverse("surveys:survey", args=[p, s])),
        ("post", reverse("surveys:question_add", args=[p, s])),
        ("get", reverse("surveys:question_edit", args=[p, s, question.uuid])),
        ("post", reverse("surveys:question_delete", args=[p, s, question.uuid])),
        ("post", reverse("surveys:question_move", args=[p, s, question.uuid])),
        ("get", reverse("surveys:send", args=[p, s])),
        ("get", reverse("surveys:results", args=[p, s])),
        ("get", reverse("surveys:results_csv", args=[p, s])),
    ]


def test_only_the_programs_coordinator_reaches_the_survey_pages(world):
    survey = write_survey(world.program, world.coordinator)
    add_question(survey, world.coordinator)
    for method, url in _manage_urls(world, survey):
        assert logged_in_client(None).get(url).status_code == 302  # to log in
        for person, status in (
            (world.other_coordinator, 404),
            (world.outsider, 404),
            (world.mentee, 403),
            (world.mentor, 403),
        ):
            answered = getattr(logged_in_client(person), method)(url)
            assert answered.status_code == status, (url, person, answered.status_code)
        if method == "get":
            assert logged_in_client(world.coordinator).get(url).status_code == 200, url
    assert Survey.objects.get().questions.count() == 1


def test_a_coordinator_writes_and_sends_a_survey_through_the_pages(
    world, django_capture_on_commit_callbacks
):
    client = logged_in_client(world.coordinator)
    p = world.program.uuid
    created = client.post(
        reverse("surveys:survey_new", args=[p]),
        {"title_en": "Half-way", "segment": "mentees", "send_mode": "now"},
    )
    survey = Survey.objects.get()
    assert created.url == reverse("surveys:survey", args=[p, survey.uuid])
    # Sending with no question is refused, and says why.
    refused = client.post(reverse("surveys:send", args=[p, survey.uuid]))
    assert refused.status_code == 422
    assert "Add at least one question" in refused.content.decode()
    # A choice question without choices is refused naming the field.
    bad = client.post(
        reverse("surveys:question_add", args=[p, survey.uuid]),
        {"kind": "single", "text_en": "Which?", "choices": ""},
    )
    assert bad.status_code == 422
    assert "Give at least two choices." in bad.content.decode()
    client.post(
        reverse("surveys:question_add", args=[p, survey.uuid]),
        {"kind": "scale_5", "text_en": "How useful?", "required": "on"},
    )
    client.post(
        reverse("surveys:question_add", args=[p, survey.uuid]),
        {"kind": "single", "text_en": "Which?", "choices": "a | A\nb | B | Bé"},
    )
    assert [q.kind for q in survey.questions.all()] == ["scale_5", "single"]
    # A trigger without delay is refused on its field.
    no_delay = client.post(
        reverse("surveys:survey", args=[p, survey.uuid]),
        {"title_en": "Half-way", "segment": "mentees", "send_mode": "after_start"},
    )
    assert no_delay.status_code == 422
    assert "A trigger needs a delay" in no_delay.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("surveys:send", args=[p, survey.uuid]))
    assert sent.status_code == 302
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    assert Invitation.objects.get().user == world.mentee
    listing = client.get(reverse("surveys:surveys", args=[p])).content.decode()
    assert "Half-way" in listing
    assert "Sent" in listing


def test_the_invited_person_answers_once_in_their_language(world):
    world.mentee.language = "fr"
    world.mentee.save(update_fields=["language"])
    survey = sent_survey(
        world.program,
        world.coordinator,
        (),
        questions=({"text_en": "How useful?", "text_fr": "Utile ?"},),
        title_fr="Bilan",
    )
    question = survey.questions.get()
    invitation = Invitation.objects.get(user=world.mentee)
    url = reverse("surveys:answer", args=[invitation.uuid])
    client = logged_in_client(world.mentee)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Utile ?" in text
    assert "Bilan" in text
    assert "How useful?" not in text
    # The survey waits on the dashboard.
    assert any(action.url == url for action in dashboard_for(world.mentee).actions)
    bad = client.post(url, {question_field(question): "9"})
    assert bad.status_code == 422
    assert not Response.objects.exists()
    done = client.post(url, {question_field(question): "4"})
    assert done.status_code == 302
    thanks = client.get(url)
    assert thanks.status_code == 200
    assert "<form" not in thanks.content.decode().split("<main", 1)[-1].split("</main>")[0]
    again = client.post(url, {question_field(question): "5"})
    assert again.status_code == 200
    assert Response.objects.count() == 1
    assert not any(action.url == url for action in dashboard_for(world.mentee).actions)


def test_others_cannot_open_someone_elses_invitation(world):
    survey = sent_survey(world.program, world.coordinator)
    url = reverse("surveys:answer", args=[Invitation.objects.get(survey=survey).uuid])
    assert logged_in_client(None).get(url).status_code == 302
    for person in (world.mentor, world.coordinator, world.other_coordinator, world.outsider):
        assert logged_in_client(person).get(url).status_code == 404
        assert logged_in_client(person).post(url, {}).status_code == 404
    assert not Response.objects.exists()


def test_a_mentor_is_not_invited_to_a_mentee_survey(world):
    survey = sent_survey(world.program, world.coordinator, (QuestionKind.YES_NO,))
    assert not Invitation.objects.filter(survey=survey, user=world.mentor).exists()
    assert not dashboard_for(world.mentor).actions or all(
        "surveys" not in action.url for action in dashboard_for(world.mentor).actions
    )


def test_a_closed_survey_says_so(world):
    survey = sent_survey(
        world.program, world.coordinator, closes_on=timezone.localdate() + timedelta(days=1)
    )
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    invitation = Invitation.objects.get(user=world.mentee)
    page = logged_in_client(world.mentee).get(reverse("surveys:answer", args=[invitation.uuid]))
    assert page.status_code == 200
    assert "This survey is closed" in page.content.decode()
