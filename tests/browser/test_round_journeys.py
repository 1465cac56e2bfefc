"""Match rounds in a real browser: a coordinator imports participants from a CSV file, runs
a stable round, reviews it, locks a pair and publishes; a mentee and a mentor each accept
their proposal from the dashboard and the pair becomes a mentorship for both. Then the
result page's polling while a worker runs the round, hand pairs (refused, or confirmed past
a warning), breaking, re-running and comparing; a mentee's pick leading the round and a
private decline; and the proposal's reasons for a French-speaking mentee."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.utils import translation
from playwright.sync_api import expect

from medmentor.accounts.models import User
from medmentor.matchrounds.models import MatchRound, Proposal, RoundStatus
from medmentor.matchrounds.services import run
from medmentor.matchrounds.services.execute import round_execute
from medmentor.mentorships.models import Mentorship, Source
from medmentor.profiles.engine import localize_reason
from medmentor.profiles.services import reporting_line_add
from medmentor.programs.models import Membership, Role
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import DASHBOARD, log_in, translator, use_language
from tests.factories import UserFactory
from tests.imports.import_data import to_csv
from tests.matchrounds.rounds_factories import publish, round_program, run_round
from tests.profiles.factories import make_mentee, make_mentor
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


PROGRAM = "Ottawa Residents Mentorship 2026-2027"
PROGRAM_FR = "Mentorat des résidents d'Ottawa 2026-2027"

# What a French-speaking coordinator and pair read, written out here (not looked up in
# the catalogue) so that an English string left on the way fails the journey.
FRENCH = {
    "Programs you coordinate": "Programmes que vous coordonnez",
    "Import these people": "Importer ces personnes",
    "Run the round": "Lancer le tour",
    "Publish": "Publier",
    "The round is published: both people of each pair are told now.": (
        "Le tour est publié : les deux personnes de chaque jumelage en sont informées."
    ),
    "A mentorship proposal": "Une proposition de mentorat",
    "Accept": "Accepter",
    "My mentorships": "Mes mentorats",
}
# The journeys run in French at a laptop's width only: the phone's width runs in English.
EN_BOTH_WIDTHS_AND_FR = pytest.mark.parametrize(
    ("language", "viewport"),
    [("en", "desktop"), ("en", "phone"), ("fr", "desktop")],
    indirect=["viewport"],
)


def _in(language: str):
    """``t`` (an interface string in ``language``), ``tn`` (its plural for ``n``) and
    the program's name as the page shows it; the French written out above checked."""
    t = translator(language)

    def tn(singular: str, plural: str, n: int) -> str:
        with translation.override(language):
            return str(translation.ngettext(singular, plural, n))

    if language == "fr":
        for english, french in FRENCH.items():
            assert t(english) == french, english
    return t, tn, PROGRAM_FR if language == "fr" else PROGRAM


def _row(email: str, name: str, role: str, stage: str, specialty: str, **more: str) -> dict:
    row = {
        "email": email,
        "name": name,
        "role": role,
        "career_stage": stage,
        "specialty": specialty,
        "province": "ON",
        "institution": "University of Ottawa",
        "capacity": "",
        "language": "en",
        "languages": "en",
        "interests": "medical-education",
        "goals": "career-goals",
        "modality": "virtual",
    }
    row.update(more)
    return row


def _pairs(round_id: int) -> set[tuple[int, int]]:
    return set(Proposal.objects.filter(round_id=round_id).values_list("mentee", "mentor"))


