"""A mentee and a mentor work in their workspace in a real browser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from medmentor.mentorships.models import Goal, Meeting, Note
from medmentor.programs.models import Role
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import log_in, translator, use_language
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# What a French-speaking pair reads, written out here (not looked up in the catalogue) so
# that an English string left on the way fails the journey.
FRENCH = {
    "Sign the agreement": "Signer l’entente",  # noqa: RUF001 (French typography)
    "Mentoring agreement": "Entente de mentorat",
    "Schedule and send the invitations": "Planifier et envoyer les invitations",
    "Thank you for your check-in.": "Merci pour votre suivi.",
    "End the mentorship": "Mettre fin au mentorat",
    "Thank you for your evaluation.": "Merci pour votre évaluation.",
}


@pytest.mark.parametrize(
    ("language", "viewport"),
    # In French at a laptop's width only: the phone's width runs in English.
    [("en", "desktop"), ("en", "phone"), ("fr", "desktop")],
    indirect=["viewport"],
)
def test_the_pair_signs_proposes_a_goal_schedules_and_writes_a_private_note(
    live_server, browser, page, language
):
    t = translator(language)
    if language == "fr":
        for english, french in FRENCH.items():
            assert t(english) == french, english

    def label(text: str) -> re.Pattern:
        """A field's label, with or without the colon Django adds ("Objectif :")."""
        return re.compile(rf"^{re.escape(t(text))}\s*:?$")

    program = ProgramFactory(cycle_start=None, cycle_end=None)
    mentee = MembershipFactory(
        program=program, role=Role.MENTEE, user__email="amira@example.org", user__name="Amira"
    ).user
    mentor = MembershipFactory(
        program=program, role=Role.MENTOR, user__email="jean@example.org", user__name="Jean"
    ).user
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)

    use_language(page, live_server.url, language)
    log_in(page, live_server.url, "amira@example.org")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(live_server.url + "/mentorships/")
    page.get_by_role("link", name=t("Mentored by %(name)s") % {"name": "Jean"}).click()
    page.wait_for_url(re.compile(rf"/mentorships/{mentorship.uuid}/$"))
    assert_accessible(page)
    page.get_by_role("button", name=t("Sign the agreement")).click()
    assert page.get_by_text(t("Signed by one of you.")).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=t("Read or edit")).click()
    expect(page.get_by_role("heading", name=t("Mentoring agreement"))).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name=t("Propose a goal")).click()
    page.get_by_role("button", name=t("Propose"), exact=True).click()  # no title: a field error
    assert page.get_by_text(t("This field is required.")).is_visible()
    assert_accessible(page)
    page.locator("#id_title").fill("Choose a residency program")
    page.get_by_role("button", name=t("Propose"), exact=True).click()
    assert page.get_by_role("link", name="Choose a residency program").is_visible()
    assert_accessible(page)

    # The goal's page: the steps', the comments' and the goal's own forms side by side,
    # each field with its own label (no id used twice).
    page.get_by_role("link", name="Choose a residency program").click()
    expect(page.get_by_role("heading", name="Choose a residency program")).to_be_visible()
    assert_accessible(page)
    edit = page.locator("section", has=page.get_by_role("heading", name=t("Edit the goal")))
    expect(edit.get_by_label(label("Goal"))).to_have_value("Choose a residency program")
    expect(edit.get_by_label(label("Due"))).to_be_editable()
    page.get_by_label(label("Step")).fill("Visit three programs")
    page.get_by_role("button", name=t("Add the step")).click()
    page.get_by_role(
        "button", name=t("Mark “%(step)s” as done") % {"step": "Visit three programs"}
    ).click()
    expect(
        page.get_by_role(
            "button", name=t("Mark “%(step)s” as not done") % {"step": "Visit three programs"}
        )
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "link",
        name=re.compile(
            "^" + re.escape(t("Workspace of %(mentor)s and %(mentee)s").split("%(mentor)s")[0])
        ),
    ).click()
    page.wait_for_url(re.compile(rf"/mentorships/{mentorship.uuid}/$"))

    page.get_by_role("link", name=t("Schedule a meeting")).click()
    when = timezone.localtime() + timedelta(days=7)
    page.get_by_label(t("Date and time")).fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_modality").select_option("video")
    page.get_by_label(t("Place or link")).fill("https://meet.example.org/amira")
    page.get_by_role("button", name=t("Schedule and send the invitations")).click()
    assert page.get_by_text(
        t("The meeting is scheduled; the invitations are on their way.")
    ).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name=t("Open the conversation")).click()
    page.get_by_label(t("Message")).fill("Could we talk about rural programs first?")
    page.get_by_role("button", name=t("Send")).click()
    expect(page.locator("#thread")).to_contain_text("Could we talk about rural programs first?")
    assert_accessible(page)
    page.goto(f"{live_server.url}/mentorships/{mentorship.uuid}/")

    page.get_by_role("link", name=t("All notes, and write one")).click()
    page.locator("#id_body").fill("I worry about my <b>exams</b>")
    page.get_by_role("button", name=t("Save the note")).click()
    assert page.get_by_text("I worry about my <b>exams</b>").is_visible()  # escaped, shown as typed
    assert_accessible(page)

    page.goto(f"{live_server.url}/mentorships/{mentorship.uuid}/")
    page.get_by_role("link", name=t("Check in")).click()
    expect(page.get_by_role("heading", name=t("Check-in"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=t("Send my check-in")).click()  # nothing chosen: errors
    expect(page.get_by_role("alert")).to_contain_text(t("Please correct the fields marked below."))
    assert_accessible(page)
    page.locator("input[name=score][value='4']").check()
    page.get_by_label(t("Meetings held since the last check-in")).fill("1")
    page.get_by_role("button", name=t("Send my check-in")).click()
    expect(page.get_by_text(t("Thank you for your check-in."))).to_be_visible()
    assert_accessible(page)

    assert Goal.objects.get().title == "Choose a residency program"
    assert Meeting.objects.get().place == "https://meet.example.org/amira"
    assert Note.objects.get().is_private

    # The mentor sees the goal and the meeting, not the private note.
    page.context.clear_cookies()
    use_language(page, live_server.url, language)
    log_in(page, live_server.url, "jean@example.org")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(f"{live_server.url}/mentorships/{mentorship.uuid}/")
    assert page.get_by_role("link", name="Choose a residency program").is_visible()
    assert page.get_by_text(t("No meeting planned.")).count() == 0
    assert "exams" not in page.content()
    assert_accessible(page)

    # The mentor closes the mentorship and gives the evaluation.
    page.get_by_role("link", name=t("End the mentorship")).click()
    assert_accessible(page)
    page.get_by_role("button", name=t("End the mentorship")).click()
    page.wait_for_url(re.compile(rf"/mentorships/{mentorship.uuid}/evaluation/$"))
    assert_accessible(page)
    for name in page.locator("main form input[type=radio]").evaluate_all(
        "radios => [...new Set(radios.map((radio) => radio.name))]"
    ):
        page.locator(f"main form input[type=radio][name={name}]").first.check()
    page.get_by_role("button", name=t("Send my evaluation")).click()
    expect(page.get_by_text(t("Thank you for your evaluation."))).to_be_visible()
    assert_accessible(page)
    mentorship.refresh_from_db()
    assert mentorship.status == "ended"
