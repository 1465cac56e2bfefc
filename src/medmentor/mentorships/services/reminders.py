"""What ``medmentor remind`` does: find what is due, record it, enqueue the reminder.

A reminder is recorded (``ReminderSent``, unique per kind, key and recipient) in the
same transaction that enqueues it, so running the command twice sends nothing twice.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.mentorships.models import (
    Baseline,
    CheckIn,
    Goal,
    Meeting,
    MeetingStatus,
    Mentorship,
    Message,
    ReminderSent,
)
from medmentor.mentorships.models.mentorship import LIVE_STATUSES, MentorshipKind
from medmentor.mentorships.models.work import OPEN_GOAL_STATUSES
from medmentor.mentorships.selectors import (
    BASELINE_OPEN_DAYS,
    BASELINE_REMIND_AFTER_DAYS,
    with_members,
)
from medmentor.mentorships.services.checkins import checkins_open_due
from medmentor.mentorships.services.closure import mentorships_close_due
from medmentor.mentorships.tasks import send_reminder

MEETING_AHEAD = timedelta(hours=24)
MESSAGE_UNREAD_AFTER = timedelta(hours=24)


def _remind(kind: str, key: str, recipient: User, mentorship: Mentorship) -> bool:
    """Record and enqueue once; False when it was sent before."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                kind=kind, key=key, recipient=recipient, sent_at=timezone.now()
            )
    except IntegrityError:
        return False
    transaction.on_commit(lambda: send_reminder.enqueue(kind, recipient.pk, mentorship.pk, key))
    return True


@transaction.atomic
def reminders_run(*, now: datetime | None = None) -> Counter[str]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent: Counter[str] = Counter()
    sent.update(mentorships_close_due(now=now))
    checkins_open_due(today=today)
    live = {"mentorship__status__in": LIVE_STATUSES}

    meetings = (
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + MEETING_AHEAD,
            **live,
        )
        .select_related("mentorship__mentor", "mentorship__mentee")
        .prefetch_related(with_members("mentorship__"))
    )
    for meeting in meetings:
        key = f"{meeting.uuid}:{meeting.starts_at.isoformat()}"
        for person in meeting.mentorship.people():
            sent["meeting_upcoming"] += _remind("meeting_upcoming", key, person, meeting.mentorship)

    checkins = CheckIn.objects.filter(
        submitted_at__isnull=True, due_on__lte=today, **live
    ).select_related("user", "mentorship")
    for checkin in checkins:
        sent["checkin_due"] += _remind(
            "checkin_due", str(checkin.uuid), checkin.user, checkin.mentorship
        )

    goals = (
        Goal.objects.filter(status__in=OPEN_GOAL_STATUSES, due_on__lt=today, **live)
        .select_related("mentorship__mentor", "mentorship__mentee")
        .prefetch_related(with_members("mentorship__"))
    )
    for goal in goals:
        assert goal.due_on is not None  # only goals with a due date are overdue
        key = f"{goal.uuid}:{goal.due_on.isoformat()}"
        for person in goal.mentorship.people():
            sent["goal_overdue"] += _remind("goal_overdue", key, person, goal.mentorship)

    # The starting self-rating: one reminder a week in, while it is still asked.
    beginning = (
        Mentorship.objects.filter(
            status__in=LIVE_STATUSES,
            started_on__lte=today - timedelta(days=BASELINE_REMIND_AFTER_DAYS),
            started_on__gt=today - timedelta(days=BASELINE_OPEN_DAYS),
        )
        .select_related("mentor", "mentee")
        .prefetch_related(with_members())
    )
    answered = set(
        Baseline.objects.filter(mentorship__in=beginning).values_list("mentorship_id", "user_id")
    )
    for mentorship in beginning:
        for person in mentorship.people():
            if (mentorship.pk, person.pk) not in answered:
                sent["baseline_due"] += _remind(
                    "baseline_due", str(mentorship.uuid), person, mentorship
                )

    # A pair's message has one reader; a group's conversation has no read receipts.
    unread = Message.objects.filter(
        read_at__isnull=True,
        created_at__lte=now - MESSAGE_UNREAD_AFTER,
        mentorship__kind=MentorshipKind.PAIR,
        **live,
    ).select_related("mentorship__mentor", "mentorship__mentee")
    for message in unread:
        reader = message.mentorship.partner_of(message.author)
        assert isinstance(reader, User)  # a pair's message (above)
        sent["message_unread"] += _remind(
            "message_unread", str(message.uuid), reader, message.mentorship
        )
    return sent
