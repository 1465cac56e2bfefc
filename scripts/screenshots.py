"""Take the README tour's screenshots from a fresh demo.

Usage: .venv/bin/python scripts/screenshots.py [--keep]

Builds the demo (``medmentor demo --no-serve``) in a temporary ``VAR_DIR``, serves it
(``medmentor demo``) on a free port in the background, logs in as the demo people and
writes PNGs (1280x860, the login on a 390x844 phone) to ``docs/screenshots/``. Nothing
touches ``var/`` of the checkout. ``--keep`` leaves the temporary folder for a look.
Uses Debian's Chromium, like the browser tests.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
MEDMENTOR = Path(sys.executable).with_name("medmentor")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
PASSWORD = "medmentor-demo"
COORDINATOR = "coordinator@medmentor.demo"
MENTEE = "mentee@medmentor.demo"
MENTOR = "mentor@medmentor.demo"
CIRCLES_PROGRAM = "Ottawa Physician Wellness Circles"
RESIDENTS_PROGRAM = "Ottawa Family Medicine Residents Mentorship"

HEADER = (
    "email,name,role,career_stage,specialty,province,institution,capacity,language,"
    "languages,interests,goals,modality\r\n"
)
SOFIA = (
    "sofia.rossi@example.org,Dr. Sofia Rossi,mentor,mid-career,family-medicine,ON,"
    "The Ottawa Hospital,2,en,en;fr,medical-education,career-goals,virtual\r\n"
)
NOOR = (
    "noor.ali@example.org,Noor Ali,mentee,resident-pgy2,pediatrics,ON,"
    "University of Ottawa,,en,en;fr,research,research,in-person\r\n"
)
# A demo participant (updated), a demo person not in the program (added), new people.
GOOD_CSV = (
    HEADER
    + SOFIA
    + NOOR
    + "mentor@medmentor.demo,Dr. Jean Tremblay,mentor,mid-career,family-medicine,QC,"
    "McGill University,3,fr,en;fr,sexual-health,career-goals,either\r\n"
    + "admin@medmentor.demo,Site Administrator,mentor,late-career,internal-medicine,ON,"
    "The Ottawa Hospital,1,en,en,leadership,leadership,virtual\r\n"
).encode()
# An unknown specialty and a bad address: each problem named by row and column.
PROBLEM_CSV = (
    HEADER + SOFIA + "liam.chen@example.org,Liam Chen,mentee,resident-pgy1,astrology,ON,"
    "University of Ottawa,,en,en,research,research,either\r\n"
    + NOOR.replace("noor.ali@example.org", "noor.ali@example")
).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_URL", "_URL_FILE"))}
    env.update(
        VAR_DIR=str(var_dir),
        DEBUG="true",
        # No worker needed: the demo runs its round itself and the tour starts no task.
        TASKS_BACKEND="immediate",
        EMAIL_URL=f"file://{var_dir / 'mail'}",
        DJANGO_SETTINGS_MODULE="medmentor.settings",
    )
    return env


@contextmanager
def demo_server(var_dir: Path) -> Iterator[str]:
    """Prepare the demo data, then serve it until the block ends."""
    env = demo_env(var_dir)
    built = subprocess.run(
        [MEDMENTOR, "demo", "--no-serve"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if built.returncode:
        raise SystemExit(f"medmentor demo --no-serve failed:\n{built.stdout}\n{built.stderr}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (var_dir / "server.log").open("wb")
    server = subprocess.Popen(
        [MEDMENTOR, "demo", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        f"the demo did not start; see {var_dir / 'server.log'}"
                    ) from None
                time.sleep(0.5)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)  # the demo command stops its worker too
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/dashboard/")


def scroll_to(page: Page, selector: str) -> None:
    """Bring ``selector`` to the top of the window, a little below its edge."""
    page.locator(selector).first.scroll_into_view_if_needed()
    page.evaluate(
        "s => window.scrollTo(0, document.querySelector(s).getBoundingClientRect().top"
        " + window.scrollY - 16)",
        selector,
    )


def shoot(page: Page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / name)
    print(f"  {name}")


def desktop(browser: Browser) -> Page:
    return browser.new_context(viewport=DESKTOP, locale="en-CA").new_page()


def mentee_tour(browser: Browser, base: str) -> None:
    page = desktop(browser)
    log_in(page, base, MENTEE)
    page.reload()  # without the "signed in" message
    shoot(page, "dashboard-mentee.png")

    page.get_by_role("link", name="as your mentor: accept or decline").first.click()
    page.wait_for_url("**/programs/proposals/*/")
    shoot(page, "proposal.png")

    page.goto(base + "/mentors/")
    shoot(page, "mentor-search.png")

    page.goto(base + "/dashboard/")
    mine = page.locator("section", has=page.get_by_role("heading", name="My mentorships"))
    mine.get_by_role("link").first.click()
    page.wait_for_url("**/mentorships/*/")
    shoot(page, "workspace.png")
    page.context.close()


def coordinator_tour(browser: Browser, base: str) -> None:
    page = desktop(browser)
    log_in(page, base, COORDINATOR)
    coordinating = page.locator(
        "section", has=page.get_by_role("heading", name="Programs you coordinate")
    )
    coordinating.get_by_role("link", name="Match rounds").first.click()
    page.locator("main table a").first.click()
    page.wait_for_url("**/manage/rounds/*/")
    scroll_to(page, "#proposals")
    shoot(page, "round-result.png")

    page.get_by_role("link", name="Import participants").click()
    import_url = page.url
    page.get_by_label("CSV file").set_input_files(
        {"name": "residents-2026.csv", "mimeType": "text/csv", "buffer": PROBLEM_CSV}
    )
    page.get_by_role("button", name="Check the file").click()
    page.locator("#import-problems").wait_for()
    scroll_to(page, "main h1")
    shoot(page, "import-problems.png")

    # A clean file: the preview says what happens to each row; nothing is confirmed.
    page.goto(import_url)
    page.get_by_label("CSV file").set_input_files(
        {"name": "residents-2026.csv", "mimeType": "text/csv", "buffer": GOOD_CSV}
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/manage/import/*/")
    scroll_to(page, "main h1")
    shoot(page, "import-preview.png")

    # The coordinator's own survey, drafted (nothing is sent), and a message being written.
    page.get_by_role("link", name="Surveys", exact=True).click()
    page.get_by_role("link", name="Write a survey").click()
    page.get_by_label("Title (English)").fill("Half-way through the year")
    page.get_by_label("Sent to").select_option("mentees")
    page.get_by_label("When").select_option("now")
    page.get_by_label("Anonymous answers").check()
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("heading", name="Half-way through the year").wait_for()
    form = page.locator("form[aria-labelledby=add-question]")
    for kind, text in (
        ("scale_5", "How useful are your meetings?"),
        ("yes_no", "Would you recommend the program to a colleague?"),
        ("long_text", "What would make the second half better?"),
    ):
        form.get_by_label("Answer").select_option(kind)
        form.get_by_label("Question (English)").fill(text)
        form.get_by_role("button", name="Add the question").click()
        page.get_by_role("cell", name=text).wait_for()
    scroll_to(page, "main h1")
    shoot(page, "survey-draft.png")

    page.get_by_role("link", name="Messages", exact=True).click()
    page.get_by_role("link", name="Write a message").click()
    page.locator("select[name=segment]").select_option("mentees")
    page.get_by_label("Subject (English)").fill("Matching starts on Monday")
    page.get_by_label("Message (English)").fill(
        "Matching starts on Monday: a complete profile gets you a better match.\n"
        "Finish it here: https://medmentor.example/profile/"
    )
    page.get_by_role("button", name="Count the people").click()
    page.get_by_text("This reaches").wait_for()
    scroll_to(page, "main h1")
    shoot(page, "message-new.png")

    # The program's report: the funnel, then where both sides stood before and after.
    page.goto(base + "/dashboard/")
    coordinating.get_by_role("link", name="Report", exact=True).first.click()
    page.wait_for_url("**/reports/programs/*/")
    scroll_to(page, "#funnel")
    shoot(page, "report-funnel.png")
    scroll_to(page, "#table-outcomes_mentee")
    shoot(page, "report-outcomes.png")
    page.context.close()


def circles_tour(browser: Browser, base: str) -> None:
    """The peer-circles program: the coordinator's published circle round, then the
    demo mentor's circle as he finds it under "My mentorships"."""
    page = desktop(browser)
    log_in(page, base, COORDINATOR)
    page.get_by_role("row", name=CIRCLES_PROGRAM).get_by_role("link", name="Match rounds").click()
    page.locator("main table a").first.click()
    page.wait_for_url("**/manage/rounds/*/")
    scroll_to(page, "#circles")
    shoot(page, "circle-round.png")
    page.context.close()

    page = desktop(browser)
    log_in(page, base, MENTOR)
    mine = page.locator("section", has=page.get_by_role("heading", name="My mentorships"))
    mine.get_by_role("link", name=re.compile(r"^Circle ")).click()
    page.wait_for_url("**/mentorships/*/")
    scroll_to(page, "main .page-head + p")  # what it is, its members, the next meeting
    shoot(page, "circle-workspace.png")
    page.context.close()