@EN_BOTH_WIDTHS_AND_FR
def test_coordinator_imports_runs_a_round_locks_a_pair_and_publishes(
    live_server, page, tmp_path, language
):
    base = live_server.url
    t, tn, program_name = _in(language)
    program = ProgramFactory(
        name_en=PROGRAM, name_fr=PROGRAM_FR, audience="residents", matching_mode="rounds"
    )
    MembershipFactory(
        program=program,
        role=Role.COORDINATOR,
        user__email="coordinator@example.org",
        user__name="Dr. Claire Roy",
    )
    # One person already on the site (added), one already in the program (updated); the
    # others are new to MedMentor (invited).
    UserFactory(email="ana@example.org", name="Dr. Ana Silva")
    MembershipFactory(
        program=program, role=Role.MENTEE, user__email="chloe@example.org", user__name="Chloé Lee"
    )
    people = tmp_path / "residents.csv"
    people.write_bytes(
        to_csv(
            [
                _row(
                    "ana@example.org",
                    "Dr. Ana Silva",
                    "mentor",
                    "mid-career",
                    "family-medicine",
                    capacity="2",
                    interests="medical-education;research",
                ),
                _row(
                    "marc@example.org",
                    "Dr. Marc Côté",
                    "mentor",
                    "late-career",
                    "psychiatry",
                    capacity="1",
                    province="QC",
                    languages="en;fr",
                ),
                _row(
                    "amira@example.org",
                    "Amira Haddad",
                    "mentee",
                    "resident-pgy2",
                    "family-medicine",
                    interests="medical-education;research",
                ),
                _row(
                    "ben@example.org",
                    "Ben Roy",
                    "mentee",
                    "resident-pgy1",
                    "psychiatry",
                    province="QC",
                    languages="en;fr",
                ),
                _row("chloe@example.org", "Chloé Lee", "mentee", "resident-pgy1", "pediatrics"),
            ]
        )
    )

    # The dashboard lists the program; its coordinator's area opens from there.
    use_language(page, base, language)
    log_in(page, base, "coordinator@example.org")
    expect(page.locator("html")).to_have_attribute("lang", language)
    coordinating = page.locator(
        "section", has=page.get_by_role("heading", name=t("Programs you coordinate"))
    )
    coordinating.get_by_role("link", name=program_name).click()
    page.wait_for_url(re.compile(rf"/programs/{program.uuid}/manage/$"))
    assert_accessible(page)

    # Import: the real file input, then a preview with what happens to each row.
    page.get_by_role("link", name=t("Import participants")).click()
    page.get_by_label(t("CSV file")).wait_for()
    assert_accessible(page)
    page.get_by_label(t("CSV file")).set_input_files(people)
    page.get_by_role("button", name=t("Check the file")).click()
    page.wait_for_url(re.compile(r"/manage/import/[0-9a-f-]+/$"))
    expect(
        page.get_by_text(
            tn(
                "%(name)s: %(n)s person, no problem found.",
                "%(name)s: %(n)s people, no problem found.",
                5,
            )
            % {"name": "residents.csv", "n": 5}
        )
    ).to_be_visible()
    assert_accessible(page)
    preview = page.locator("main table tbody tr")
    expect(preview).to_have_count(5)
    expected_actions = {
        "ana@example.org": "on MedMentor: added to the program and notified",
        "marc@example.org": "new to MedMentor: account created and invited by e-mail",
        "amira@example.org": "new to MedMentor: account created and invited by e-mail",
        "ben@example.org": "new to MedMentor: account created and invited by e-mail",
        "chloe@example.org": "already a participant: updated",
    }
    for email, action in expected_actions.items():
        expect(preview.filter(has_text=email)).to_contain_text(t(action))
    assert not Membership.objects.filter(user__email="marc@example.org").exists()
    page.get_by_role("button", name=t("Import these people")).click()
    page.wait_for_url(re.compile(rf"/programs/{program.uuid}/manage/members/$"))
    expect(
        page.get_by_text(
            t("Imported: %(invited)d invited by e-mail, %(added)d added, %(updated)d updated.")
            % {"invited": 3, "added": 1, "updated": 1}
        )
    ).to_be_visible()
    assert_accessible(page)

    # Run a stable round; the page polls while it runs, so wait for the result table.
    page.get_by_role("link", name=t("Match rounds")).click()
    page.get_by_label(t("Stable: nobody would rather swap")).wait_for()
    assert_accessible(page)
    page.get_by_label(t("Stable: nobody would rather swap")).check()
    page.get_by_role("button", name=t("Run the round")).click()
    page.wait_for_url(re.compile(r"/manage/rounds/[0-9a-f-]+/$"))
    proposals = page.locator("table.round-proposals tbody tr")
    expect(proposals).to_have_count(3)
    expect(
        page.get_by_role("heading", name=tn("%(n)s proposal", "%(n)s proposals", 3) % {"n": 3})
    ).to_be_visible()
    expect(
        page.get_by_role(
            "heading", name=tn("%(n)s person unmatched", "%(n)s people unmatched", 0) % {"n": 0}
        )
    ).to_be_visible()
    assert_accessible(page)

    def reason(english: str) -> str:
        """An engine's reason as the coordinator reads it (stored in English)."""
        if language == "en":
            return english
        with translation.override(language):
            return localize_reason(english, language, english_labels=True)

    # A proposal shows its score, the four Cs as bars, and the engine's reasons.
    amira = proposals.filter(has_text="Amira Haddad")
    expect(amira).to_contain_text("Dr. Ana Silva")
    for component in ("consideration", "camaraderie", "commonality", "confidentiality"):
        expect(amira.locator(".four-cs li", has_text=t(component))).to_be_visible()
    expect(amira.locator("meter")).to_have_count(4)
    expect(amira).to_contain_text(reason("both Family Medicine"))
    expect(amira).to_contain_text(reason("shared interests: Medical education and Research"))
    expect(proposals.filter(has_text="Ben Roy")).to_contain_text("Dr. Marc Côté")

    # Lock the pair, then publish.
    publish_and_tell = re.compile(
        "^"
        + re.escape(
            tn("Publish and tell %(people)s person", "Publish and tell %(people)s people", 6)
            % {"people": 6}
        ).replace("6", r"\d+")
        + "$"
    )
    published_on = t("Published on %(when)s: each pair sees its proposal and answers it.")
    published_on = published_on.split("%(when)s")[0]
    amira.get_by_role("button", name=f"{t('Lock')} Amira Haddad · Dr. Ana Silva").click()
    expect(
        page.get_by_text(
            t("%(mentee)s and %(mentor)s are locked.")
            % {"mentee": "Amira Haddad", "mentor": "Dr. Ana Silva"}
        )
    ).to_be_visible()
    expect(proposals.filter(has_text="Amira Haddad").locator(".badge")).to_have_text(t("locked"))
    assert_accessible(page)
    page.get_by_role("button", name=t("Publish"), exact=True).click()
    page.get_by_role("button", name=publish_and_tell).wait_for()
    assert_accessible(page)
    # Asked to confirm, with the number of people who will be told.
    page.get_by_role("button", name=publish_and_tell).click()
    expect(
        page.get_by_text(t("The round is published: both people of each pair are told now."))
    ).to_be_visible()
    expect(page.get_by_text(re.compile("^" + re.escape(published_on)))).to_be_visible()
    expect(page.get_by_role("button", name=t("Lock"), exact=False)).to_have_count(0)
    assert_accessible(page)

    match_round = MatchRound.objects.get(program=program)
    assert match_round.status == RoundStatus.PUBLISHED
    assert match_round.algorithm == "stable"
    locked = Proposal.objects.get(round=match_round, locked=True)
    assert (locked.mentee.email, locked.mentor.email) == ("amira@example.org", "ana@example.org")
    assert Proposal.objects.filter(round=match_round, status="published").count() == 3


