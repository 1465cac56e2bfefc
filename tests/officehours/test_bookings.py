"""A mentee books a slot with a question: both get an e-mail with the .ics; every refusal
says why and saves nothing; either cancels; after the slot, each logs and rates for
themselves; a one-off can become a mentorship request."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from medmentor.officehours.access import get_booking_for
from medmentor.officehours.models import Booking, BookingRecord, BookingStatus
from medmentor.officehours.services.bookings import (
    MAX_FUTURE_BOOKINGS,
    booking_cancel,
    booking_log,
    booking_rate,
)
from medmentor.officehours.services.offers import office_hours_open, slot_add, slot_cancel
from medmentor.profiles.models import Block, ReportingLine
from tests.officehours.conftest import QUESTION, mentee_in, offer_values, set_zone
from tests.requests.requests_support import mentor_in

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _invitations(mailoutbox, email):
    found = []
    for message in mailoutbox:
        if email in message.to:
            for name, content, mimetype in message.attachments:
                assert name.endswith(".ics")
                found.append((message, Calendar.from_ical(content), mimetype, content))
    return found


def _book_through_the_page(world, slot, persona="mentee", **data):
    return world.client_for(persona).post(
        reverse("officehours:book", args=[slot.uuid]),
        {"program": str(world.program.uuid), "question": QUESTION, **data},
    )


def test_booking_sends_each_side_an_ics_in_their_own_zone(
    world, mailoutbox, django_capture_on_commit_callbacks, settings
):
    set_zone(world.mentee, "America/Vancouver")
    slot = world.slots()[0]  # Wednesday 4 March, 9:00 in Toronto
    with django_capture_on_commit_callbacks(execute=True):
        response = _book_through_the_page(world, slot)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("officehours:booking", args=[booking.uuid])
    assert booking.question == QUESTION
    assert booking.program == world.program
    zones = {world.mentee: "America/Vancouver", world.mentor: settings.TIME_ZONE}
    names = {world.mentee: "Jean Tremblay", world.mentor: "Amira Haddad"}
    for person, partner in ((world.mentee, world.mentor), (world.mentor, world.mentee)):
        [(message, calendar, mimetype, raw)] = _invitations(mailoutbox, person.email)
        assert "method=REQUEST" in mimetype
        assert calendar["METHOD"] == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        assert str(event["UID"]) == f"office-hours-{booking.uuid}@medmentor"
        assert event["SEQUENCE"] == 0
        assert event["DTSTART"].params["TZID"] == zones[person]
        start = event.decoded("DTSTART")
        assert start.astimezone(UTC) == datetime(2026, 3, 4, 14, 0, tzinfo=UTC)
        assert event.decoded("DTEND") - start == timedelta(minutes=30)
        assert str(event["SUMMARY"]) == f"MedMentor office hours: {names[person]}"
        assert str(event["ATTENDEE"]) == f"mailto:{person.email}"
        assert str(event["ORGANIZER"]) == "mailto:" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        assert str(event["LOCATION"]) == "https://meet.example.org/jean"
        # No one else's address, in the .ics or in either body.
        html = message.alternatives[0][0]
        ics = raw if isinstance(raw, str) else raw.decode()
        sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        for text in (ics, message.subject, message.body, html):
            assert partner.email not in text
            assert set(ADDRESS.findall(text)) <= {person.email, sender}
        assert message.subject == f"Office hours with {names[person]}"
        assert names[person] in message.body
        assert names[person] in html
        assert "The calendar invitation is attached." in message.body
        assert "The calendar invitation is attached." in html
        assert QUESTION not in message.body  # the booking page has it
    mentee_mail = _invitations(mailoutbox, world.mentee.email)[0][0]
    assert "6 a.m." in mentee_mail.body  # 9:00 in Toronto is 6:00 in Vancouver
    assert "You booked office hours with Jean Tremblay" in mentee_mail.body
    mentor_mail = _invitations(mailoutbox, world.mentor.email)[0][0]
    assert "Amira Haddad booked your office hours" in mentor_mail.body


def test_the_booking_page_offers_the_ics_and_the_mentor_sees_the_question(world):
    booking = world.book()
    page = world.client_for("mentee").get(reverse("officehours:booking", args=[booking.uuid]))
    ics_url = reverse("officehours:booking_ics", args=[booking.uuid])
    assert ics_url in page.content.decode()
    download = world.client_for("mentee").get(ics_url)
    assert download["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(download.content)
    assert calendar["METHOD"] == "REQUEST"
    assert world.mentor.email not in download.content.decode()
    mine = world.client_for("mentor").get(reverse("officehours:mine")).content.decode()
    assert QUESTION in mine
    assert "Amira Haddad" in mine
    others = world.client_for("other_mentee").get(reverse("officehours:mine")).content.decode()
    assert QUESTION not in others


@pytest.mark.parametrize("persona", ["other_mentee", "coordinator", "staff", "outsider"])
def test_nobody_else_opens_a_booking(world, persona):
    booking = world.book()
    client = world.client_for(persona)
    for name in ("booking", "booking_ics"):
        assert client.get(reverse(f"officehours:{name}", args=[booking.uuid])).status_code == 404
    for name in ("booking_cancel", "booking_log", "booking_rate"):
        url = reverse(f"officehours:{name}", args=[booking.uuid])
        assert client.post(url, {"score": 5}).status_code == 404
    assert Booking.objects.get().is_live


def test_anonymous_is_sent_to_log_in(world):
    booking = world.book()
    response = world.client_for("anonymous").get(
        reverse("officehours:booking", args=[booking.uuid])
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _refused(world, slot, mentee=None, **kw):
    count = Booking.objects.count()
    with pytest.raises(ValidationError) as refused:
        world.book(slot, mentee, **kw)
    assert Booking.objects.count() == count
    return " ".join(refused.value.messages)


def test_a_question_is_required_and_short(world):
    slot = world.slots()[0]
    for question, expected in (("  ", "Ask your question"), ("x" * 501, "500 characters")):
        response = _book_through_the_page(world, slot, question=question)
        assert response.status_code == 422
        assert "question" in response.context["form"].errors
        assert not Booking.objects.exists()
        assert expected in _refused(world, slot, question=question)


@pytest.mark.parametrize("direction", ["mentee_declares", "mentor_declares"])
@pytest.mark.parametrize("kind", [ReportingLine.Kind.SUPERVISOR, ReportingLine.Kind.CONFLICT])
def test_a_reporting_line_or_conflict_either_way_refuses(world, direction, kind):
    person, other = (
        (world.mentee, world.mentor)
        if direction == "mentee_declares"
        else (world.mentor, world.mentee)
    )
    ReportingLine.objects.create(person=person, other=other, kind=kind, added_by=person)
    assert "keeps you apart from Jean Tremblay" in _refused(world, world.slots()[0])


@pytest.mark.parametrize("mentee_blocks", [True, False])
def test_a_block_either_way_refuses(world, mentee_blocks):
    blocker, blocked = (
        (world.mentee, world.mentor) if mentee_blocks else (world.mentor, world.mentee)
    )
    Block.objects.create(blocker=blocker, blocked=blocked)
    assert "keeps you apart" in _refused(world, world.slots()[0])
    # Through the page: the mentor's profile is out of reach, so is the slot.
    response = _book_through_the_page(world, world.slots()[0])
    assert response.status_code == 404


def test_one_cannot_book_one_s_own_slot(world):
    assert "your own office hours" in _refused(world, world.slots()[0], world.mentor)


def test_a_slot_in_the_past_or_beyond_the_horizon_is_refused(world, clock):
    far = slot_add(
        offer=world.offer,
        by=world.mentor,
        starts_at=datetime(2026, 3, 25, 18, 0, tzinfo=UTC),  # 23 days ahead; horizon 14
    )
    assert "not open for booking yet" in _refused(world, far)
    first = world.slots()[0]
    clock.move_to(first.starts_at + timedelta(minutes=1))
    assert "in the past" in _refused(world, first)


def test_a_cancelled_slot_is_refused(world):
    slot = world.slots()[0]
    slot_cancel(slot=slot, by=world.mentor)
    assert "no longer offered" in _refused(world, slot)


def test_a_slot_already_booked_is_refused(world):
    slot = world.slots()[0]
    world.book(slot)
    assert "already booked" in _refused(world, slot, world.other_mentee)
    response = _book_through_the_page(world, slot, persona="other_mentee")
    assert response.status_code == 422
    assert "This slot is already booked." in response.content.decode()


def test_the_mentor_s_weekly_maximum_is_kept(world):
    mentor = mentor_in(world.program, "Marie Gagnon")
    offer = office_hours_open(
        mentor=mentor,
        programs=[world.program],
        **offer_values(weekdays=[0, 2], start_time=datetime(1, 1, 1, 13, 0).time(), max_per_week=2),
    )
    slots = list(offer.slots.order_by("starts_at"))  # Wednesday 4 March: two; then 9 March
    world.book(slots[0])
    world.book(slots[1], world.other_mentee)
    thursday = slot_add(offer=offer, by=mentor, starts_at=datetime(2026, 3, 5, 18, 0, tzinfo=UTC))
    third = mentee_in(world.program, "Rita Third")
    assert "fully booked that week" in _refused(world, thursday, third)
    assert world.book(slots[2], third).is_live  # Monday 9 March: another week


def test_a_mentee_holds_three_future_bookings_at_most(world):
    slots = world.slots()
    for slot in slots[: MAX_FUTURE_BOOKINGS - 1]:
        world.book(slot)
    mentor = mentor_in(world.program, "Marie Gagnon")
    other = office_hours_open(
        mentor=mentor, programs=[world.program], **offer_values(weekdays=[4], slots_in_row=2)
    )
    others = list(other.slots.order_by("starts_at"))
    world.book(others[0])
    message = _refused(world, others[1])
    assert f"You already hold {MAX_FUTURE_BOOKINGS} office-hours bookings" in message
    # Once one is cancelled, there is room again.
    booking_cancel(access=get_booking_for(world.mentee, Booking.objects.first().uuid))
    assert world.book(others[1]).is_live


def test_only_a_program_shared_as_an_active_mentee_is_accepted(world):
    slot = world.slots()[0]
    stranger = mentee_in(world.other_program, "Sam Elsewhere")
    assert "share no program" in _refused(world, slot, stranger, program=world.other_program)
    assert "program" in _field_errors(world, slot, stranger, program=world.other_program)
    withdrawn = mentee_in(world.program, "Wanda Withdrawn")
    withdrawn.program_memberships.update(status="withdrawn")
    assert "share no program" in _refused(world, slot, withdrawn)
    # A mentor of the program is no mentee there.
    colleague = mentor_in(world.program, "Colin Colleague")
    assert "share no program" in _refused(world, slot, colleague)
    page = world.client_for("outsider").get(reverse("officehours:book", args=[slot.uuid]))
    assert page.status_code == 200
    assert "You share no program with Jean Tremblay" in page.content.decode()


def _field_errors(world, slot, mentee, **kw):
    with pytest.raises(ValidationError) as refused:
        world.book(slot, mentee, **kw)
    return refused.value.message_dict


def test_either_side_cancels_before_the_start_and_both_get_the_cancel(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = world.book()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("mentee").post(
            reverse("officehours:booking_cancel", args=[booking.uuid]),
            {"reason": "My shift changed."},
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.sequence, booking.cancelled_by) == (
        BookingStatus.CANCELLED,
        1,
        world.mentee,
    )
    for person in (world.mentor, world.mentee):
        invitations = _invitations(mailoutbox, person.email)
        assert [c["METHOD"] for _m, c, _t, _r in invitations] == ["REQUEST", "CANCEL"]
        events = [c.walk("VEVENT")[0] for _m, c, _t, _r in invitations]
        assert [e["SEQUENCE"] for e in events] == [0, 1]
        assert len({str(e["UID"]) for e in events}) == 1
        assert events[1]["STATUS"] == "CANCELLED"
        cancel_mail = invitations[1][0]
        assert cancel_mail.subject.startswith("Cancelled: office hours with")
        assert "are cancelled" in cancel_mail.body
        assert "are cancelled" in cancel_mail.alternatives[0][0]
    page = world.client_for("mentor").get(reverse("officehours:booking", args=[booking.uuid]))
    assert "My shift changed." in page.content.decode()
    assert "by Amira Haddad" in page.content.decode()
    # The slot is free again, for another mentee.
    assert world.book(booking.slot, world.other_mentee).is_live
    # The mentor cancels that one.
    second = Booking.objects.get(status=BookingStatus.BOOKED)
    booking_cancel(access=get_booking_for(world.mentor, second.uuid))
    assert Booking.objects.get(pk=second.pk).cancelled_by == world.mentor


def test_a_booking_that_has_begun_cannot_be_cancelled(world, clock):
    booking = world.book()
    clock.move_to(booking.slot.starts_at + timedelta(minutes=1))
    response = world.client_for("mentee").post(
        reverse("officehours:booking_cancel", args=[booking.uuid])
    )
    assert response.status_code == 302
    assert Booking.objects.get().is_live
    with pytest.raises(ValidationError, match="can no longer be cancelled"):
        booking_cancel(access=get_booking_for(world.mentee, booking.uuid))


def test_after_the_slot_each_logs_and_rates_for_themselves(world, clock):
    booking = world.book()
    log_url = reverse("officehours:booking_log", args=[booking.uuid])
    rate_url = reverse("officehours:booking_rate", args=[booking.uuid])
    # Not before it has taken place.
    response = world.client_for("mentee").post(log_url, {"minutes_spent": 30})
    assert response.status_code == 422
    assert not BookingRecord.objects.exists()
    clock.move_to(booking.slot.ends_at + timedelta(hours=1))
    mentee, mentor = world.client_for("mentee"), world.client_for("mentor")
    page = mentee.get(reverse("officehours:booking", args=[booking.uuid])).content.decode()
    assert 'value="30"' in page  # the time spent defaults to the slot's length
    assert mentee.post(log_url, {"reflection": "MENTEE-REFLECTION"}).status_code == 302
    assert (
        mentor.post(log_url, {"minutes_spent": 45, "reflection": "MENTOR-NOTE"}).status_code == 302
    )
    assert mentee.post(rate_url, {"score": 5, "comment": "MENTEE-COMMENT"}).status_code == 302
    records = {r.user: r for r in BookingRecord.objects.all()}
    assert records[world.mentee].minutes_spent == 30
    assert records[world.mentor].minutes_spent == 45
    assert records[world.mentee].score == 5
    # Each reads only their own words and rating.
    mentor_page = mentor.get(reverse("officehours:booking", args=[booking.uuid])).content.decode()
    assert "MENTOR-NOTE" in mentor_page
    assert "MENTEE-REFLECTION" not in mentor_page
    assert "MENTEE-COMMENT" not in mentor_page
    mentee_page = mentee.get(reverse("officehours:booking", args=[booking.uuid])).content.decode()
    assert "MENTEE-REFLECTION" in mentee_page
    assert "MENTEE-COMMENT" in mentee_page
    assert "MENTOR-NOTE" not in mentee_page
    # Bad input: a rating out of range, too many minutes.
    for url, data, field in (
        (rate_url, {"score": 6}, "score"),
        (log_url, {"minutes_spent": 2000}, "minutes_spent"),
    ):
        response = mentor.post(url, data)
        assert response.status_code == 422
        form = response.context["rate_form" if field == "score" else "log_form"]
        assert field in form.errors
    assert BookingRecord.objects.get(user=world.mentor).score is None
    with pytest.raises(ValidationError):
        booking_rate(access=get_booking_for(world.mentor, booking.uuid), score=0)


def test_a_cancelled_booking_is_neither_logged_nor_rated(world, clock):
    booking = world.book()
    access = get_booking_for(world.mentee, booking.uuid)
    booking_cancel(access=access)
    clock.move_to(booking.slot.ends_at + timedelta(hours=1))
    access = get_booking_for(world.mentee, booking.uuid)
    with pytest.raises(ValidationError, match="cancelled"):
        booking_log(access=access, minutes_spent=30)
    with pytest.raises(ValidationError, match="cancelled"):
        booking_rate(access=access, score=4)


def test_after_the_slot_the_mentee_may_ask_the_mentor_for_mentorship(world, clock):
    world.program.matching_mode = "requests"
    world.program.save(update_fields=["matching_mode"])
    booking = world.book()
    url = reverse("officehours:booking", args=[booking.uuid])
    assert "to mentor you" not in world.client_for("mentee").get(url).content.decode()
    clock.move_to(booking.slot.ends_at + timedelta(hours=1))
    page = world.client_for("mentee").get(url).content.decode()
    assert "Ask Jean Tremblay to mentor you" in page
    assert "to mentor you" not in world.client_for("mentor").get(url).content.decode()
    link = re.search(r'href="([^"]*requests/ask/[^"]*)"', page).group(1).replace("&amp;", "&")
    query = parse_qs(urlparse(link).query)
    assert query == {"program": [str(world.program.uuid)], "message": [QUESTION]}
    form = world.client_for("mentee").get(link)
    assert form.status_code == 200
    assert form.context["form"].initial["message"] == QUESTION
    assert form.context["program"] == world.program
    assert QUESTION in form.content.decode()


def test_the_mentor_s_open_slots_are_listed_and_linked_from_the_profile(world):
    profile_uuid = world.mentor.profile.uuid
    slots_url = reverse("officehours:mentor_slots", args=[profile_uuid])
    profile = world.client_for("mentee").get(reverse("profiles:detail", args=[profile_uuid]))
    assert slots_url in profile.content.decode()
    page = world.client_for("mentee").get(slots_url).content.decode()
    assert page.count(reverse("officehours:book", args=[world.slots()[1].uuid])) == 1
    world.book()
    page = world.client_for("other_mentee").get(slots_url).content.decode()
    assert reverse("officehours:book", args=[world.slots()[0].uuid]) not in page  # booked
    for slot in world.slots():
        if slot.bookings.exists():
            continue
        slot_cancel(slot=slot, by=world.mentor)
    profile = world.client_for("mentee").get(reverse("profiles:detail", args=[profile_uuid]))
    assert slots_url not in profile.content.decode()  # nothing left to book


def test_the_dashboard_lists_the_bookings_to_come(world):
    world.book()
    for persona, name in (("mentee", "Jean Tremblay"), ("mentor", "Amira Haddad")):
        page = world.client_for(persona).get(reverse("dashboard:dashboard")).content.decode()
        assert "Office hours to come" in page
        assert name in page
    page = world.client_for("other_mentee").get(reverse("dashboard:dashboard")).content.decode()
    assert "Office hours to come" not in page
    bookings = world.client_for("mentee").get(reverse("officehours:bookings")).content.decode()
    assert "Jean Tremblay" in bookings
