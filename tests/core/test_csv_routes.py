"""Every CSV the site writes, found in the URL conf, with text that a spreadsheet would run
as a formula in every place a person can type it: no cell comes out as a formula.

A CSV route this test does not know how to open fails it, so a new export cannot ship
without the check."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from medmentor.events.models import Event, EventRole
from medmentor.events.services.authoring import event_save
from medmentor.events.services.enrolment import event_enrol
from medmentor.events.services.schedule import event_schedule_build
from medmentor.matchrounds.models import MatchRound
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import Meeting
from medmentor.mentorships.services.meetings import meeting_log
from tests.directory.factories import ListingFactory
from tests.events.support import event_values
from tests.factories import logged_in_client
from tests.matchrounds.rounds_factories import answer, publish, round_program, run_round
from tests.mentorships.factories import past_meeting
from tests.surveys.support import named_survey_csv

FORMULA = '=HYPERLINK("http://evil.example","x")'
STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_routes() -> Iterator[str]:
    """``namespace:name`` of every URL pattern that answers a CSV file."""

    def walk(patterns: list[object], prefix: str, namespace: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or "")
            elif isinstance(pattern, URLPattern) and ".csv" in prefix + str(pattern.pattern):
                yield f"{namespace}:{pattern.name}"

    yield from walk(get_resolver().url_patterns, "", "")


@pytest.fixture
def formulas_everywhere(db):
    """A program, a round, a mentorship with a logged meeting, a directory listing: every
    name and free text a CSV carries starts like a formula."""
    world = round_program(name_en=FORMULA)
    mentee = world.add_mentee(name=FORMULA)
    mentor = world.add_mentor(name="@SUM(1+1)", capacity=2)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    for proposal in match_round.proposals.all():
        answer(proposal, mentee=True, mentor=True)
    mentorship = mentee.mentorships_as_mentee.get()
    access = get_mentorship_for(mentor, mentorship.uuid)
    meeting_log(
        access=access,
        meeting=past_meeting(access),
        discussed="-1+2 what we discussed",
        next_steps="",
        minutes_spent=45,
    )
    ListingFactory(name_en=FORMULA, organisation_en="+1-800 formula")
    # A speed-mentoring event of the program with the same two people, its schedule built.
    event = event_save(
        program=world.program, by=world.coordinator, **event_values(title=FORMULA, tables=1)
    )
    event_enrol(event=event, by=world.coordinator, users=[mentor], role=EventRole.MENTOR)
    event_enrol(event=event, by=world.coordinator, users=[mentee], role=EventRole.MENTEE)
    event_schedule_build(event=event, by=world.coordinator)
    return world, mentor, match_round


def openers(world, mentor, match_round: MatchRound) -> dict[str, Callable[[], object]]:
    coordinator = logged_in_client(world.coordinator)
    program = world.program.uuid
    return {
        "directory:export": lambda: logged_in_client(None).get(reverse("directory:export")),
        "exports:csv": lambda: coordinator.get(reverse("exports:csv", args=[program, "members"])),
        "imports:import_template": lambda: coordinator.get(
            reverse("imports:import_template", args=[program])
        ),
        "matchrounds:round_export": lambda: coordinator.get(
            reverse("matchrounds:round_export", args=[program, match_round.uuid])
        ),
        "dashboard:activity_csv": lambda: logged_in_client(mentor).get(
            reverse("dashboard:activity_csv")
        ),
        "reports:program_csv": lambda: coordinator.get(
            reverse("reports:program_csv", args=[program, "all"])
        ),
        "reports:rollup_csv": lambda: coordinator.get(reverse("reports:rollup_csv", args=["all"])),
        "surveys:results_csv": lambda: named_survey_csv(world.program, world.coordinator, FORMULA),
        "events:schedule_csv": lambda: coordinator.get(
            reverse(
                "events:schedule_csv",
                args=[program, Event.objects.get(program=world.program).uuid],
            )
        ),
    }


def test_no_csv_cell_is_a_formula(formulas_everywhere):
    world, mentor, match_round = formulas_everywhere
    known = openers(world, mentor, match_round)
    routes = set(csv_routes())
    assert routes - set(known) == set(), "a CSV route without a check: add it to openers()"
    assert Meeting.objects.filter(logged_at__isnull=False).exists()
    for route in sorted(routes):
        response = known[route]()
        assert response.status_code == 200, route
        text = response.getvalue().decode()
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert cells, route
        formulas = [cell for cell in cells if cell.startswith(STARTS)]
        assert formulas == [], (route, formulas)
    # The formulas were there to neutralise: they come out as text.
    exported = known["matchrounds:round_export"]().getvalue().decode()
    assert "'" + FORMULA in [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
