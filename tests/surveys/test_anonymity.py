"""An anonymous survey's answers cannot be joined to their author in the database, and
show only in aggregate from five answers."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.programs.models import Role
from medmentor.surveys.models import Answer, Invitation, QuestionKind, Response
from medmentor.surveys.services.authoring import survey_send
from medmentor.surveys.services.sending import surveys_due
from tests.factories import logged_in_client
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory
from tests.surveys.support import add_question, answer, write_survey

pytestmark = pytest.mark.django_db

EVERY_KIND = {
    QuestionKind.SCALE_5: "4",
    QuestionKind.SCALE_10: "9",
    QuestionKind.SINGLE: "often",
    QuestionKind.MULTIPLE: ["often", "rarely"],
    QuestionKind.SHORT_TEXT: "Short and sweet",
    QuestionKind.LONG_TEXT: "A longer thought.",
    QuestionKind.YES_NO: "yes",
}
PEOPLE_AND_PAIRS = {"accounts_user", "mentorships_mentorship"}


def _rows(table: str) -> list[dict[str, object]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _references(table: str) -> dict[str, str]:
    """Each foreign-key column of ``table`` and the table it points to."""
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, table)
    return {column: target[1] for column, target in relations.items()}


def _traces_of(user: User, mentorship) -> set[str]:
    return {
        str(user.uuid),
        user.uuid.hex,
        user.email,
        user.name,
        str(mentorship.uuid),
        mentorship.uuid.hex,
    }


def test_nothing_in_the_database_joins_an_anonymous_answer_to_its_author(world):
    # Asked at closure, so that the invitation names the mentorship too.
    survey = write_survey(world.program, world.coordinator, anonymous=True, send_mode="at_closure")
    for kind in EVERY_KIND:
        add_question(survey, world.coordinator, kind)
    survey_send(survey=survey, by=world.coordinator)
    mentorship = start_mentorship(mentor=world.mentor, mentee=world.mentee, program=world.program)
    from medmentor.mentorships.access import get_mentorship_for
    from medmentor.mentorships.services.closure import mentorship_end

    mentorship_end(access=get_mentorship_for(world.mentee, mentorship.uuid))
    surveys_due(timezone.now())
    answer(survey, world.mentee, **EVERY_KIND)
    traces = _traces_of(world.mentee, mentorship)

    # The response and its answers: no column points at a person or a pair (the
    # respondent column, there for named surveys, is empty), no value names them, no
    # time finer than the day.
    response_table, answer_table = Response._meta.db_table, Answer._meta.db_table
    for table in (response_table, answer_table):
        references = _references(table)
        rows = _rows(table)
        assert rows
        for row in rows:
            for column, value in row.items():
                if references.get(column) in PEOPLE_AND_PAIRS:
                    assert value is None, (table, column)
                assert not isinstance(value, datetime), (table, column)
                assert not any(trace in str(value) for trace in traces), (table, column)
    assert set(_references(response_table).values()) <= {"surveys_survey", "accounts_user"}
    assert set(_references(answer_table).values()) == {"surveys_response", "surveys_question"}
    (response,) = _rows(response_table)
    assert response["respondent_id"] is None
    assert str(response["submitted_on"]) == timezone.localdate().isoformat()

    # The invitation: who was asked and that they answered; no response, no time of
    # answer (its one time is when it was sent).
    invitation_table = Invitation._meta.db_table
    assert "surveys_response" not in _references(invitation_table).values()
    assert "surveys_answer" not in _references(invitation_table).values()
    (invitation,) = _rows(invitation_table)
    assert set(invitation) == {
        "id",
        "uuid",
        "survey_id",
        "user_id",
        "mentorship_id",
        "invited_at",
        "reminded_at",
        "answered",
    }
    assert invitation["reminded_at"] is None
    assert bool(invitation["answered"])


def test_a_named_survey_keeps_the_respondent(world):
    survey = write_survey(world.program, world.coordinator)
    add_question(survey, world.coordinator)
    survey_send(survey=survey, by=world.coordinator)
    surveys_due(timezone.now())
    from medmentor.surveys.services.sending import survey_invite_segment

    survey_invite_segment(survey_id=survey.pk, now=timezone.now())
    answer(survey, world.mentee, **{QuestionKind.SCALE_5: "3"})
    assert Response.objects.get().respondent == world.mentee


def test_anonymous_results_show_only_from_five_answers(world):
    survey = write_survey(world.program, world.coordinator, anonymous=True)
    add_question(survey, world.coordinator, QuestionKind.YES_NO, text_en="Would you join again?")
    add_question(survey, world.coordinator, QuestionKind.SHORT_TEXT, text_en="Anything else?")
    mentees = [world.mentee] + [
        MembershipFactory(program=world.program, role=Role.MENTEE).user for _ in range(4)
    ]
    survey_send(survey=survey, by=world.coordinator)
    from medmentor.surveys.services.sending import survey_invite_segment

    survey_invite_segment(survey_id=survey.pk, now=timezone.now())
    client = logged_in_client(world.coordinator)
    results_url = reverse("surveys:results", args=[world.program.uuid, survey.uuid])
    csv_url = reverse("surveys:results_csv", args=[world.program.uuid, survey.uuid])
    report_url = reverse("reports:program", args=[world.program.uuid])

    for mentee in mentees[:4]:
        answer(survey, mentee, yes_no="yes", short_text="Secret words")
    page = client.get(results_url).content.decode()
    assert "from 5 answers" in page
    assert "Would you join again?" not in page
    rows = list(csv.reader(io.StringIO(b"".join(client.get(csv_url).streaming_content).decode())))
    assert rows == [["Question", "Answer", "Count", "Mean"]]
    report = client.get(report_url).content.decode()
    assert "Fewer than 5 answers" in report
    assert "Would you join again?" not in report
    assert "Secret words" not in report

    answer(survey, mentees[4], yes_no="no", short_text="Secret words")
    page = client.get(results_url).content.decode()
    assert "Would you join again?" in page
    assert "Secret words" not in page
    rows = list(csv.reader(io.StringIO(b"".join(client.get(csv_url).streaming_content).decode())))
    assert ["Would you join again?", "Yes", "4", ""] in rows
    assert ["Would you join again?", "Answers", "5", ""] in rows
    assert not any("Secret words" in cell for row in rows for cell in row)
    cache.clear()  # the report counts again
    report = client.get(report_url).content.decode()
    assert "Would you join again?" in report
    assert "Secret words" not in report
    assert "The text answers of an anonymous survey are never shown." in report
