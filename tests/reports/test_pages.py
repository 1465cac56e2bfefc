"""The report's page, CSV files and API: who may see them, what they show, bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from medmentor.mentorships.models import Mentorship
from medmentor.programs.models import Role
from medmentor.reports.report import report_of
from medmentor.reports.scope import Scope
from medmentor.reports.tables import Hidden
from tests.factories import logged_in_client
from tests.programs.factories import IntakeQuestionFactory, MembershipFactory, ProgramFactory
from tests.reports.conftest import PERSONAS

ALLOWED = ("coordinator", "staff")


def page_url(world, **query):
    url = reverse("reports:program", args=[world.program.uuid])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def api_url(world):
    return f"/api/programs/{world.program.uuid}/report"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_programs_coordinators_and_staff_read_the_report(report_world, persona):
    client = report_world.client_for(persona)
    urls = [
        page_url(report_world),
        reverse("reports:program_csv", args=[report_world.program.uuid, "funnel"]),
        api_url(report_world),
    ]
    for url in urls:
        response = client.get(url)
        if persona in ALLOWED:
            assert response.status_code == 200, url
        elif persona == "anonymous" and not url.startswith("/api/"):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        else:
            assert response.status_code == 404, (persona, url)
            assert b"Mentees enrolled" not in response.content


def test_another_programs_coordinator_gets_nothing_even_in_a_roll_up(report_world):
    client = report_world.client_for("other_coordinator")
    rollup = client.get(reverse("reports:rollup"))
    assert rollup.status_code == 200
    assert report_world.program.name not in rollup.content.decode()
    assert report_world.other_program.name in rollup.content.decode()
    asked = client.get(reverse("reports:rollup"), {"program": str(report_world.program.uuid)})
    assert asked.status_code == 422
    assert report_world.program.name not in asked.content.decode()
    assert report_world.client_for("outsider").get(reverse("reports:rollup")).status_code == 404


def test_the_page_shows_every_section_with_charts_and_tables(report_world):
    page = report_world.client_for("coordinator").get(page_url(report_world))
    html = page.content.decode()
    for title in ("Funnel", "Engagement and health", "Outcomes", "Equity"):
        assert f">{title}</h2>" in html
    assert html.count("<svg") >= 4  # funnel, months, before and after for each side
    assert "<table>" in html
    mentees = page.context["report"].table("funnel").row("mentees_enrolled")
    assert f">{mentees.cells[str(report_world.program.uuid)]}</td>" in html
    assert "&lt; 5" in html  # three people wait for approval
    # No person appears: no name, no address.
    for person in [*report_world.mentees, *report_world.mentors]:
        assert person.name not in html
        assert person.email not in html


def test_the_api_gives_the_same_figures_with_null_where_hidden(report_world):
    response = report_world.client_for("coordinator").get(api_url(report_world))
    data = response.json()
    report = report_of(Scope(programs=(report_world.program,)))
    column = str(report_world.program.uuid)
    funnel = report.table("funnel")
    for key in ("mentees_enrolled", "mentors_enrolled", "mentorships_active", "mentorships_closed"):
        assert data["funnel"][key] == funnel.row(key).cells[column]
        assert isinstance(data["funnel"][key], int)
    assert funnel.row("mentees_pending").cells[column] is Hidden.FEW
    assert data["funnel"]["mentees_pending"] is None
    mentee = {row["dimension"]: row for row in data["outcomes"]["mentee"]}
    table = report.table("outcomes_mentee")
    assert mentee["guidance"]["baseline_mean"] == table.row("guidance").cells["baseline_mean"]
    assert mentee["guidance"]["closure_mean"] == table.row("guidance").cells["closure_mean"]
    assert mentee["guidance"]["n"] == table.row("guidance").cells["closure_n"]
    assert {item["attribute"] for item in data["equity"]} >= {"gender", "career_stage"}
    assert data["min_group_size"] == 5


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-02-30"}, "start", "YYYY-MM-DD"),
        ({"end": "soon"}, "end", "YYYY-MM-DD"),
        ({"start": "2026-06-01", "end": "2026-01-01"}, "end", "comes before the start"),
        ({"start": "2015-01-01", "end": "2026-01-01"}, "start", "five years at most"),
        ({"cohort": "round:nope"}, "cohort", "not one of the available choices"),
    ],
)
def test_bad_filters_name_the_field_and_never_fail(report_world, query, field, message):
    client = report_world.client_for("coordinator")
    page = client.get(page_url(report_world), query)
    assert page.status_code == 422
    assert message in " ".join(page.context["form"].errors[field])
    assert page.context["report"] is None
    api = client.get(api_url(report_world), query)
    assert api.status_code == 422
    assert any(e["field"] == field and message in e["message"] for e in api.json()["errors"])
    csv_file = client.get(
        reverse("reports:program_csv", args=[report_world.program.uuid, "funnel"]), query
    )
    assert csv_file.status_code == 422
    assert field in csv_file.content.decode()


def test_an_unknown_table_is_not_found(report_world):
    client = report_world.client_for("coordinator")
    url = reverse("reports:program_csv", args=[report_world.program.uuid, "nothing"])
    assert client.get(url).status_code == 404


def test_every_table_exports_as_csv_with_formulas_neutralised(report_world):
    program = report_world.program
    program.name_en = '=HYPERLINK("http://evil.example","Click")'
    program.save()
    IntakeQuestionFactory(program=program, text_en="@SUM(1+1) Where did you train?")
    client = report_world.client_for("coordinator")
    funnel = client.get(reverse("reports:program_csv", args=[program.uuid, "funnel"]))
    assert funnel["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'attachment; filename="hyperlinkhttpevilexampleclick-funnel-'
        in (funnel["Content-Disposition"])
    )
    rows = list(csv.reader(io.StringIO(funnel.getvalue().decode())))
    assert rows[0] == ["Figure", "'" + program.name_en]
    assert rows[1][0] == "Mentees enrolled"
    assert ["  Pending approval", "<5"] in rows
    every = client.get(reverse("reports:program_csv", args=[program.uuid, "all"])).getvalue()
    cells = [cell for row in csv.reader(io.StringIO(every.decode())) for cell in row]
    assert "'@SUM(1+1) Where did you train?" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert "Meetings and hours, month by month" in cells


def test_a_program_with_few_people_shows_no_small_figures(db):
    program = ProgramFactory()
    coordinator = MembershipFactory(program=program, role=Role.COORDINATOR).user
    for _ in range(3):
        MembershipFactory(program=program, role=Role.MENTEE)
    client = logged_in_client(coordinator)
    data = client.get(f"/api/programs/{program.uuid}/report").json()
    assert data["funnel"]["mentees_enrolled"] is None
    assert data["outcomes"]["mentee"] is None  # the section has fewer than five answers
    html = client.get(reverse("reports:program", args=[program.uuid])).content.decode()
    assert "Fewer than 5 answers" in html


def test_the_roll_up_shows_each_program_and_their_total(report_world):
    second = ProgramFactory(name_en="Second Program")
    MembershipFactory(program=second, role=Role.COORDINATOR, user=report_world.coordinator)
    for _ in range(7):
        MembershipFactory(program=second, role=Role.MENTEE)
    for _ in range(2):
        MembershipFactory(program=second, role=Role.MENTOR)
    page = report_world.client_for("coordinator").get(reverse("reports:rollup"))
    assert page.status_code == 200
    report = page.context["report"]
    first, other = str(report_world.program.uuid), str(second.uuid)
    assert [p.pk for p in report.scope.programs] == sorted(
        [report_world.program.pk, second.pk], key=lambda pk: pk != report_world.program.pk
    ) or {p.pk for p in report.scope.programs} == {report_world.program.pk, second.pk}
    funnel = report.table("funnel")
    mentees = funnel.row("mentees_enrolled").cells
    assert mentees["total"] == mentees[first] + mentees[other]
    # Two mentors in the second program: hidden there, and its complement with them, so
    # that the total cannot give them away.
    mentors = funnel.row("mentors_enrolled").cells
    assert mentors[other] is Hidden.FEW
    assert mentors[first] is Hidden.COMPLEMENT or mentors["total"] is Hidden.COMPLEMENT
    for row in funnel.rows:
        values = [row.cells[first], row.cells[other], row.cells["total"]]
        if all(isinstance(v, int) for v in values):
            assert values[2] == values[0] + values[1], row.key
    html = page.content.decode()
    assert "All programs" in html
    assert "Second Program" in html


def test_the_report_reads_in_french(report_world):
    client = report_world.client_for("coordinator")
    with translation.override("fr"):
        page = client.get(page_url(report_world), HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="fr">' in html
    for french in ("Entonnoir", "Résultats", "Équité", "Personnes mentorées inscrites"):
        assert french in html, french


def test_a_pair_is_never_identified_in_the_report(report_world):
    mentorship = Mentorship.objects.filter(program=report_world.program).first()
    client = report_world.client_for("staff")
    data = json.dumps(client.get(api_url(report_world)).json())
    assert str(mentorship.uuid) not in data
    assert mentorship.mentee.name not in data


def test_figures_are_counted_once_for_a_few_minutes(report_world, settings):
    client = report_world.client_for("coordinator")
    first = client.get(api_url(report_world)).json()
    MembershipFactory(program=report_world.program, role=Role.MENTOR)
    again = client.get(api_url(report_world)).json()
    assert again["counted_at"] == first["counted_at"]
    assert again["funnel"]["mentors_enrolled"] == first["funnel"]["mentors_enrolled"]
    page = client.get(page_url(report_world))
    assert page.context["report"].counted_at.isoformat().startswith(first["counted_at"][:19])
    settings.REPORTS_CACHE_SECONDS = 0
    fresh = client.get(api_url(report_world)).json()
    assert fresh["funnel"]["mentors_enrolled"] == first["funnel"]["mentors_enrolled"] + 1