def oneoff_tour(browser: Browser, base: str) -> None:
    """One-off mentoring: the coordinator's speed-mentoring schedule, then the demo
    mentee's booked office hours as the mentor sees the booking."""
    page = desktop(browser)
    log_in(page, base, COORDINATOR)
    programs = page.get_by_role("row", name=RESIDENTS_PROGRAM)
    programs.get_by_role("link", name="Match rounds").click()
    page.locator(".tabs, nav").get_by_role("link", name="Events", exact=True).first.click()
    page.locator("main table a").first.click()
    page.get_by_role("link", name="Schedule", exact=True).first.click()
    page.wait_for_url("**/schedule/")
    shoot(page, "event-schedule.png")
    page.context.close()

    page = desktop(browser)
    log_in(page, base, MENTOR)
    page.locator("#office-hours ~ ul a").first.click()
    page.wait_for_url("**/bookings/*/")
    shoot(page, "office-hours-booking.png")
    page.context.close()


def directory_tour(page: Page, base: str) -> None:
    page.goto(base + "/directory/fit/?stage=physicians&region=ON&format=peer")
    page.locator("#fits-title").scroll_into_view_if_needed()
    shoot(page, "directory-fit.png")
    page.goto(base + "/directory/gaps/")
    page.locator(".gaps-table").scroll_into_view_if_needed()
    shoot(page, "directory-gaps.png")


def public_tour(browser: Browser, base: str) -> None:
    page = desktop(browser)
    page.goto(base + "/")
    shoot(page, "home.png")
    directory_tour(page, base)
    page.context.close()
    phone = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1, locale="en-CA"
    ).new_page()
    phone.goto(base + "/accounts/login/")
    shoot(phone, "login-phone.png")
    phone.context.close()


def main() -> None:
    keep = "--keep" in sys.argv[1:]
    OUT.mkdir(parents=True, exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix="medmentor-screenshots-"))
    failed = True
    try:
        with demo_server(var_dir) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            print(f"screenshots of {base} into {OUT}:")
            public_tour(browser, base)
            mentee_tour(browser, base)
            coordinator_tour(browser, base)
            circles_tour(browser, base)
            oneoff_tour(browser, base)
            browser.close()
        failed = False
    finally:
        if keep or failed:
            print(f"demo data kept in {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
