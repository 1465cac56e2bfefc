"""The newcomer's path on a phone (375 by 812 px) and on a busy connection: a header that folds
behind a Menu button, a logged-in header on one line at 1280 px, mentor search whose first
result shows on the first screen, round and goal tables that fit a phone, and buttons that
say they are working and cannot send a message twice."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from medmentor.mentorships.models import Goal, Message
from medmentor.mentorships.services import conversation
from medmentor.notifications.models import Notification
from medmentor.programs.models import Role
from tests.browser.journeys import log_in
from tests.factories import UserFactory
from tests.matchrounds.rounds_factories import round_program, run_round
from tests.mentorships.factories import start_mentorship
from tests.profiles.factories import make_mentee, make_mentor
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
BUSIEST = "claire@example.org"


def _context_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="en-CA", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def phone(browser):
    context, page = _context_page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def phone_without_script(browser):
    context, page = _context_page(browser, PHONE, java_script_enabled=False)
    yield page
    context.close()


def busiest_person() -> None:
    """A coordinator who is also a mentor and a mentee, with unread notifications: the
    longest header the site shows to anyone who is not staff."""
    program = ProgramFactory()
    user = UserFactory(email=BUSIEST, name="Dr. Claire Roy")
    make_mentor(user=user)
    for role in (Role.COORDINATOR, Role.MENTOR, Role.MENTEE):
        MembershipFactory(program=program, user=user, role=role)
    for n in range(12):
        Notification.objects.create(recipient=user, kind="testing.hello", title=f"Hello {n}")


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def fits_the_screen(page, selector: str) -> None:
    """The page does not scroll sideways, and every cell of ``selector`` shows in full."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cells = page.locator(f"{selector} td")
    assert cells.count() > 0
    for k in range(cells.count()):
        box = cells.nth(k).bounding_box()
        assert box is not None
        assert box["width"] > 0
        assert box["x"] >= 0, box
        assert box["x"] + box["width"] <= PHONE["width"] + 0.5, box
        # Not clipped by a scrolling box around the table.
        assert cells.nth(k).evaluate("c => c.scrollWidth <= c.clientWidth + 1")


def labels_of(page, selector: str) -> list[str]:
    """What a phone shows before each cell of the first row: its column's name."""
    return (
        page.locator(f"{selector} tbody tr")
        .first.locator("td")
        .evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    )


# 1. The header on a phone


def test_on_a_phone_the_header_folds_behind_a_menu_button_that_opens_it(
    live_server, browser, phone
):
    busiest_person()
    log_in(phone, live_server.url, BUSIEST)

    assert header_height(phone) <= 80
    menu = phone.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert phone.locator("#site-nav").get_attribute("id") == menu.get_attribute("aria-controls")
    expect(phone.get_by_role("link", name="My mentorships")).to_be_hidden()

    # Keyboard: Tab to the button, Enter opens it, the links follow it.
    menu.focus()
    phone.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_role("link", name="My mentorships")).to_be_visible()
    expect(phone.get_by_role("button", name="Log out")).to_be_visible()
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.closest('#site-nav') !== null")
    assert focused

    # Escape closes it and gives the focus back to the button.
    phone.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()

    # A click opens it too, and a link in it takes the person there.
    menu.click()
    phone.get_by_role("link", name="My mentorships").click()
    phone.wait_for_url(live_server.url + reverse("mentorships:mine"))
    assert header_height(phone) <= 80


def test_without_javascript_a_phone_shows_the_whole_navigation(live_server, phone_without_script):
    page = phone_without_script
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Find a mentor").first).to_be_visible()
    expect(page.locator(".site-header").get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


# 2. The header at 1280 px


def test_at_1280_px_the_busiest_header_is_one_line(live_server, page):
    busiest_person()
    log_in(page, live_server.url, BUSIEST)

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    items = page.locator(".site-header nav").locator("a:visible, button:visible")
    assert items.count() >= 9
    tops = {round(items.nth(k).bounding_box()["y"]) for k in range(items.count())}
    assert len(tops) == 1, tops
    for name in ("Dashboard", "Find a mentor", "My mentorships", "Notifications"):
        expect(page.get_by_role("link", name=name).first).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert header_height(page) <= 80  # the name and the links share the bar

    # Secondary links wait under "Account".
    expect(page.get_by_role("link", name="My profile")).to_be_hidden()
    page.get_by_role("button", name="Account").click()
    page.get_by_role("link", name="My profile").click()
    page.wait_for_url(live_server.url + reverse("profiles:me") + "**")


# 3. Mentor search on a phone


def test_on_a_phone_the_first_mentor_shows_on_the_first_screen(live_server, browser, phone):
    mentee = UserFactory(email="amira@example.org", name="Amira Haddad")
    make_mentee(user=mentee)
    for name in ("Dr. Jean Tremblay", "Dr. Ana Silva"):
        make_mentor(user=UserFactory(name=name))
    log_in(phone, live_server.url, "amira@example.org")

    phone.goto(live_server.url + reverse("profiles:mentor_search") + "?accepting=on")
    first = phone.locator(".result").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] < PHONE["height"]

    # The filters are one tap away, with a count of those in use.
    toggle = phone.locator(".filters-toggle summary")
    expect(toggle).to_contain_text("Filters (1 active)")
    expect(phone.get_by_role("button", name="Search")).to_be_hidden()
    toggle.click()
    expect(phone.get_by_role("button", name="Search")).to_be_visible()


