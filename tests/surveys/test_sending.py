"""When a survey goes out: now (a background task), on a date, some days after each
mentorship starts, at closure; one reminder; each run of ``surveys_due`` invites nobody
twice; invitations in the reader's language, in-site and by e-mail."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.services.closure import mentorship_end
from medmentor.notifications.models import Notification
from medmentor.programs.models import Role
from medmentor.surveys.models import Invitation, QuestionKind, SurveyStatus
from medmentor.surveys.services.authoring import survey_send
from medmentor.surveys.services.sending import surveys_due
from tests.factories import logged_in_client
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory
from tests.surveys.support import add_question, sent_survey, write_survey

pytestmark = pytest.mark.django_db


def _invited(survey) -> set:
    return set(Invitation.objects.filter(survey=survey).values_list("user__email", flat=True))


def test_sending_now_only_queues_the_task_which_invites_the_segment(
    world, django_capture_on_commit_callbacks
):
    second = MembershipFactory(program=world.program, role=Role.MENTEE).user
    survey = write_survey(world.program, world.coordinator)
    add_question(survey, world.coordinator)
    client = logged_in_client(world.coordinator)
    url = reverse("surveys:send", args=[world.program.uuid, survey.uuid])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url)
    assert response.status_code == 302
    assert not Invitation.objects.exists()  # the click queued the work, did not do it
    assert len(queued) == 1
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    assert _invited(survey) == {world.mentee.email, second.email}  # mentees only
    assert not Invitation.objects.filter(user__in=[world.mentor, world.coordinator]).exists()
    notices = Notification.objects.filter(kind="surveys.invitation")
    assert {n.recipient for n in notices} == {world.mentee, second}
    invitation = Invitation.objects.get(user=world.mentee)
    assert notices.get(recipient=world.mentee).url == reverse(
        "surveys:answer", args=[invitation.uuid]
    )
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN


def test_the_e_mail_goes_out_in_the_readers_language(world, django_capture_on_commit_callbacks):
    world.mentee.language = "fr"
    world.mentee.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        sent_survey(
            world.program,
            world.coordinator,
            title_en="How is it going?",
            title_fr="Comment ça se passe ?",
        )
    (message,) = [m for m in mail.outbox if m.to == [world.mentee.email]]
    assert "Comment ça se passe ?" in message.subject
    assert "Comment ça se passe ?" in message.body
    assert "How is it going?" not in message.body
    html = message.alternatives[0][0]
    assert "Comment ça se passe ?" in html


def test_on_a_date_the_survey_waits_for_its_day_then_goes_once(world):
    today = timezone.localdate()
    survey = write_survey(
        world.program, world.coordinator, send_mode="on_date", send_on=today + timedelta(days=2)
    )
    add_question(survey, world.coordinator)
    survey = survey_send(survey=survey, by=world.coordinator)
    assert survey.status == SurveyStatus.SCHEDULED
    now = timezone.now()
    assert surveys_due(now) == 0
    assert surveys_due(now + timedelta(days=1)) == 0
    assert not Invitation.objects.exists()
    assert surveys_due(now + timedelta(days=2)) == 1
    assert _invited(survey) == {world.mentee.email}
    assert surveys_due(now + timedelta(days=2, hours=1)) == 0
    assert surveys_due(now + timedelta(days=3)) == 0
    assert Invitation.objects.count() == 1
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN


def test_n_days_after_a_mentorship_starts_each_side_the_segment_names(world):
    survey = write_survey(
        world.program,
        world.coordinator,
        send_mode="after_start",
        trigger_days=3,
        segment="everyone",
    )
    add_question(survey, world.coordinator)
    survey_send(survey=survey, by=world.coordinator)
    mentorship = start_mentorship(mentor=world.mentor, mentee=world.mentee, program=world.program)
    now = timezone.now()
    assert surveys_due(now + timedelta(days=2)) == 0
    assert surveys_due(now + timedelta(days=3)) == 2
    assert _invited(survey) == {world.mentee.email, world.mentor.email}
    assert set(Invitation.objects.values_list("mentorship", flat=True)) == {mentorship.pk}
    assert surveys_due(now + timedelta(days=4)) == 0  # idempotent
    assert Invitation.objects.count() == 2


def test_a_trigger_for_mentees_reaches_only_the_mentee(world):
    survey = write_survey(world.program, world.coordinator, send_mode="after_start", trigger_days=1)
    add_question(survey, world.coordinator)
    survey_send(survey=survey, by=world.coordinator)
    start_mentorship(mentor=world.mentor, mentee=world.mentee, program=world.program)
    assert surveys_due(timezone.now() + timedelta(days=1)) == 1
    assert _invited(survey) == {world.mentee.email}


def test_at_closure_each_side_is_asked_about_that_mentorship(world):
    survey = write_survey(
        world.program, world.coordinator, send_mode="at_closure", segment="mentors"
    )
    add_question(survey, world.coordinator, QuestionKind.YES_NO)
    survey_send(survey=survey, by=world.coordinator)
    mentorship = start_mentorship(mentor=world.mentor, mentee=world.mentee, program=world.program)
    assert surveys_due(timezone.now()) == 0  # not closed yet
    mentorship_end(access=get_mentorship_for(world.mentee, mentorship.uuid))
    now = timezone.now()
    assert surveys_due(now) == 1
    invitation = Invitation.objects.get()
    assert (invitation.user, invitation.mentorship) == (world.mentor, mentorship)
    assert surveys_due(now + timedelta(days=1)) == 0


def test_a_reminder_goes_once_to_those_who_have_not_answered(world):
    from tests.surveys.support import answer

    second = MembershipFactory(program=world.program, role=Role.MENTEE).user
    survey = sent_survey(world.program, world.coordinator, reminder_days=2)
    answer(survey, world.mentee, **{QuestionKind.SCALE_5: "4"})
    now = timezone.now()
    assert surveys_due(now + timedelta(days=1)) == 0
    assert surveys_due(now + timedelta(days=2, minutes=1)) == 1
    reminders = Notification.objects.filter(kind="surveys.reminder")
    assert [n.recipient for n in reminders] == [second]
    assert surveys_due(now + timedelta(days=5)) == 0
    assert reminders.count() == 1


def test_a_closed_survey_invites_and_reminds_nobody_more(world):
    survey = sent_survey(
        world.program,
        world.coordinator,
        reminder_days=1,
        closes_on=timezone.localdate() + timedelta(days=1),
    )
    assert surveys_due(timezone.now() + timedelta(days=3)) == 0
    assert not Notification.objects.filter(kind="surveys.reminder").exists()
    assert survey.invitations.count() == 1


def test_the_remind_command_runs_the_surveys(world):
    survey = write_survey(
        world.program, world.coordinator, send_mode="on_date", send_on=timezone.localdate()
    )
    add_question(survey, world.coordinator)
    survey_send(survey=survey, by=world.coordinator)
    out = StringIO()
    call_command("remind", stdout=out)
    assert "survey invitations and reminders: 1" in out.getvalue()
    out = StringIO()
    call_command("remind", stdout=out)
    assert "survey invitations" not in out.getvalue()


def test_the_closure_evaluation_links_to_the_programs_own_questions(world):
    survey = write_survey(
        world.program, world.coordinator, send_mode="at_closure", title_en="Our own questions"
    )
    add_question(survey, world.coordinator)
    survey_send(survey=survey, by=world.coordinator)
    mentorship = start_mentorship(mentor=world.mentor, mentee=world.mentee, program=world.program)
    mentorship_end(access=get_mentorship_for(world.mentee, mentorship.uuid))
    surveys_due(timezone.now())
    url = reverse("mentorships:evaluation", args=[mentorship.uuid])
    invitation = Invitation.objects.get(user=world.mentee)
    page = logged_in_client(world.mentee).get(url).content.decode()
    assert "Your program&#x27;s own questions" in page or "Your program's own questions" in page
    assert reverse("surveys:answer", args=[invitation.uuid]) in page
    # The mentor (not in the segment) sees no such link.
    page = logged_in_client(world.mentor).get(url).content.decode()
    assert "own questions" not in page
