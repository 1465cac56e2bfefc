"""A mentor opens office hours: the weekly slots made for the booking horizon in the
mentor's time zone, extended as days pass; bad input refused field by field, nothing saved;
one-off slots; a slot cancelled and an offer closed, bookings cancelled with notice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from icalendar import Calendar

from medmentor.officehours.models import (
    PLACE_MAX,
    TOPIC_MAX,
    Booking,
    BookingStatus,
    OfficeHours,
    Slot,
    SlotStatus,
)
from medmentor.officehours.services.offers import (
    office_hours_change,
    office_hours_close,
    office_hours_open,
    slot_add,
    slot_cancel,
    slots_extend,
)
from medmentor.programs.models import Role
from medmentor.programs.selectors import open_community
from tests.officehours.conftest import NOW, offer_values, set_zone
from tests.programs.factories import MembershipFactory
from tests.requests.requests_support import mentor_in


def _starts(world) -> list[datetime]:
    return [slot.starts_at for slot in world.slots()]


def test_the_weekly_slots_are_made_for_the_horizon_in_the_mentor_s_zone(world):
    # Mondays and Wednesdays from 3 March, 14 days ahead of 2 March: 4, 9, 11 and 16 March.
    # 9:00 in Toronto is 14:00 UTC in winter and 13:00 UTC from 8 March (summer time).
    assert _starts(world) == [
        datetime(2026, 3, 4, 14, 0, tzinfo=UTC),
        datetime(2026, 3, 4, 14, 30, tzinfo=UTC),
        datetime(2026, 3, 9, 13, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 13, 30, tzinfo=UTC),
        datetime(2026, 3, 11, 13, 0, tzinfo=UTC),
        datetime(2026, 3, 11, 13, 30, tzinfo=UTC),
        datetime(2026, 3, 16, 13, 0, tzinfo=UTC),
        datetime(2026, 3, 16, 13, 30, tzinfo=UTC),
    ]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in world.slots())


def test_a_mentor_in_vancouver_offers_9_00_vancouver_time(world):
    mentor = mentor_in(world.program, "Marie Gagnon")
    set_zone(mentor, "America/Vancouver")
    offer = office_hours_open(
        mentor=mentor, programs=[world.program], **offer_values(weekdays=[2], slots_in_row=1)
    )
    first = offer.slots.order_by("starts_at").first()
    assert first.starts_at == datetime(2026, 3, 4, 17, 0, tzinfo=UTC)  # 9:00 PST


def test_the_periodic_job_extends_the_horizon_once(world, clock):
    clock.move_to(NOW + timedelta(days=7))
    assert slots_extend() == 4  # 18 and 23 March: two days of two slots
    assert slots_extend() == 0  # nothing twice
    assert _starts(world)[-1] == datetime(2026, 3, 23, 13, 30, tzinfo=UTC)


def test_a_cancelled_slot_is_not_made_again(world):
    slot = world.slots()[0]
    slot_cancel(slot=slot, by=world.mentor)
    assert slots_extend() == 0
    assert Slot.objects.get(pk=slot.pk).status == SlotStatus.CANCELLED


def test_the_until_date_ends_the_slots(world):
    mentor = mentor_in(world.program, "Kwame Mensah")
    offer = office_hours_open(
        mentor=mentor,
        programs=[world.program],
        **offer_values(ends_on=date(2026, 3, 9), slots_in_row=1),
    )
    assert offer.slots.count() == 2  # 4 and 9 March


def test_the_open_community_is_one_of_the_programs_offered(world):
    community = open_community()
    MembershipFactory(program=community, user=world.mentor, role=Role.MENTOR)
    page = world.client_for("mentor").get(reverse("officehours:offer_new"))
    assert community.name in page.content.decode()
    mentor2 = mentor_in(world.program, "Marie Gagnon")
    MembershipFactory(program=community, user=mentor2, role=Role.MENTOR)
    offer = office_hours_open(
        mentor=mentor2, programs=[community, world.program], **offer_values(weekdays=[4])
    )
    assert set(offer.programs.all()) == {community, world.program}


def _form(**overrides):
    values = offer_values(**overrides)
    data = {
        key: value
        for key, value in values.items()
        if key not in ("weekdays", "start_time", "starts_on", "ends_on")
    }
    data["weekdays"] = [str(d) for d in values["weekdays"]]
    data["start_time"] = values["start_time"].strftime("%H:%M")
    data["starts_on"] = values["starts_on"].isoformat()
    data["ends_on"] = values["ends_on"].isoformat()
    return data


def test_a_mentor_opens_office_hours_through_the_form(world):
    mentor = mentor_in(world.program, "Marie Gagnon")
    client = world.client_for("mentor")
    client.force_login(mentor)
    response = client.post(
        reverse("officehours:offer_new"),
        {**_form(weekdays=[4]), "programs": [str(world.program.uuid)]},
    )
    offer = OfficeHours.objects.get(mentor=mentor)
    assert response.status_code == 302
    assert response["Location"] == reverse("officehours:offer", args=[offer.uuid])
    assert offer.slots.count() == 4  # Fridays 6 and 13 March, two slots each
    page = client.get(response["Location"]).content.decode()
    assert "Friday" in page
    assert "Your office hours are open." in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": "2026-03-02"}, "ends_on", "The last day comes on or after the first."),
        ({"weekdays": []}, "weekdays", "Choose at least one day of the week."),
        ({"programs": []}, "programs", "Choose at least one program to offer them in."),
        ({"starts_on": "2026-03-01"}, "starts_on", "Office hours cannot start in the past."),
        ({"duration_minutes": 10}, "duration_minutes", ""),
        ({"duration_minutes": 150}, "duration_minutes", ""),
        ({"place": ""}, "place", "Give the place, or the link of the video call."),
        # Mondays and Tuesdays from 8:00, 16 slots of two hours: Monday's run into Tuesday's.
        (
            {
                "weekdays": ["0", "1"],
                "start_time": "08:00",
                "slots_in_row": 16,
                "duration_minutes": 120,
            },
            "slots_in_row",
            "run into the next day",
        ),
        # The world's mentor already offers Wednesdays at 9:00.
        (
            {"weekdays": ["2"], "start_time": "09:15", "slots_in_row": 1},
            "start_time",
            "This overlaps your office hours",
        ),
    ],
)
def test_bad_offers_are_refused_by_field_and_nothing_is_saved(world, overrides, field, message):
    data = {**_form(), "programs": [str(world.program.uuid)], **overrides}
    before = (OfficeHours.objects.count(), Slot.objects.count())
    response = world.client_for("mentor").post(reverse("officehours:offer_new"), data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert (OfficeHours.objects.count(), Slot.objects.count()) == before


def test_office_hours_only_in_a_program_where_one_is_an_active_mentor(world):
    with pytest.raises(ValidationError) as refused:
        office_hours_open(
            mentor=world.mentor, programs=[world.other_program], **offer_values(weekdays=[4])
        )
    assert "programs" in refused.value.message_dict
    assert OfficeHours.objects.count() == 1
    # A mentee of the program offers nothing there.
    response = world.client_for("mentee").post(
        reverse("officehours:offer_new"),
        {**_form(weekdays=[4]), "programs": [str(world.program.uuid)]},
    )
    assert response.status_code == 422
    assert "programs" in response.context["form"].errors


def test_a_one_off_slot_in_the_past_or_over_another_is_refused(world):
    url = reverse("officehours:slot_new", args=[world.offer.uuid])
    client = world.client_for("mentor")
    count = Slot.objects.count()
    for when, message in (
        ("2026-03-01T09:00", "A slot cannot be in the past."),
        ("2026-03-04T09:15", "This overlaps your office hours"),  # 9:00 and 9:30 are taken
    ):
        response = client.post(url, {"starts_at": when})
        assert response.status_code == 422
        assert message in " ".join(response.context["slot_form"].errors["starts_at"])
    assert Slot.objects.count() == count
    response = client.post(url, {"starts_at": "2026-03-05T16:00"})
    assert response.status_code == 302
    added = Slot.objects.get(one_off=True)
    assert added.starts_at == datetime(2026, 3, 5, 21, 0, tzinfo=UTC)
    assert added.duration_minutes == 30


def test_only_the_mentor_sees_and_changes_the_offer(world):
    url = reverse("officehours:offer", args=[world.offer.uuid])
    assert world.client_for("mentor").get(url).status_code == 200
    for persona in ("mentee", "coordinator", "staff", "outsider"):
        assert world.client_for(persona).get(url).status_code == 404, persona
    slot = world.slots()[0]
    for persona in ("mentee", "coordinator", "staff"):
        client = world.client_for(persona)
        assert client.post(reverse("officehours:slot_cancel", args=[slot.uuid])).status_code == 404
        close = reverse("officehours:offer_close", args=[world.offer.uuid])
        assert client.post(close).status_code == 404
    assert Slot.objects.get(pk=slot.pk).status == SlotStatus.OPEN
    assert world.client_for("anonymous").get(url).status_code == 302


def _cancellations(mailoutbox, email):
    found = []
    for message in mailoutbox:
        if email in message.to:
            for _name, content, _mimetype in message.attachments:
                calendar = Calendar.from_ical(content)
                if calendar["METHOD"] == "CANCEL":
                    found.append((message, calendar))
    return found


def test_cancelling_a_booked_slot_cancels_the_booking_with_notice(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = world.book()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("mentor").post(
            reverse("officehours:slot_cancel", args=[booking.slot.uuid])
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.sequence == 1
    [(message, calendar)] = _cancellations(mailoutbox, world.mentee.email)
    assert message.subject == "Cancelled: office hours with Jean Tremblay"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"office-hours-{booking.uuid}@medmentor"
    assert _cancellations(mailoutbox, world.mentor.email)


def test_closing_the_offer_cancels_the_slots_to_come_and_their_bookings(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = world.book()
    with django_capture_on_commit_callbacks(execute=True):
        office_hours_close(offer=world.offer, by=world.mentor)
    assert not Slot.objects.filter(status=SlotStatus.OPEN).exists()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert len(_cancellations(mailoutbox, world.mentee.email)) == 1
    assert slots_extend() == 0  # a closed offer makes no more slots
    with pytest.raises(Exception, match="already closed"):
        office_hours_close(offer=world.offer, by=world.mentor)


def test_a_slot_that_has_begun_cannot_be_cancelled(world, clock):
    slot = world.slots()[0]
    clock.move_to(slot.starts_at + timedelta(minutes=5))
    with pytest.raises(Exception, match="already begun"):
        slot_cancel(slot=slot, by=world.mentor)


def test_a_cancelled_one_off_slot_comes_back_when_added_again(world):
    when = datetime(2026, 3, 5, 21, 0, tzinfo=UTC)
    slot = slot_add(offer=world.offer, by=world.mentor, starts_at=when)
    slot_cancel(slot=slot, by=world.mentor)
    again = slot_add(offer=world.offer, by=world.mentor, starts_at=when)
    assert again.pk == slot.pk
    assert again.status == SlotStatus.OPEN


def test_my_office_hours_lists_the_offers(world):
    page = world.client_for("mentor").get(reverse("officehours:mine")).content.decode()
    assert "Monday, Wednesday" in page
    assert world.program.name in page
    empty = world.client_for("outsider").get(reverse("officehours:mine")).content.decode()
    assert "You offer no office hours yet." in empty
    assert "9 a.m." in page  # the mentor's own time


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"max_per_week": 0}, "max_per_week", "Give a number from 1 to"),
        ({"horizon_days": "14"}, "horizon_days", "Give a number from 1 to"),
        ({"modality": "carrier-pigeon"}, "modality", "Choose how you will meet."),
        ({"place": "x" * (PLACE_MAX + 1)}, "place", "Keep this under"),
        ({"topic": "x" * (TOPIC_MAX + 1)}, "topic", "Keep this under"),
        ({"weekdays": [7]}, "weekdays", "Choose days of the week from the list."),
        ({"start_time": None}, "start_time", "Give the time the first slot starts."),
        ({"starts_on": None}, "starts_on", "Give the first day."),
        ({"ends_on": None}, "ends_on", "Give the last day."),
        ({"ends_on": date(2027, 6, 1)}, "ends_on", "for a year at most"),
    ],
)
def test_the_service_refuses_what_a_form_would_not_send_and_saves_nothing(
    world, overrides, field, message
):
    """The service is the rule (an API or a command may call it without the form)."""
    before = (OfficeHours.objects.count(), Slot.objects.count())
    with pytest.raises(ValidationError) as refused:
        office_hours_open(
            mentor=world.mentor, programs=[world.program], **offer_values(**overrides)
        )
    errors = refused.value.message_dict
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert (OfficeHours.objects.count(), Slot.objects.count()) == before


def test_only_the_mentor_changes_their_office_hours_and_a_closed_offer_takes_no_slot(world):
    with pytest.raises(PermissionDenied):
        slot_add(offer=world.offer, by=world.mentee, starts_at=NOW + timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        slot_add(offer=world.offer, by=world.mentor, starts_at=None)
    assert "starts_at" in refused.value.message_dict
    slot = world.slots()[0]
    slot_cancel(slot=slot, by=world.mentor)
    with pytest.raises(ValidationError, match="already cancelled"):
        slot_cancel(slot=slot, by=world.mentor)
    office_hours_close(offer=world.offer, by=world.mentor)
    count = Slot.objects.count()
    with pytest.raises(ValidationError, match="closed"):
        slot_add(offer=world.offer, by=world.mentor, starts_at=NOW + timedelta(days=3))
    assert slots_extend() == 0  # a closed offer makes no more slots
    assert Slot.objects.count() == count


# -- changing what an offer says -------------------------------------------------------


def _change_form(world, **overrides):
    return {
        "topic": "Contracts, first jobs and call schedules",
        "modality": "video",
        "place": "https://meet.example.org/jean-new",
        "horizon_days": "14",
        "max_per_week": "3",
        "programs": [str(world.program.uuid)],
        **overrides,
    }


def _requests(mailoutbox, email):
    """The updated invitations (METHOD:REQUEST) one address received, with their event."""
    found = []
    for message in mailoutbox:
        if email in message.to and message.subject.startswith("Changed:"):
            for _name, content, _mimetype in message.attachments:
                calendar = Calendar.from_ical(content)
                found.append((message, calendar["METHOD"], calendar.walk("VEVENT")[0]))
    return found


def test_a_new_link_reaches_everyone_booked_with_an_updated_invitation(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = world.book()
    mailoutbox.clear()
    url = reverse("officehours:offer_edit", args=[world.offer.uuid])
    assert world.client_for("mentor").get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("mentor").post(url, _change_form(world))
    assert response.status_code == 302
    world.offer.refresh_from_db()
    assert world.offer.place == "https://meet.example.org/jean-new"
    assert world.offer.topic == "Contracts, first jobs and call schedules"
    booking.refresh_from_db()
    assert booking.sequence == 1
    for person in (world.mentee, world.mentor):
        [(message, method, event)] = _requests(mailoutbox, person.email)
        assert method == "REQUEST"
        assert message.subject == (
            "Changed: office hours with "
            + ("Jean Tremblay" if person == world.mentee else "Amira Haddad")
        )
        assert "https://meet.example.org/jean-new" in message.body
        assert str(event["UID"]) == f"office-hours-{booking.uuid}@medmentor"
        assert int(event["SEQUENCE"]) == 1
        assert "jean-new" in str(event.get("LOCATION", "")) + str(event.get("DESCRIPTION", ""))


def test_a_new_topic_or_limit_tells_nobody_and_the_days_stay(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = world.book()
    mailoutbox.clear()
    slots_before = set(world.offer.slots.values_list("starts_at", flat=True))
    values = {**_service(world), "place": world.offer.place, "weekdays": [4]}
    with django_capture_on_commit_callbacks(execute=True):
        office_hours_change(
            offer=world.offer,
            by=world.mentor,
            programs=[world.program],
            **{**values, "horizon_days": 21, "max_per_week": 1},
        )
    world.offer.refresh_from_db()
    assert (world.offer.max_per_week, world.offer.horizon_days) == (1, 21)
    assert world.offer.weekdays == [0, 2]  # the pattern cannot change here
    slots_after = set(world.offer.slots.values_list("starts_at", flat=True))
    assert slots_before < slots_after  # a farther horizon opens its days at once
    assert Booking.objects.get(pk=booking.pk).sequence == 0
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"place": ""}, "place", "Give the place, or the link of the video call."),
        ({"programs": []}, "programs", "Choose at least one program to offer them in."),
        ({"max_per_week": "0"}, "max_per_week", ""),
        ({"modality": "carrier-pigeon"}, "modality", ""),
    ],
)
def test_a_bad_change_is_refused_by_field_and_changes_nothing(world, overrides, field, message):
    before = OfficeHours.objects.values().get(pk=world.offer.pk)
    url = reverse("officehours:offer_edit", args=[world.offer.uuid])
    response = world.client_for("mentor").post(url, _change_form(world, **overrides))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert OfficeHours.objects.values().get(pk=world.offer.pk) == before


def test_only_the_mentor_changes_open_office_hours(world):
    url = reverse("officehours:offer_edit", args=[world.offer.uuid])
    before = OfficeHours.objects.values().get(pk=world.offer.pk)
    assert world.client_for("anonymous").post(url, _change_form(world)).status_code == 302
    for persona in ("mentee", "other_mentee", "coordinator", "staff", "outsider"):
        client = world.client_for(persona)
        assert client.get(url).status_code == 404, persona
        assert client.post(url, _change_form(world)).status_code == 404, persona
    assert OfficeHours.objects.values().get(pk=world.offer.pk) == before
    with pytest.raises(PermissionDenied):
        office_hours_change(
            offer=world.offer, by=world.mentee, programs=[world.program], **_service(world)
        )
    office_hours_close(offer=world.offer, by=world.mentor)
    closed = world.client_for("mentor").post(url, _change_form(world))
    assert closed.status_code == 302  # back to the offer, which says it is closed
    with pytest.raises(ValidationError, match="closed"):
        office_hours_change(
            offer=world.offer, by=world.mentor, programs=[world.program], **_service(world)
        )
    world.offer.refresh_from_db()
    assert world.offer.place == before["place"]


def _service(world):
    values = _change_form(world)
    del values["programs"]
    return {**values, "horizon_days": 14, "max_per_week": 3}
