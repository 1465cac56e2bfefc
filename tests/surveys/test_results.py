"""A survey's results: in the program report (page and CSV, suppressed below k, text of
named surveys listed) and in the survey's own CSV (named: a row per response)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from medmentor.accounts.models import AccessLogEntry
from medmentor.profiles.services import profile_get_or_create
from medmentor.programs.models import Role
from medmentor.surveys.models import QuestionKind
from medmentor.surveys.services.authoring import survey_send
from medmentor.surveys.services.sending import survey_invite_segment
from tests.factories import logged_in_client
from tests.programs.factories import MembershipFactory
from tests.surveys.support import add_question, answer, write_survey

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _named_survey(world, people: int):
    from django.utils import timezone

    survey = write_survey(world.program, world.coordinator, title_en="Mid-year check")
    add_question(survey, world.coordinator, QuestionKind.SCALE_5, text_en="How useful?")
    add_question(survey, world.coordinator, QuestionKind.SHORT_TEXT, text_en="One word?")
    add_question(survey, world.coordinator, QuestionKind.MULTIPLE, text_en="How often?")
    mentees = [world.mentee] + [
        MembershipFactory(program=world.program, role=Role.MENTEE).user for _ in range(people - 1)
    ]
    survey_send(survey=survey, by=world.coordinator)
    survey_invite_segment(survey_id=survey.pk, now=timezone.now())
    return survey, mentees


def test_a_named_survey_in_the_report_page_and_csv(world):
    survey, mentees = _named_survey(world, 6)
    for n, mentee in enumerate(mentees):
        answer(
            survey,
            mentee,
            scale_5=str(4 if n < 5 else 2),
            short_text=f"word-{n}",
            multiple=["often"],
        )
    client = logged_in_client(world.coordinator)
    page = client.get(reverse("reports:program", args=[world.program.uuid]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "The program&#x27;s surveys" in text or "The program's surveys" in text
    assert "Mid-year check · 1. How useful?" in text
    for n in range(6):
        assert f"word-{n}" in text
    scale_key = f"survey-question-{survey.questions.get(text_en='How useful?').uuid}"
    rows = _csv(client.get(reverse("reports:program_csv", args=[world.program.uuid, scale_key])))
    assert rows[0] == ["Figure", "Answers"]
    assert ["Answers", "6"] in rows
    assert ["  2", "<5"] in rows  # one person: suppressed
    assert ["  4", "hidden"] in rows  # else the one would be 6 - 5
    assert ["  1", "0"] in rows
    assert rows[-1] == ["Mean", "3.67"]
    overview = _csv(
        client.get(reverse("reports:program_csv", args=[world.program.uuid, "surveys"]))
    )
    assert overview[1] == ["Mid-year check (named)", "6", "6"]
    text_key = f"survey-question-{survey.questions.get(text_en='One word?').uuid}"
    texts = _csv(client.get(reverse("reports:program_csv", args=[world.program.uuid, text_key])))
    assert sorted(row[0] for row in texts[1:]) == [f"word-{n}" for n in range(6)]


def test_below_k_answers_a_named_distribution_is_withheld_but_its_text_listed(world):
    survey, mentees = _named_survey(world, 2)
    answer(survey, mentees[0], scale_5="5", short_text="Great mentor", multiple=["rarely"])
    client = logged_in_client(world.coordinator)
    text = client.get(reverse("reports:program", args=[world.program.uuid])).content.decode()
    assert "Fewer than 5 answers" in text
    assert "Great mentor" in text


def test_the_surveys_own_csv_has_a_row_per_named_response_neutralised(world):
    survey, mentees = _named_survey(world, 2)
    profile = profile_get_or_create(user=mentees[0])
    profile.display_name = "Dr. Amira H."
    profile.save(update_fields=["display_name"])
    answer(
        survey,
        mentees[0],
        scale_5="5",
        short_text='=HYPERLINK("http://evil.example","x")',
        multiple=["often", "rarely"],
    )
    client = logged_in_client(world.coordinator)
    rows = _csv(client.get(reverse("surveys:results_csv", args=[world.program.uuid, survey.uuid])))
    assert rows[0] == ["Respondent", "Answered on", "How useful?", "One word?", "How often?"]
    assert len(rows) == 2
    name, _day, scale, word, often = rows[1]
    assert name == "Dr. Amira H."
    assert mentees[0].email not in ",".join(rows[1])
    assert scale == "5"
    assert word == '\'=HYPERLINK("http://evil.example","x")'
    assert often == "Often; Rarely"
    entry = AccessLogEntry.objects.get(action="export", what="survey")
    assert entry.subject == mentees[0]


def test_reading_named_results_is_logged_under_each_respondent(world):
    survey, mentees = _named_survey(world, 2)
    answer(survey, mentees[0], scale_5="3", short_text="ok", multiple=["often"])
    client = logged_in_client(world.coordinator)
    page = client.get(reverse("surveys:results", args=[world.program.uuid, survey.uuid]))
    assert page.status_code == 200
    assert "ok" in page.content.decode()
    entry = AccessLogEntry.objects.get(action="view", what="survey")
    assert entry.subject == mentees[0]
    assert entry.actor == world.coordinator


def test_a_person_gets_their_named_answers_back_in_their_data_export(world):
    from medmentor.accounts.export import personal_data_of

    survey, _mentees = _named_survey(world, 1)
    answer(survey, world.mentee, scale_5="5", short_text="Mine", multiple=["often"])
    programs = personal_data_of(world.mentee)["sections"]["programs"]
    (given,) = programs["survey_answers"]
    assert given["survey"] == "Mid-year check"
    assert [a["text"] for a in given["answers"]] == ["", "Mine", ""]
    assert programs["surveys_asked"][0]["answered"] is True