def test_on_a_wide_screen_the_mentor_filters_are_open(live_server, page):
    make_mentee(user=UserFactory(email="amira@example.org", name="Amira Haddad"))
    make_mentor(user=UserFactory(name="Dr. Jean Tremblay"))
    log_in(page, live_server.url, "amira@example.org")
    page.goto(live_server.url + reverse("profiles:mentor_search"))
    expect(page.locator(".filters-toggle summary")).to_contain_text("Filters (0 active)")
    expect(page.get_by_role("button", name="Search")).to_be_visible()
    # A filter changed in place (htmx) is counted at once.
    page.get_by_label("Accepting mentees now").check()
    expect(page.locator(".filters-toggle summary")).to_contain_text("Filters (1 active)")


# 4. Tables on a phone


def test_on_a_phone_the_round_review_fits_with_every_column_labelled(live_server, browser, phone):
    world = round_program(mentees=3, mentors=2, capacity=2, name_en="Ottawa Residents")
    match_round = run_round(world.program, world.coordinator)
    log_in(phone, live_server.url, world.coordinator.email)
    phone.goto(
        live_server.url + reverse("matchrounds:round", args=[world.program.uuid, match_round.uuid])
    )
    expect(phone.locator(".round-proposals tbody tr").first).to_be_visible()

    fits_the_screen(phone, ".round-proposals")
    labels = labels_of(phone, ".round-proposals")
    for name in ("Mentee", "Mentor", "Score", "Status"):
        assert any(name in label for label in labels), labels
    lock = phone.get_by_role("button", name="Lock").first.bounding_box()
    assert lock["x"] + lock["width"] <= PHONE["width"]


def test_on_a_phone_the_goals_of_a_mentorship_fit_with_every_column_labelled(
    live_server, browser, phone
):
    program = ProgramFactory(cycle_start=None, cycle_end=None)
    mentee = MembershipFactory(
        program=program, role=Role.MENTEE, user__email="amira@example.org", user__name="Amira"
    ).user
    mentor = MembershipFactory(program=program, role=Role.MENTOR, user__name="Jean").user
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)
    now = timezone.now()
    Goal.objects.create(
        mentorship=mentorship,
        title="Choose a residency program that values rural family medicine",
        due_on=date.today() + timedelta(days=90),
        progress=40,
        proposed_by=mentee,
        created_at=now,
        updated_at=now,
    )
    log_in(phone, live_server.url, "amira@example.org")
    phone.goto(live_server.url + reverse("mentorships:workspace", args=[mentorship.uuid]))

    fits_the_screen(phone, ".goals-table")
    labels = labels_of(phone, ".goals-table")
    for name in ("Status", "Due", "Progress"):
        assert any(name in label for label in labels), labels


# 5. Busy states


def test_clicking_send_again_while_it_is_sent_sends_one_message(live_server, page, monkeypatch):
    program = ProgramFactory(cycle_start=None, cycle_end=None)
    mentee = MembershipFactory(
        program=program, role=Role.MENTEE, user__email="amira@example.org", user__name="Amira"
    ).user
    mentor = MembershipFactory(program=program, role=Role.MENTOR, user__name="Jean").user
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)
    before = Message.objects.count()

    slow_send = conversation.message_send

    def message_send(**kwargs):
        time.sleep(3)  # a slow connection, or a busy server
        return slow_send(**kwargs)

    monkeypatch.setattr(conversation, "message_send", message_send)

    log_in(page, live_server.url, "amira@example.org")
    page.goto(live_server.url + reverse("mentorships:messages", args=[mentorship.uuid]))
    page.locator("#id_body").fill("Can we talk about my rural rotation?")
    send = page.locator("main form button[type=submit]")
    # What the page shows while the request runs, kept past the page that follows.
    send.evaluate(
        """button => new MutationObserver(() => sessionStorage.setItem("seen", JSON.stringify(
            [button.disabled, button.textContent, button.form.getAttribute("aria-busy")]
        ))).observe(button, {attributes: true, childList: true})"""
    )
    box = send.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # Nothing seems to happen, so the person clicks again (the mouse itself: a locator's
    # click would wait for the page that follows).
    page.mouse.dblclick(x, y)
    page.wait_for_timeout(500)
    page.mouse.click(x, y)

    sent = page.locator("#thread article", has_text="Can we talk about my rural rotation?")
    expect(sent.first).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    time.sleep(3)  # any second request would have landed by now
    assert Message.objects.count() - before == 1
    page.reload()
    expect(sent).to_have_count(1)
    # While it was sent, the button waited (disabled) and said so.
    assert page.evaluate("JSON.parse(sessionStorage.getItem('seen'))") == [True, "Sending…", "true"]


def test_back_to_a_sent_message_the_send_button_works_again(live_server, page):
    program = ProgramFactory(cycle_start=None, cycle_end=None)
    mentee = MembershipFactory(
        program=program, role=Role.MENTEE, user__email="amira@example.org", user__name="Amira"
    ).user
    mentor = MembershipFactory(program=program, role=Role.MENTOR, user__name="Jean").user
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)

    log_in(page, live_server.url, "amira@example.org")
    page.goto(live_server.url + reverse("mentorships:messages", args=[mentorship.uuid]))
    page.locator("#id_body").fill("First message")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("First message")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    expect(page.locator("main form.panel")).not_to_have_attribute("aria-busy", "true")
