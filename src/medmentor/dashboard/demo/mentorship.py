"""Demo data: the demo mentor and mentee share an active mentorship (``make demo``)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import Meeting, Mentorship, Modality, NoteVisibility, Source
from medmentor.mentorships.models.mentorship import LIVE_STATUSES
from medmentor.mentorships.services.agreement import agreement_sign
from medmentor.mentorships.services.conversation import message_send, note_write
from medmentor.mentorships.services.goals import goal_propose, goal_update
from medmentor.mentorships.services.lifecycle import mentorship_start
from medmentor.mentorships.services.meetings import meeting_log, meeting_schedule
from medmentor.programs.selectors import open_community


def demo_mentorship(*, mentor: User, mentee: User) -> Mentorship:
    """An active mentorship with a signed agreement, goals, a past and a future meeting,
    notes and a message. A second run finds it and changes nothing."""
    existing = Mentorship.objects.filter(
        Q(mentor=mentor, mentee=mentee), status__in=LIVE_STATUSES
    ).first()
    if existing:
        return existing
    mentorship = mentorship_start(
        mentor=mentor,
        mentee=mentee,
        program=open_community(),
        source=Source.REQUEST,
        by=mentor,
    )
    as_mentor = get_mentorship_for(mentor, mentorship.uuid)
    as_mentee = get_mentorship_for(mentee, mentorship.uuid)
    for access in (as_mentor, as_mentee):
        agreement_sign(access=access, version=mentorship.agreement.version)
    today = timezone.localdate()
    goal = goal_propose(
        access=as_mentee,
        title="Choose a residency program that fits my family life",
        measure="A ranked list I am at ease with",
        area="career-goals",
        due_on=today + timedelta(days=60),
    )
    goal_update(access=as_mentor, goal=goal, status="active", progress=30)
    goal_propose(
        access=as_mentor,
        title="Present a case at grand rounds",
        area="teaching",
        due_on=today + timedelta(days=120),
    )
    now = timezone.now()
    past = Meeting.objects.create(
        mentorship=mentorship,
        starts_at=now - timedelta(days=7),
        duration_minutes=60,
        modality=Modality.VIDEO,
        place="https://meet.example.org/medmentor-demo",
        organizer=mentee,
        created_at=now - timedelta(days=14),
    )
    meeting_log(
        access=as_mentor,
        meeting=past,
        discussed="Expectations, the agreement, residency programs to look at.",
        next_steps="Amira lists three programs; Jean introduces a program director.",
        minutes_spent=55,
    )
    meeting_schedule(
        access=as_mentee,
        starts_at=now + timedelta(days=14),
        duration_minutes=45,
        modality=Modality.IN_PERSON,
        place="Hospital cafeteria, ground floor",
        agenda="The three programs; the elective in the spring.",
    )
    note_write(
        access=as_mentee,
        body="Shared: the three programs I am considering and why.",
        visibility=NoteVisibility.SHARED,
    )
    note_write(
        access=as_mentee,
        body="Private: I am unsure how to raise the question of parental leave.",
        visibility=NoteVisibility.PRIVATE,
    )
    note_write(
        access=as_mentor,
        body="Private reflection: listen more, advise less.",
        visibility=NoteVisibility.PRIVATE,
        meeting=past,
    )
    message_send(access=as_mentor, body="Looking forward to our next meeting!")
    return mentorship
