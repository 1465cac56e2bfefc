"""Meetings: invitations with .ics (times, zones, attendees), changes, cancellation, log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import Meeting, MeetingRating
from medmentor.mentorships.services.meetings import meeting_cancel, meeting_log, meeting_schedule
from medmentor.profiles.models import Modality as ProfileModality
from medmentor.profiles.models import Profile
from medmentor.profiles.services import profile_get_or_create
from medmentor.programs.models import Role
from tests.mentorships.factories import past_meeting, start_mentorship
from tests.programs.factories import MembershipFactory

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _invitations(mailoutbox, email):
    found = []
    for message in mailoutbox:
        if email in message.to:
            for name, content, mimetype in message.attachments:
                if name.endswith(".ics"):
                    found.append((message, Calendar.from_ical(content), mimetype))
    return found


@time_machine.travel(NOW, tick=False)
def test_scheduling_sends_each_side_an_ics_in_their_time_zone(
    world, mailoutbox, django_capture_on_commit_callbacks, settings
):
    uuid = world.mentorship.uuid
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("mentee").post(
            reverse("mentorships:meeting_new", args=[uuid]),
            {
                "starts_at": "2026-03-10T18:30",
                "duration_minutes": 45,
                "modality": "video",
                "place": "https://meet.example.org/amira",
                "agenda": "Residency choices",
            },
        )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    # Typed in the mentee's zone (the site's, America/Toronto: EDT from 8 March 2026).
    assert meeting.starts_at == datetime(2026, 3, 10, 22, 30, tzinfo=UTC)
    for person in (world.mentor, world.mentee):
        [(message, calendar, mimetype)] = _invitations(mailoutbox, person.email)
        assert "method=REQUEST" in mimetype
        assert calendar["METHOD"] == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        assert str(event["UID"]) == f"meeting-{meeting.uuid}@medmentor"
        assert event["SEQUENCE"] == 0
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None
        assert str(start.tzinfo) == settings.TIME_ZONE
        assert event["DTSTART"].params["TZID"] == settings.TIME_ZONE
        assert start.astimezone(UTC) == meeting.starts_at
        assert event.decoded("DTEND") - start == timedelta(minutes=45)
        assert calendar.walk("VTIMEZONE"), "the zone travels with the invitation"
        # The recipient is the attendee; the partner is named, never given by address.
        assert str(event["ATTENDEE"]) == f"mailto:{person.email}"
        assert str(event["ORGANIZER"]) == "mailto:" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        partner = world.mentee if person == world.mentor else world.mentor
        assert partner.email not in calendar.to_ical().decode()
        assert str(event["SUMMARY"]) == f"MedMentor: {world.mentor.name} & {world.mentee.name}"
        assert str(event["LOCATION"]) == "https://meet.example.org/amira"
        assert "Residency choices" not in message.body  # the agenda stays in the workspace
    # The workspace shows the time in the reader's zone.
    page = world.client_for("mentor").get(reverse("mentorships:workspace", args=[uuid]))
    assert "6:30 p.m." in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_change_bumps_the_sequence_and_a_cancellation_cancels(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    uuid = world.mentorship.uuid
    client = world.client_for("mentor")
    data = {"starts_at": "2026-03-10T09:00", "duration_minutes": 60, "modality": "phone"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mentorships:meeting_new", args=[uuid]), data)
    meeting = Meeting.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("mentorships:meeting", args=[uuid, meeting.uuid]),
            {**data, "starts_at": "2026-03-11T09:00"},
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mentorships:meeting_cancel", args=[uuid, meeting.uuid]))
    invitations = _invitations(mailoutbox, world.mentee.email)
    assert [c["METHOD"] for _m, c, _t in invitations] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [c.walk("VEVENT")[0] for _m, c, _t in invitations]
    assert [e["SEQUENCE"] for e in events] == [0, 1, 2]
    assert len({str(e["UID"]) for e in events}) == 1
    assert events[2]["STATUS"] == "CANCELLED"
    assert events[1].decoded("DTSTART").day == 11
    assert invitations[2][0].subject.startswith("Cancelled")


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"starts_at": "2026-03-01T09:00", "duration_minutes": 60, "modality": "video"},
            "starts_at",
        ),
        (
            {"starts_at": "2026-03-10T09:00", "duration_minutes": 0, "modality": "video"},
            "duration_minutes",
        ),
        ({"starts_at": "not a date", "duration_minutes": 60, "modality": "video"}, "starts_at"),
        ({"starts_at": "2026-03-10T09:00", "duration_minutes": 60, "modality": "fax"}, "modality"),
    ],
)
def test_bad_meetings_are_refused(world, mailoutbox, data, field):
    response = world.client_for("mentee").post(
        reverse("mentorships:meeting_new", args=[world.mentorship.uuid]), data
    )
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert not Meeting.objects.exists()
    assert not mailoutbox


def test_after_the_meeting_a_log_the_time_spent_and_a_one_click_rating(world):
    meeting = past_meeting(world.access("mentor"))
    uuid = world.mentorship.uuid
    client = world.client_for("mentor")
    response = client.post(
        reverse("mentorships:meeting_log", args=[uuid, meeting.uuid]),
        {"discussed": "Electives", "next_steps": "Write to Dr. B", "minutes_spent": 50},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_spent == 50
    assert meeting.logged_by == world.mentor
    assert world.mentorship.milestones.get(kind="first_meeting").done_at is not None
    client.post(reverse("mentorships:meeting_rate", args=[uuid, meeting.uuid]), {"score": 4})
    world.client_for("mentee").post(
        reverse("mentorships:meeting_rate", args=[uuid, meeting.uuid]), {"score": 9}
    )
    assert list(MeetingRating.objects.values_list("user", "score")) == [(world.mentor.pk, 4)]


def test_a_future_meeting_cannot_be_logged(world):
    client = world.client_for("mentor")
    uuid = world.mentorship.uuid
    future = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("mentorships:meeting_new", args=[uuid]),
        {"starts_at": future, "duration_minutes": 60, "modality": "video"},
    )
    meeting = Meeting.objects.get()
    response = client.post(
        reverse("mentorships:meeting_log", args=[uuid, meeting.uuid]), {"minutes_spent": 30}
    )
    assert response.status_code == 422
    meeting.refresh_from_db()
    assert meeting.logged_at is None


def _prefer(user, *, modality=None, time_zone=""):
    profile = profile_get_or_create(user=user)
    Profile.objects.filter(pk=profile.pk).update(
        modality=ProfileModality.objects.get(code=modality) if modality else None,
        time_zone=time_zone,
    )


@time_machine.travel(NOW, tick=False)
def test_only_a_meeting_that_took_place_is_rated_and_each_button_says_what_it_does(world):
    past_meeting(world.access("mentee"))
    meeting_schedule(
        access=world.access("mentor"),
        starts_at=NOW + timedelta(days=3),
        duration_minutes=30,
        modality="video",
    )
    page = world.client_for("mentee").get(
        reverse("mentorships:workspace", args=[world.mentorship.uuid])
    )
    html = page.content.decode()
    for score in range(1, 6):
        assert html.count(f'aria-label="Rate this meeting {score} out of 5"') == 1
    assert html.count('name="score"') == 5  # the upcoming meeting has none


@time_machine.travel(NOW, tick=False)
def test_times_are_in_the_readers_zone_with_the_profiles_names(world):
    _prefer(world.mentor, time_zone="America/Vancouver")
    meeting_schedule(
        access=world.access("mentee"),
        starts_at=datetime(2026, 3, 10, 22, 30, tzinfo=UTC),
        duration_minutes=45,
        modality="video",
    )
    client = world.client_for("mentor")
    workspace = client.get(reverse("mentorships:workspace", args=[world.mentorship.uuid]))
    html = workspace.content.decode()
    assert "(Pacific time (Vancouver, Victoria))" in html
    assert "(Eastern time (Toronto, Montréal, Ottawa))" in html
    assert "America/Vancouver" not in html
    assert "America/Toronto" not in html
    notes = client.get(reverse("mentorships:notes", args=[world.mentorship.uuid]))
    picker = notes.content.decode()
    assert "3:30 p.m. (Pacific time (Vancouver, Victoria))" in picker
    assert "22:30" not in picker
    form = client.get(reverse("mentorships:meeting_new", args=[world.mentorship.uuid]))
    assert "In your time zone: Pacific time (Vancouver, Victoria)." in form.content.decode()


@pytest.mark.parametrize(
    ("mentor", "mentee", "offered"),
    [
        ("virtual", "virtual", "video"),
        ("virtual", None, "video"),
        ("either", "virtual", "video"),
        ("in-person", "virtual", "in_person"),
        (None, None, "in_person"),
    ],
)
def test_a_new_meeting_is_offered_the_way_the_two_prefer_to_meet(world, mentor, mentee, offered):
    _prefer(world.mentor, modality=mentor)
    _prefer(world.mentee, modality=mentee)
    page = world.client_for("mentee").get(
        reverse("mentorships:meeting_new", args=[world.mentorship.uuid])
    )
    assert page.context["form"]["modality"].value() == offered
    assert f'<option value="{offered}" selected>' in page.content.decode()


def test_a_meeting_that_has_begun_is_logged_not_cancelled_or_moved(world, mailoutbox):
    meeting = past_meeting(world.access("mentor"))
    uuid, client = world.mentorship.uuid, world.client_for("mentor")
    cancel = client.post(reverse("mentorships:meeting_cancel", args=[uuid, meeting.uuid]))
    assert cancel.status_code == 302
    page = client.get(cancel["Location"]).content.decode()
    assert "This meeting has already begun: log it instead." in page
    moved = client.patch(
        f"/api/mentorships/{uuid}/meetings/{meeting.uuid}",
        {"place": "Room 3"},
        content_type="application/json",
    )
    assert moved.status_code == 422
    assert moved.json()["errors"] == [
        {"field": "__all__", "message": "This meeting has already begun: log it instead."}
    ]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, meeting.place) == ("scheduled", 0, "")
    assert not mailoutbox


def test_a_cancelled_meeting_cannot_be_logged(world, django_capture_on_commit_callbacks):
    mentor = world.access("mentor")
    meeting = meeting_schedule(
        access=mentor,
        starts_at=timezone.now() + timedelta(hours=2),
        duration_minutes=60,
        modality="video",
    )
    meeting_cancel(access=mentor, meeting=meeting)
    with time_machine.travel(timezone.now() + timedelta(hours=4)):
        response = world.client_for("mentor").post(
            reverse("mentorships:meeting_log", args=[world.mentorship.uuid, meeting.uuid]),
            {"discussed": "Electives", "minutes_spent": 60},
        )
    assert response.status_code == 422
    assert "This meeting was cancelled." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.logged_at is None
    assert world.mentorship.milestones.get(kind="first_meeting").done_at is None


def test_a_meeting_moved_to_no_time_over_the_api_is_refused(world):
    meeting = meeting_schedule(
        access=world.access("mentee"),
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=60,
        modality="video",
    )
    response = world.client_for("mentee").patch(
        f"/api/mentorships/{world.mentorship.uuid}/meetings/{meeting.uuid}",
        {"starts_at": None},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "starts_at", "message": "Give the date and time of the meeting."}
    ]
    starts_at = meeting.starts_at
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (starts_at, 0)


def test_a_meeting_of_another_of_ones_mentorships_is_not_found_here(world):
    other_mentee = MembershipFactory(program=world.program, role=Role.MENTEE).user
    other = start_mentorship(mentor=world.mentor, mentee=other_mentee, program=world.program)
    meeting = past_meeting(get_mentorship_for(world.mentor, other.uuid))
    uuid, client = world.mentorship.uuid, world.client_for("mentor")
    assert client.get(reverse("mentorships:meeting", args=[uuid, meeting.uuid])).status_code == 404
    logged = client.post(
        reverse("mentorships:meeting_log", args=[uuid, meeting.uuid]), {"minutes_spent": 30}
    )
    assert logged.status_code == 404
    meeting.refresh_from_db()
    assert meeting.logged_at is None


@pytest.mark.parametrize(
    ("values", "field"),
    [({"place": "x" * 501}, "place"), ({"agenda": "x" * 20_001}, "agenda")],
)
def test_the_meeting_service_bounds_place_and_agenda_itself(world, mailoutbox, values, field):
    """The form and the API bound these too; the service refuses on its own."""
    with pytest.raises(ValidationError) as refused:
        meeting_schedule(
            access=world.access("mentor"),
            starts_at=timezone.now() + timedelta(days=2),
            duration_minutes=60,
            modality="video",
            **values,
        )
    assert field in refused.value.message_dict
    assert not Meeting.objects.exists()
    assert not mailoutbox


def test_the_meeting_log_service_bounds_its_texts_itself(world):
    meeting = past_meeting(world.access("mentor"))
    with pytest.raises(ValidationError) as refused:
        meeting_log(
            access=world.access("mentor"),
            meeting=meeting,
            discussed="x" * 20_001,
            next_steps="x" * 20_001,
            minutes_spent=30,
        )
    assert set(refused.value.message_dict) == {"discussed", "next_steps"}
    meeting.refresh_from_db()
    assert meeting.logged_at is None


@time_machine.travel(NOW, tick=False)
def test_the_invitation_email_says_the_time_on_the_recipients_own_clock(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    _prefer(world.mentor, time_zone="America/Vancouver")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(
            access=world.access("mentee"),
            starts_at=datetime(2026, 3, 10, 22, 30, tzinfo=UTC),  # 6:30 p.m. in Toronto
            duration_minutes=45,
            modality="video",
        )
    [(mentor_mail, _, _)] = _invitations(mailoutbox, world.mentor.email)
    [(mentee_mail, _, _)] = _invitations(mailoutbox, world.mentee.email)
    assert "3:30 p.m." in mentor_mail.body
    assert "6:30 p.m." not in mentor_mail.body
    assert "6:30 p.m." in mentee_mail.body
