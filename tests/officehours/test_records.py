"""After office hours: the reminder the day before (once), the CPD record's rows (page
and CSV, cells neutralised), the person's export and erasure, and an admin that shows no
one's words."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from medmentor.accounts.export import personal_data_of
from medmentor.accounts.services import account_delete
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.services.meetings import meeting_log
from medmentor.notifications.models import Channel, Notification
from medmentor.notifications.services import preference_set
from medmentor.officehours.access import get_booking_for
from medmentor.officehours.models import (
    COMMENT_MAX,
    REASON_MAX,
    REFLECTION_MAX,
    Booking,
    BookingRecord,
    BookingStatus,
)
from medmentor.officehours.services.bookings import booking_cancel, booking_log, booking_rate
from medmentor.officehours.services.due import office_hours_due
from tests.mentorships.factories import past_meeting, start_mentorship
from tests.officehours.conftest import QUESTION


def test_both_are_reminded_the_day_before_once(world, clock, django_capture_on_commit_callbacks):
    preference_set(user=world.mentor, channel=Channel.SITE)  # no e-mail for the mentor
    booking = world.book()
    clock.move_to(booking.slot.starts_at - timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        assert office_hours_due()["office-hours reminders"] == 0  # not yet
    clock.move_to(booking.slot.starts_at - timedelta(hours=23))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert office_hours_due()["office-hours reminders"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert office_hours_due()["office-hours reminders"] == 0
        call_command("remind", stdout=io.StringIO())
    notices = Notification.objects.filter(kind="officehours.booking_upcoming")
    assert sorted(n.recipient.name for n in notices) == ["Amira Haddad", "Jean Tremblay"]
    mentee_notice = notices.get(recipient=world.mentee)
    assert mentee_notice.title == "Tomorrow: office hours with Jean Tremblay"
    assert QUESTION not in mentee_notice.body
    # The e-mail by each person's preference: the mentee wants e-mail, the mentor does not.
    assert [m.to for m in mail.outbox] == [[world.mentee.email]]
    assert "A reminder: office hours with Jean Tremblay" in mail.outbox[0].body
    assert world.mentor.email not in mail.outbox[0].body


def test_a_cancelled_booking_is_not_reminded(world, clock, django_capture_on_commit_callbacks):
    booking = world.book()
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    clock.move_to(booking.slot.starts_at - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert office_hours_due()["office-hours reminders"] == 0


def _held(world, clock, mentee_name=None):
    booking = world.book()
    clock.move_to(booking.slot.ends_at + timedelta(hours=1))
    return booking


def test_logged_office_hours_are_rows_of_the_cpd_record(world, clock):
    world.mentee.name = '=HYPERLINK("http://evil.example","x")'
    world.mentee.save(update_fields=["name"])
    world.mentee.profile.display_name = world.mentee.name
    world.mentee.profile.save(update_fields=["display_name"])
    booking = _held(world, clock)
    as_mentor = get_booking_for(world.mentor, booking.uuid)
    as_mentee = get_booking_for(world.mentee, booking.uuid)
    booking_log(access=as_mentor, minutes_spent=45, reflection="+1 they asked about contracts")
    booking_rate(access=as_mentor, score=2, comment="MENTOR-RATING-COMMENT")
    # The mentee has not logged it: no row of theirs.
    response = world.client_for("mentor").get(reverse("dashboard:activity_csv"))
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == ["date", "activity", "role", "partner", "program", "hours", "reflection"]
    [row] = rows[1:]
    assert row[0] == "2026-03-04"
    assert row[1] == "Office hours (as mentor)"
    assert row[2] == "mentor"
    assert row[4] == world.program.name
    assert row[5] == "0.75"
    # Every cell a person typed is neutralised against formulas.
    assert row[3].startswith("'=")
    assert row[6].startswith("'+1")
    page = world.client_for("mentor").get(reverse("dashboard:activity")).content.decode()
    assert "Office hours (as mentor)" in page
    assert "0.75" in page
    assert "MENTOR-RATING-COMMENT" not in page
    assert (
        "Office hours"
        not in world.client_for("mentee")
        .get(reverse("dashboard:activity"))
        .content.decode()
        .split("<tbody>")[1]
    )
    booking_log(access=as_mentee, minutes_spent=None, reflection="I will ask for more.")
    page = world.client_for("mentee").get(reverse("dashboard:activity")).content.decode()
    assert "Office hours (as mentee)" in page
    assert "Jean Tremblay" in page  # the slot's length by default
    assert "0.50" in page
    assert "I will ask for more." in page
    assert "they asked about contracts" not in page  # the mentor's reflection is theirs


def test_office_hours_and_meetings_share_the_record_by_date(world, clock):

    booking = _held(world, clock)
    booking_log(access=get_booking_for(world.mentee, booking.uuid), minutes_spent=30)
    mentorship = start_mentorship(mentor=world.mentor, mentee=world.mentee, program=world.program)
    access = get_mentorship_for(world.mentee, mentorship.uuid)
    meeting = past_meeting(access, days_ago=1)
    meeting_log(access=access, meeting=meeting, discussed="", next_steps="", minutes_spent=60)
    response = world.client_for("mentee").get(reverse("dashboard:activity_csv"))
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))[1:]
    # The meeting of 3 March, then the office hours of 4 March.
    assert [r[1] for r in rows] == ["Mentoring meeting (as mentee)", "Office hours (as mentee)"]


def test_the_export_holds_one_s_own_office_hours(world, clock):
    booking = _held(world, clock)
    booking_log(
        access=get_booking_for(world.mentee, booking.uuid), minutes_spent=30, reflection="MINE"
    )
    booking_log(
        access=get_booking_for(world.mentor, booking.uuid), minutes_spent=30, reflection="HIS"
    )
    mentee_part = personal_data_of(world.mentee)["sections"]["programs"]["office_hours"]
    [made] = mentee_part["bookings_made"]
    assert made["question"] == QUESTION
    assert made["with"] == "Jean Tremblay"
    assert made["my_record"]["reflection"] == "MINE"
    text = json.dumps(mentee_part)
    assert "HIS" not in text
    assert world.mentor.email not in text
    mentor_part = personal_data_of(world.mentor)["sections"]["programs"]["office_hours"]
    assert len(mentor_part["offers"]) == 1
    [received] = mentor_part["bookings_received"]
    assert received["with"] == "Amira Haddad"
    assert received["my_record"]["reflection"] == "HIS"


def test_both_exports_say_who_cancelled_a_booking_and_why(world):
    booking = world.book()
    booking_cancel(access=get_booking_for(world.mentor, booking.uuid), reason="Called to the OR")
    for person, side in ((world.mentee, "bookings_made"), (world.mentor, "bookings_received")):
        [row] = personal_data_of(person)["sections"]["programs"]["office_hours"][side]
        assert row["status"] == "cancelled"
        assert row["cancelled_by"] == "Jean Tremblay"
        assert row["cancel_reason"] == "Called to the OR"


def test_a_mentee_who_leaves_takes_their_words_and_the_mentor_keeps_their_hours(
    world, clock, mailoutbox, django_capture_on_commit_callbacks
):
    held = _held(world, clock)
    booking_log(
        access=get_booking_for(world.mentee, held.uuid), minutes_spent=30, reflection="MINE"
    )
    booking_log(access=get_booking_for(world.mentor, held.uuid), minutes_spent=30, reflection="HIS")
    coming = world.book(world.slots()[-1])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=world.mentee)
    assert not Booking.objects.filter(question=QUESTION).exists()
    assert Booking.objects.get(pk=coming.pk).status == BookingStatus.CANCELLED
    # The mentor is told, with the cancellation for their calendar.
    [told] = [m for m in mailoutbox if m.attachments]
    assert told.to == [world.mentor.email]
    assert told.subject == "Cancelled: office hours with Former member"
    assert [r.reflection for r in BookingRecord.objects.all()] == ["HIS"]
    page = world.client_for("mentor").get(reverse("dashboard:activity")).content.decode()
    assert "Former member" in page
    assert "HIS" in page


def test_a_mentor_who_leaves_closes_their_office_hours(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    booking = world.book()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=world.mentor)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    [told] = [m for m in mailoutbox if m.attachments]
    assert told.to == [world.mentee.email]
    assert told.subject == "Cancelled: office hours with Former member"
    world.offer.refresh_from_db()
    assert not world.offer.is_open
    assert not world.offer.slots.filter(status="open").exists()


def test_the_admin_shows_no_question_reflection_or_rating(world, clock):
    booking = _held(world, clock)
    access = get_booking_for(world.mentee, booking.uuid)
    booking_log(access=access, minutes_spent=30, reflection="SECRET-REFLECTION")
    booking_rate(access=access, score=1, comment="SECRET-COMMENT")
    record = BookingRecord.objects.get()
    client = world.client_for("staff")
    pages = [
        reverse("admin:officehours_booking_changelist"),
        reverse("admin:officehours_booking_change", args=[booking.pk]),
        reverse("admin:officehours_bookingrecord_changelist"),
        reverse("admin:officehours_bookingrecord_change", args=[record.pk]),
        reverse("admin:officehours_officehours_change", args=[world.offer.pk]),
        reverse("admin:officehours_booking_delete", args=[booking.pk]),
        reverse("admin:accounts_user_delete", args=[world.mentee.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in ("negotiate", "SECRET-REFLECTION", "SECRET-COMMENT"):
            assert secret not in body, (url, secret)
    assert client.get(reverse("admin:officehours_booking_add")).status_code == 403


def test_a_log_a_rating_or_a_cancellation_out_of_bounds_is_refused_and_changes_nothing(
    world, clock
):
    booking = world.book()
    access = get_booking_for(world.mentee, booking.uuid)
    with pytest.raises(ValidationError) as refused:
        booking_cancel(access=access, reason="x" * (REASON_MAX + 1))
    assert "reason" in refused.value.message_dict
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED
    booking_cancel(access=access, reason="A shift came up.")
    with pytest.raises(ValidationError, match="already cancelled"):
        booking_cancel(access=get_booking_for(world.mentor, booking.uuid))

    held = _held(world, clock)
    access = get_booking_for(world.mentee, held.uuid)
    with pytest.raises(ValidationError) as refused:
        booking_log(access=access, minutes_spent=0, reflection="x" * (REFLECTION_MAX + 1))
    assert set(refused.value.message_dict) == {"minutes_spent", "reflection"}
    with pytest.raises(ValidationError) as refused:
        booking_rate(access=access, score=6, comment="x" * (COMMENT_MAX + 1))
    assert set(refused.value.message_dict) == {"score", "comment"}
    assert not BookingRecord.objects.filter(booking=held).exists()
