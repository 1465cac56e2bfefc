"""Who gets a survey, and when: the segment at once or on a date, each side of a pair some
days after its start or at its closure, and one reminder. Every run records what it sent,
so running again invites nobody twice (for a trigger: twice about the same mentorship)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship, MentorshipStatus
from medmentor.mentorships.models.mentorship import LIVE_STATUSES
from medmentor.notifications.services import notification_send
from medmentor.segments.selectors import Segment, segment_members
from medmentor.surveys.models import Invitation, SendMode, Survey, SurveyStatus

INVITATION = ("surveys.invitation", "surveys/email/invitation")
REMINDER = ("surveys.reminder", "surveys/email/reminder")


def _tell(invitation: Invitation, notice: tuple[str, str]) -> None:
    kind, template = notice
    survey = invitation.survey
    notification_send(
        recipient=invitation.user,
        kind=kind,
        template=template,
        context={"survey": survey, "program": survey.program},
        url=reverse("surveys:answer", args=[invitation.uuid]),
    )


def _invite(survey: Survey, user: User, now: datetime, mentorship: Mentorship | None) -> None:
    invitation = Invitation.objects.create(
        survey=survey, user=user, mentorship=mentorship, invited_at=now
    )
    _tell(invitation, INVITATION)


@transaction.atomic
def survey_invite_segment(*, survey_id: int, now: datetime) -> int:
    """Invite everyone of the survey's segment not invited yet; how many were."""
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("program", "match_round")
        .filter(pk=survey_id)
        .first()
    )
    if survey is None or survey.status != SurveyStatus.OPEN or survey.is_trigger:
        return 0
    if survey.is_closed(timezone.localdate(now)):
        return 0
    invited = survey.invitations.values("user_id")
    members = segment_members(survey.program, survey.segment, match_round=survey.match_round)
    count = 0
    for user in members.exclude(pk__in=invited).order_by("pk"):
        _invite(survey, user, now, None)
        count += 1
    return count


def _sides(survey: Survey, mentorships: QuerySet[Mentorship]) -> list[tuple[User, Mentorship]]:
    """Each side of these pairs the survey's segment names, while still in the program."""
    members = set(segment_members(survey.program, survey.segment).values_list("pk", flat=True))
    sides: list[tuple[User, Mentorship]] = []
    roles = {
        Segment.EVERYONE: ("mentee", "peer", "mentor"),
        Segment.MENTEES: ("mentee",),
        Segment.MENTORS: ("mentor",),
    }.get(Segment(survey.segment), ())
    for mentorship in mentorships.select_related("mentee", "mentor"):
        sides.extend(
            (person, mentorship) for role in roles for person in mentorship.people_in_role(role)
        )
    return [(user, mentorship) for user, mentorship in sides if user.pk in members]


def _triggered(survey: Survey, now: datetime) -> QuerySet[Mentorship]:
    """The program's mentorships whose moment has come since the survey was sent."""
    assert survey.launched_at is not None
    pairs = Mentorship.objects.filter(program=survey.program)
    if survey.send_mode == SendMode.AT_CLOSURE:
        return pairs.filter(
            status=MentorshipStatus.ENDED, ended_at__gte=survey.launched_at, ended_at__lte=now
        )
    delay = timedelta(days=survey.trigger_days or 0)
    return pairs.filter(
        status__in=LIVE_STATUSES,
        started_on__lte=timezone.localdate(now) - delay,
        started_on__gte=timezone.localdate(survey.launched_at) - delay,
    )


@transaction.atomic
def survey_invite_triggered(*, survey_id: int, now: datetime) -> int:
    survey = (
        Survey.objects.select_for_update(of=("self",)).select_related("program").get(pk=survey_id)
    )
    if survey.status != SurveyStatus.OPEN or not survey.is_trigger:
        return 0
    if survey.is_closed(timezone.localdate(now)):
        return 0
    done = set(survey.invitations.values_list("user_id", "mentorship_id"))
    count = 0
    for user, mentorship in _sides(survey, _triggered(survey, now)):
        if (user.pk, mentorship.pk) in done:
            continue
        _invite(survey, user, now, mentorship)
        done.add((user.pk, mentorship.pk))
        count += 1
    return count


@transaction.atomic
def survey_schedule_reached(*, survey_id: int, now: datetime) -> bool:
    """A scheduled survey's day has come: it opens (its invitations go next)."""
    survey = Survey.objects.select_for_update().get(pk=survey_id)
    if survey.status != SurveyStatus.SCHEDULED:
        return False
    survey.status = SurveyStatus.OPEN
    survey.sent_at = now
    survey.save(update_fields=["status", "sent_at"])
    return True


@transaction.atomic
def survey_remind(*, survey_id: int, now: datetime) -> int:
    """Remind, once, everyone asked ``reminder_days`` ago or more who has not answered."""
    survey = (
        Survey.objects.select_for_update(of=("self",)).select_related("program").get(pk=survey_id)
    )
    if survey.status != SurveyStatus.OPEN or not survey.reminder_days:
        return 0
    if survey.is_closed(timezone.localdate(now)):
        return 0
    due = survey.invitations.filter(
        answered=False,
        reminded_at__isnull=True,
        invited_at__lte=now - timedelta(days=survey.reminder_days),
    ).select_related("user")
    count = 0
    for invitation in due:
        invitation.reminded_at = now
        invitation.save(update_fields=["reminded_at"])
        invitation.survey = survey
        _tell(invitation, REMINDER)
        count += 1
    return count


def surveys_due(now: datetime) -> int:
    """What ``medmentor remind`` runs: scheduled surveys whose day has come, triggers,
    reminders. Returns how many invitations and reminders went out."""
    today = timezone.localdate(now)
    sent = 0
    scheduled = Survey.objects.filter(status=SurveyStatus.SCHEDULED, send_on__lte=today)
    for survey_id in scheduled.values_list("pk", flat=True):
        if survey_schedule_reached(survey_id=survey_id, now=now):
            sent += survey_invite_segment(survey_id=survey_id, now=now)
    open_surveys = Survey.objects.filter(status=SurveyStatus.OPEN).exclude(closes_on__lt=today)
    for survey_id in open_surveys.filter(
        send_mode__in=(SendMode.AFTER_START, SendMode.AT_CLOSURE)
    ).values_list("pk", flat=True):
        sent += survey_invite_triggered(survey_id=survey_id, now=now)
    for survey_id in open_surveys.filter(reminder_days__isnull=False).values_list("pk", flat=True):
        sent += survey_remind(survey_id=survey_id, now=now)
    return sent