@pytest.mark.parametrize("language", ["en", "fr"])
def test_mentee_and_mentor_accept_their_proposal_and_both_see_the_mentorship(
    live_server, page, second_page, language
):
    base = live_server.url
    t, _tn, program_name = _in(language)
    program = ProgramFactory(
        name_en=PROGRAM, name_fr=PROGRAM_FR, audience="residents", matching_mode="rounds"
    )
    coordinator = MembershipFactory(program=program, role=Role.COORDINATOR).user
    mentee = UserFactory(email="amira@example.org", name="Amira Haddad")
    make_mentee(user=mentee, interests=["research"])
    MembershipFactory(program=program, user=mentee, role=Role.MENTEE)
    mentor = UserFactory(email="jean@example.org", name="Dr. Jean Tremblay")
    make_mentor(user=mentor, mentor_capacity=1, interests=["research"])
    MembershipFactory(program=program, user=mentor, role=Role.MENTOR)
    match_round = publish(run_round(program, coordinator), coordinator)
    proposal = Proposal.objects.get(round=match_round)

    # The mentee sees the proposal on the dashboard, opens it and accepts.
    use_language(page, base, language)
    log_in(page, base, "amira@example.org")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    todo = page.locator("section", has=page.get_by_role("heading", name=t("Waiting for you")))
    todo.get_by_role(
        "link",
        name=t("%(program)s proposes %(name)s as your mentor: accept or decline")
        % {"program": program_name, "name": "Dr. Jean Tremblay"},
    ).click()
    page.wait_for_url(re.compile(rf"/programs/proposals/{proposal.uuid}/$"))
    expect(page.get_by_role("heading", name=t("A mentorship proposal"))).to_be_visible()
    expect(
        page.get_by_text(
            t("%(name)s proposes %(other)s as your mentor.")
            % {"name": program_name, "other": "Dr. Jean Tremblay"}
        )
    ).to_be_visible()
    expect(page.get_by_text(t("Why this pair:"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=t("Accept")).click()
    expect(
        page.get_by_text(t("You accepted; the other person has not answered yet."))
    ).to_be_visible()
    expect(page.get_by_role("button", name=t("Accept"))).to_have_count(0)
    assert_accessible(page)
    assert not Mentorship.objects.exists()

    # The mentor accepts from their own dashboard, in another browser.
    jean = second_page
    use_language(jean, base, language)
    log_in(jean, base, "jean@example.org")
    expect(jean.locator("html")).to_have_attribute("lang", language)
    jean.get_by_role(
        "link",
        name=t("%(program)s proposes that you mentor %(name)s: accept or decline")
        % {"program": program_name, "name": "Amira Haddad"},
    ).click()
    jean.wait_for_url(re.compile(rf"/programs/proposals/{proposal.uuid}/$"))
    assert_accessible(jean)
    jean.get_by_role("button", name=t("Accept")).click()
    expect(jean.get_by_text(t("You both accepted: your mentorship has started."))).to_be_visible()
    expect(jean.get_by_role("link", name=t("Open the mentorship"))).to_be_visible()
    assert_accessible(jean)

    # "My mentorships" on both dashboards.
    jean.goto(base + DASHBOARD)
    mine = jean.locator("section", has=jean.get_by_role("heading", name=t("My mentorships")))
    expect(
        mine.get_by_role("link", name=t("Mentoring %(name)s") % {"name": "Amira Haddad"})
    ).to_be_visible()
    expect(mine).to_contain_text(program_name)
    assert_accessible(jean)

    page.goto(base + DASHBOARD)
    mine = page.locator("section", has=page.get_by_role("heading", name=t("My mentorships")))
    expect(
        mine.get_by_role("link", name=t("Mentored by %(name)s") % {"name": "Dr. Jean Tremblay"})
    ).to_be_visible()
    # The proposal is answered; what waits now is the pair's agreement.
    todo = page.locator("section", has=page.get_by_role("heading", name=t("Waiting for you")))
    expect(
        todo.get_by_role(
            "link",
            name=re.compile(
                re.escape(
                    t("%(program)s proposes %(name)s as your mentor: accept or decline").split(
                        "%(name)s"
                    )[1]
                )
            ),
        )
    ).to_have_count(0)
    expect(
        todo.get_by_role(
            "link",
            name=t("Sign your mentorship agreement with %(name)s") % {"name": "Dr. Jean Tremblay"},
        )
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation").get_by_role("link", name=t("My mentorships")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(
        page.get_by_role("link", name=t("Mentored by %(name)s") % {"name": "Dr. Jean Tremblay"})
    ).to_be_visible()
    assert_accessible(page)

    mentorship = Mentorship.objects.get()
    assert (mentorship.mentee, mentorship.mentor) == (mentee, mentor)
    assert mentorship.source == Source.ROUND


def test_the_result_page_polls_then_the_coordinator_hand_pairs_breaks_reruns_and_compares(
    live_server, page, monkeypatch
):
    """The round stays queued (no task runs) until the test runs it, as a worker would:
    the page shows its progress and refreshes itself when the result is stored."""
    queued: list[int] = []
    monkeypatch.setattr(run, "run_match_round", SimpleNamespace(enqueue=queued.append))
    base = live_server.url
    world = round_program(name_en=PROGRAM, audience="residents", matching_mode="rounds")
    amira = world.add_mentee("Amira Haddad")
    ben = world.add_mentee("Ben Roy")
    chloe = world.add_mentee("Chloé Lee")
    ana = world.add_mentor("Dr. Ana Silva", capacity=1)
    marc = world.add_mentor("Dr. Marc Côté", capacity=1)

    log_in(page, base, world.coordinator.email)
    page.goto(f"{base}/programs/{world.program.uuid}/manage/rounds/")
    page.get_by_role("button", name="Run the round").click()
    page.wait_for_url(re.compile(r"/manage/rounds/[0-9a-f-]+/$"))
    progress = page.locator("#round-progress")
    expect(progress).to_contain_text("Queued")
    assert_accessible(page)
    expect(page.locator("table.round-proposals")).to_have_count(0)

    [first_id] = queued
    round_execute(match_round_id=first_id)  # the worker's part
    proposals = page.locator("table.round-proposals tbody tr")
    expect(proposals).to_have_count(2)  # two places for three mentees
    expect(page.locator("#round-progress")).to_have_count(0)
    unmatched = page.locator("section", has=page.get_by_role("heading", name="1 person unmatched"))
    expect(unmatched).to_be_visible()
    first = MatchRound.objects.get(pk=first_id)
    left_out = User.objects.get(pk=first.unmatched.get().user_id)
    expect(unmatched).to_contain_text(left_out.name)
    assert_accessible(page)

    # By hand: inside a reporting line the pair is refused, next to the field.
    reporting_line_add(person=left_out, other=ana, kind="supervisor")
    page.get_by_role("link", name="Pair two people by hand").click()
    page.get_by_label("Mentee").select_option(label=left_out.name)
    page.get_by_label("Mentor").select_option(label="Dr. Ana Silva")
    page.get_by_role("button", name="Check and pair").click()
    mentor_field = page.locator(".field", has=page.get_by_label("Mentor"))
    expect(mentor_field).to_have_class(re.compile("field-invalid"))
    expect(mentor_field).to_contain_text("keeps these two apart: they cannot be paired.")
    assert_accessible(page)
    assert first.proposals.count() == 2

    # With the other mentor, who is full: a warning to confirm, then the pair is made.
    page.get_by_label("Mentor").select_option(label="Dr. Marc Côté")
    page.get_by_role("button", name="Check and pair").click()
    warnings = page.locator("#pair-warnings")
    expect(warnings).to_contain_text("This pair breaks rules of the program:")
    expect(warnings).to_contain_text("over capacity")
    assert_accessible(page)
    page.get_by_role("button", name="Pair them anyway").click()
    expect(
        page.get_by_text(f"{left_out.name} and Dr. Marc Côté are paired by hand.")
    ).to_be_visible()
    hand = proposals.filter(has_text=left_out.name)
    expect(hand.locator(".badge")).to_have_text(["locked", "by hand"])
    expect(hand).to_contain_text("Breaks:")
    expect(proposals).to_have_count(3)
    expect(page.get_by_text("1 over capacity")).to_be_visible()
    assert_accessible(page)

    # Break Marc's other pair, then run again around the fixed pairs.
    other = Proposal.objects.get(round=first, mentor=marc, origin="engine")
    name = f"{other.mentee.name} · Dr. Marc Côté"
    page.get_by_role("button", name=f"Break {name}").click()
    expect(
        page.get_by_text(f"{other.mentee.name} and Dr. Marc Côté are no longer paired.")
    ).to_be_visible()
    expect(proposals).to_have_count(2)
    page.get_by_role("button", name="Re-run around the locked pairs").click()
    expect(page.locator("#round-progress")).to_be_visible()
    [_, second_id] = queued
    round_execute(match_round_id=second_id)
    expect(page.get_by_role("link", name="re-run of an earlier round")).to_be_visible()
    expect(proposals.filter(has_text=left_out.name)).to_contain_text("Dr. Marc Côté")
    assert_accessible(page)

    # Compare with the first run.
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Compare two rounds")).to_be_visible()
    assert_accessible(page)
    in_both = _pairs(first_id) & _pairs(second_id)
    assert (left_out.pk, marc.pk) in in_both  # the hand pair was kept
    expect(page.get_by_role("row", name=re.compile("^Pairs in both"))).to_contain_text(
        str(len(in_both))
    )
    kept = page.locator("table").filter(has_text="Mentee").last  # the pairs in both
    expect(kept.get_by_role("row", name=re.compile(left_out.name))).to_contain_text("Dr. Marc Côté")

    second = MatchRound.objects.get(pk=second_id)
    assert second.rerun_of_id == first_id
    assert (left_out.pk, marc.pk) in set(second.proposals.values_list("mentee_id", "mentor_id"))
    assert left_out in (amira, ben, chloe)


def test_a_mentee_picks_a_mentor_gets_that_proposal_and_declines_it_privately(
    live_server, page, second_page
):
    base = live_server.url
    world = round_program(name_en=PROGRAM, audience="residents", matching_mode="rounds")
    mentee = UserFactory(email="amira@example.org", name="Amira Haddad")
    make_mentee(user=mentee, specialty="family-medicine", interests=["research"])
    MembershipFactory(program=world.program, user=mentee, role=Role.MENTEE)
    world.add_mentor(
        "Dr. Best Fit", specialty="family-medicine", interests=["research"], capacity=1
    )
    chosen = UserFactory(email="jean@example.org", name="Dr. Jean Tremblay")
    make_mentor(user=chosen, specialty="psychiatry", province="QC", mentor_capacity=1)
    MembershipFactory(program=world.program, user=chosen, role=Role.MENTOR)

    # Before the round, the mentee names the mentor they prefer (not the best score).
    log_in(page, base, "amira@example.org")
    page.goto(f"{base}/programs/{world.program.uuid}/")
    page.get_by_role("link", name="Name your preferred matches for the next round").click()
    candidates = page.locator(".result")
    expect(candidates.first).to_contain_text("Dr. Best Fit")  # ranked by fit
    candidates.filter(has_text="Dr. Jean Tremblay").get_by_role(
        "button", name="Add to my choices"
    ).click()
    choices = page.locator("section", has=page.get_by_role("heading", name="Your choices"))
    expect(choices.locator("ol li")).to_have_count(1)
    expect(choices).to_contain_text("Dr. Jean Tremblay")
    assert_accessible(page)

    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round, mentee=mentee)
    assert proposal.mentor == chosen

    # The mentee declines with a private reason.
    page.goto(base + DASHBOARD)
    page.get_by_role(
        "link", name=f"{PROGRAM} proposes Dr. Jean Tremblay as your mentor: accept or decline"
    ).click()
    page.get_by_label("Your reason (optional, private)").fill("We work in the same clinic.")
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_text("You declined this proposal.")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("Declined")
    assert_accessible(page)

    # The mentor sees the proposal declined, without the reason.
    jean = second_page
    log_in(jean, base, "jean@example.org")
    expect(jean.get_by_role("link", name=re.compile("proposes that you mentor"))).to_have_count(0)
    jean.goto(base + "/programs/proposals/")
    row = jean.get_by_role("row", name=re.compile("Amira Haddad"))
    expect(row).to_contain_text("Declined")
    assert_accessible(jean)
    row.get_by_role("link", name="Amira Haddad").click()
    expect(jean.get_by_text("Why this pair:")).to_be_visible()
    assert_accessible(jean)
    assert_accessible(page)
    assert "same clinic" not in jean.content()

    # The coordinator finds the mentee back in the pool.
    page.context.clear_cookies()
    log_in(page, base, world.coordinator.email)
    page.goto(f"{base}/programs/{world.program.uuid}/manage/rounds/")
    pool = page.locator("section", has=page.get_by_role("heading", name="The pool"))
    expect(pool.locator("div", has_text="Mentees to match")).to_contain_text("1")
    expect(page.get_by_role("button", name="Run the round")).to_be_enabled()
    assert_accessible(page)


def test_a_french_speaking_mentee_reads_why_this_pair_in_french(live_server, french_page):
    base = live_server.url
    world = round_program(name_en=PROGRAM, audience="residents", matching_mode="rounds")
    mentee = UserFactory(email="amelie@example.org", name="Amélie Roy", language="fr")
    make_mentee(user=mentee, specialty="family-medicine", goals_sought=["academic-career"])
    MembershipFactory(program=world.program, user=mentee, role=Role.MENTEE)
    world.add_mentor(
        "Dr. Jean Tremblay", specialty="family-medicine", goals_offered=["academic-career"]
    )
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round)

    page = french_page
    log_in(page, base, "amelie@example.org")
    page.goto(f"{base}/programs/proposals/{proposal.uuid}/")
    why = page.locator("main p", has=page.locator("strong")).first  # "Why this pair:"
    expect(why).to_contain_text("Médecine familiale")  # as the mentor search says it
    expect(why).to_contain_text("Carrière universitaire et promotion")
    expect(why).not_to_contain_text("Family Medicine")
    assert_accessible(page)


def test_on_a_phone_the_coordinators_pages_do_not_scroll_sideways(live_server, browser):
    base = live_server.url
    world = round_program(mentees=4, mentors=2, capacity=2, name_en=PROGRAM)
    match_round = run_round(world.program, world.coordinator)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    log_in(page, base, world.coordinator.email)
    for path in (DASHBOARD, f"/programs/{world.program.uuid}/manage/rounds/{match_round.uuid}/"):
        page.goto(base + path)
        assert_accessible(page)  # no sideways scrolling at 390 px
    phone.close()
