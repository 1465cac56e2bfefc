"""The calendar page: make, reset and stop the feed; the address shown once and kept only
as its digest; an old or wrong address answers 404 and tells nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from medmentor.calendars.models import CalendarFeed
from medmentor.core.bearer import digest_of
from tests.calendars.conftest import make_feed, path_of, read_feed

PAGE = "calendars:page"


def feed_status(address: str) -> int:
    return Client().get(path_of(address)).status_code


def test_anonymous_is_sent_to_log_in_and_nothing_is_made(world):
    anonymous = Client()
    for method, name in (("get", PAGE), ("post", "calendars:reset"), ("post", "calendars:stop")):
        response = getattr(anonymous, method)(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not CalendarFeed.objects.exists()


def test_the_buttons_take_only_post(world):
    client = world.client_for("mentee")
    assert client.get(reverse("calendars:reset")).status_code == 405
    assert client.get(reverse("calendars:stop")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_address_is_shown_once_and_the_page_explains_subscribing(world):
    client = world.client_for("mentee")
    before = client.get(reverse(PAGE)).content.decode()
    assert "Make my calendar address" in before
    assert "webcal://" not in before
    for app in ("Google Calendar", "Apple Calendar", "Outlook"):
        assert app in before
    response = client.post(reverse("calendars:reset"))
    shown = response.content.decode()
    https, webcal = response.context["https_url"], response.context["webcal_url"]
    assert webcal in shown
    assert https in shown
    assert "copy it now" in shown
    assert response["Cache-Control"] == "private, no-store"
    secret = https.rsplit("/", 1)[1].removesuffix(".ics")
    assert secret.startswith("mm_cal_")
    assert webcal == "webcal://" + https.split("://", 1)[1]
    # Reading the page again shows the feed by its first characters, never the address.
    again = client.get(reverse(PAGE)).content.decode()
    assert secret not in again
    assert "webcal://" not in again
    assert CalendarFeed.objects.get().hint in again
    assert "Reset address" in again
    assert "Stop the feed" in again


def test_the_secret_is_kept_only_as_its_digest(world):
    https, _ = make_feed(world.client_for("mentee"))
    secret = https.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert feed.digest == digest_of(secret)
    assert secret.startswith(feed.hint)
    assert len(feed.hint) < len(secret) // 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM calendars_calendarfeed")
        rows = cursor.fetchall()
    assert secret not in repr(rows)
    for session in Session.objects.all():
        assert secret not in repr(session.get_decoded())


def test_reset_revokes_the_old_address_and_the_new_one_works(world):
    client = world.client_for("mentee")
    old, old_webcal = make_feed(client)
    assert feed_status(old) == 200
    new, new_webcal = make_feed(client)
    assert new != old
    assert new_webcal != old_webcal
    assert feed_status(old) == 404
    assert read_feed(new).walk("VEVENT")
    assert CalendarFeed.objects.filter(owner=world.mentee, revoked_at__isnull=True).count() == 1
    assert CalendarFeed.objects.filter(owner=world.mentee).count() == 2


def test_stop_revokes_without_a_new_address(world):
    client = world.client_for("mentee")
    address, _ = make_feed(client)
    response = client.post(reverse("calendars:stop"), follow=True)
    assert "Your calendar feed is stopped" in response.content.decode()
    assert "Make my calendar address" in response.content.decode()
    assert feed_status(address) == 404
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()


def test_one_persons_buttons_never_touch_anothers_feed(world):
    mentee_feed, _ = make_feed(world.client_for("mentee"))
    world.client_for("mentor").post(reverse("calendars:stop"))
    make_feed(world.client_for("mentor"))
    assert feed_status(mentee_feed) == 200


@pytest.mark.parametrize(
    "wrong",
    ["mm_cal_nothing", "mm_cal_", "nothing", "mm_pat_" + "a" * 43, "%00", "a" * 300],
)
def test_a_wrong_address_answers_404_and_reveals_nothing(world, wrong):
    make_feed(world.client_for("mentee"))
    response = Client().get(f"/calendar/{wrong}.ics")
    assert response.status_code == 404
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" not in body
    assert world.mentee.name not in body


def test_a_deactivated_persons_feed_answers_404(world):
    address, _ = make_feed(world.client_for("mentee"))
    world.mentee.is_active = False
    world.mentee.save(update_fields=["is_active"])
    assert feed_status(address) == 404


def test_each_read_is_noted_at_most_every_few_minutes(world, clock):
    address, _ = make_feed(world.client_for("mentee"))
    page = world.client_for("mentee").get(reverse(PAGE)).content.decode()
    assert "No calendar has read it yet." in page
    feed_status(address)
    first = CalendarFeed.objects.get().last_fetched_at
    assert first is not None
    clock.shift(timedelta(minutes=2))
    feed_status(address)
    assert CalendarFeed.objects.get().last_fetched_at == first
    clock.shift(timedelta(minutes=4))
    feed_status(address)
    assert CalendarFeed.objects.get().last_fetched_at > first
    assert (
        "A calendar last read it on"
        in world.client_for("mentee").get(reverse(PAGE)).content.decode()
    )


def test_the_page_is_linked_from_the_account_settings_and_the_workspace(world):
    client = world.client_for("mentee")
    settings_page = client.get(reverse("account_email")).content.decode()
    assert reverse(PAGE) in settings_page
    workspace = client.get(
        reverse("mentorships:workspace", args=[world.mentorship.uuid])
    ).content.decode()
    assert reverse(PAGE) in workspace
