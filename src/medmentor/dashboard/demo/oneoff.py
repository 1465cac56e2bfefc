"""Demo data: one-off mentoring in the residents' program (``make demo``).

The demo mentor holds office hours on Tuesday and Thursday evenings, and the demo mentee
has booked his next free slot with a question. The program's speed-mentoring evening is
ten days ahead: every active participant is enrolled, the demo mentee chose two mentors,
and the schedule is built and published, so the mentee finds her rotations under
"Events" and the coordinator the grid and the room sheet.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.events.models import Event, EventRole
from medmentor.events.selectors import get_event_place
from medmentor.events.services.authoring import event_save
from medmentor.events.services.enrolment import event_choices_set, event_enrol
from medmentor.events.services.publishing import event_publish
from medmentor.events.services.schedule import event_schedule_build
from medmentor.mentorships.models import Modality
from medmentor.officehours.models import OfficeHours, Slot
from medmentor.officehours.services.bookings import booking_create
from medmentor.officehours.services.offers import office_hours_open
from medmentor.programs.models import Program, Role, Status

EVENT_TITLE = "Residents' speed-mentoring evening"
QUESTION = "How do I compare two practice offers, one in a community and one academic?"


def demo_office_hours(*, program: Program, mentor: User, mentee: User) -> None:
    """The mentor's office hours and the mentee's booking; a second run changes nothing."""
    if OfficeHours.objects.filter(mentor=mentor).exists():
        return
    today = timezone.localdate()
    office_hours_open(
        mentor=mentor,
        programs=[program],
        topic="Practice offers, contracts and the first years in family medicine",
        duration_minutes=30,
        modality=Modality.VIDEO,
        place="https://meet.example.org/jean-tremblay",
        weekdays=[1, 3],  # Tuesday and Thursday
        start_time=time(19, 0),
        slots_in_row=2,
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=90),
        horizon_days=21,
        max_per_week=3,
    )
    first = Slot.objects.filter(offer__mentor=mentor).order_by("starts_at").first()
    if first is not None:
        booking_create(slot=first, mentee=mentee, program=program, question=QUESTION)


def demo_event(*, program: Program, coordinator: User, mentee: User, mentor: User) -> Event:
    """The program's speed-mentoring evening, its schedule built and published."""
    existing = Event.objects.filter(program=program, title=EVENT_TITLE).first()
    if existing is not None:
        return existing
    day = timezone.localdate() + timedelta(days=10)
    starts = timezone.make_aware(datetime.combine(day, time(18, 0)))
    mentors = _active(program, Role.MENTOR)
    event = event_save(
        program=program,
        by=coordinator,
        title=EVENT_TITLE,
        description="Meet five mentors in an hour: ten minutes each, then change tables.",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        place="Roger Guindon Hall, room 2020",
        video_url="",
        rotations=5,
        rotation_minutes=10,
        changeover_minutes=3,
        tables=len(mentors),
        table_size=3,
        signup_open=True,
        is_listed=True,
        seed=0,
    )
    event_enrol(event=event, by=coordinator, users=mentors, role=EventRole.MENTOR)
    event_enrol(
        event=event, by=coordinator, users=_active(program, Role.MENTEE), role=EventRole.MENTEE
    )
    # Her own mentor is already hers (a live mentorship keeps them out of each other's
    # rounds and events): she chooses two others.
    chosen = [person for person in mentors if person.pk != mentor.pk][:2]
    event_choices_set(access=get_event_place(mentee, event.uuid), mentors=chosen)
    event_schedule_build(event=event, by=coordinator)
    event_publish(event=event, by=coordinator)
    return Event.objects.get(pk=event.pk)


def _active(program: Program, role: str) -> list[User]:
    return list(
        User.objects.filter(
            program_memberships__program=program,
            program_memberships__role=role,
            program_memberships__status=Status.ACTIVE,
            profile__isnull=False,
        ).order_by("pk")
    )
