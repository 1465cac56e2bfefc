"""CSV import of participants: template, bad input by row and column, preview, confirm."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.accounts.services import account_delete
from medmentor.imports.models import ParticipantImport
from medmentor.imports.parsing import (
    COLUMN_NAMES,
    ImportProblems,
    participants_parse,
)
from medmentor.imports.services import import_confirm, import_prepare
from medmentor.notifications.models import Notification
from medmentor.profiles.models import Profile, ReportingLine
from medmentor.programs.models import Membership, Role, Status
from tests.factories import UserFactory
from tests.imports.import_data import participant_rows, participants_csv, to_csv
from tests.programs.personas import ALLOWED, COORDINATOR_MATRIX, FORBIDDEN, LOGIN, NOT_FOUND

DATA = Path(__file__).parent / "data"


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Profile.objects.count(), Membership.objects.count()


def upload(client, program, content: bytes, name: str = "people.csv"):
    return client.post(
        reverse("imports:import", args=[program.uuid]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def preview_and_confirm(client, program, content: bytes):
    response = upload(client, program, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response.url)
    batch = ParticipantImport.objects.get(uuid=response.url.rstrip("/").split("/")[-1])
    confirmed = client.post(reverse("imports:import_confirm", args=[program.uuid, batch.uuid]))
    return preview, confirmed


# --- Access --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", COORDINATOR_MATRIX)
def test_import_pages_follow_the_coordinator_matrix(world, persona):
    expected = COORDINATOR_MATRIX[persona]
    client = world.client_for(persona)
    for name in ("imports:import", "imports:import_template"):
        response = client.get(reverse(name, args=[world.program.uuid]))
        status = {ALLOWED: 200, FORBIDDEN: 403, NOT_FOUND: 404, LOGIN: 302}[expected]
        assert response.status_code == status, (name, persona)
    before = counts()
    response = upload(client, world.program, (DATA / "good.csv").read_bytes())
    if expected == ALLOWED:
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403, 404)
        assert not ParticipantImport.objects.exists()
    assert counts() == before


def test_a_preview_is_only_for_the_coordinator_who_uploaded_it(world):
    client = world.client_for("coordinator")
    response = upload(client, world.program, (DATA / "good.csv").read_bytes())
    batch = ParticipantImport.objects.get()
    colleague = UserFactory()
    Membership.objects.create(
        program=world.program, user=colleague, role=Role.COORDINATOR, status=Status.ACTIVE
    )
    other = world.client_for("other_coordinator")
    for client_, status in ((other, 404), (world.client_for("mentee"), 403)):
        assert client_.get(response.url).status_code == status
        url = reverse("imports:import_confirm", args=[world.program.uuid, batch.uuid])
        assert client_.post(url).status_code == status
    world.colleague = colleague
    colleague_client = world.client_for("colleague")
    assert colleague_client.get(response.url).status_code == 404
    # Another program's coordinator cannot reach it through their own program either.
    url = reverse("imports:import_preview", args=[world.other_program.uuid, batch.uuid])
    assert other.get(url).status_code == 404
    assert User.objects.filter(email="ana@example.org").count() == 0


# --- The template ------------------------------------------------------------------------


def test_the_template_is_the_header_alone_and_the_page_gives_the_examples_and_codes(world):
    client = world.client_for("coordinator")
    page = client.get(reverse("imports:import", args=[world.program.uuid])).content.decode()
    for column in ("email", "career_stage", "capacity", "languages", "mid-career", "QC"):
        assert column in page
    assert "<code>cardiology</code>" in page  # every specialty code is listed
    response = client.get(reverse("imports:import_template", args=[world.program.uuid]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    # No example person to forget and import by mistake.
    assert response.content.decode().splitlines() == [",".join(COLUMN_NAMES)]


def test_an_unknown_code_is_told_with_the_codes_that_would_do(world):
    rows = participant_rows(3)
    rows[0]["specialty"] = "cardiolgy"
    rows[1]["modality"] = "online"
    response = upload(world.client_for("coordinator"), world.program, to_csv(rows))
    page = response.content.decode()
    assert "“cardiolgy” is not a known code. Did you mean cardiology?" in page
    assert "“online” is not a known code. Use one of: " in page
    assert "in-person" in page[page.index("“online”") :]
    assert not ParticipantImport.objects.exists()


# --- Bad input: every problem by row and column, nothing written ---------------------------


BAD_FILES = [
    ("bad_header.csv", "1", "carreer_stage", "Unknown column"),
    ("bad_header.csv", "1", "career_stage", "This column is missing"),
    ("bad_email.csv", "3", "email", "is not a valid e-mail address"),
    ("unknown_specialty.csv", "3", "specialty", "“astrology” is not a known code"),
    ("duplicate.csv", "4", "email", "ana@example.org is already on row 2"),
    ("capacity_zero.csv", "2", "capacity", "A mentor takes 1 to 10 mentees at once"),
    ("non_utf8.csv", "3", "institution", "not UTF-8"),
    ("empty.csv", "the file", "", "The file is empty"),
    ("markup.csv", "3", "name", "without &lt; or &gt;"),
    ("markup.csv", "3", "institution", "without &lt; or &gt;"),
]


@pytest.mark.parametrize(("name", "row", "column", "message"), BAD_FILES)
def test_a_bad_file_is_reported_by_row_and_column_and_nothing_is_written(
    world, name, row, column, message
):
    before = counts()
    response = upload(world.client_for("coordinator"), world.program, (DATA / name).read_bytes())
    assert response.status_code == 422
    page = response.content.decode()
    assert "nothing was imported" in page
    cells = f"<td>{row}</td><td>{f'<code>{column}</code>' if column else ''}</td><td>"
    assert cells in page, page[page.find("<table") : page.find("</table>")]
    assert message in page
    assert counts() == before
    assert not ParticipantImport.objects.exists()
    assert not mail.outbox


def test_every_problem_of_a_file_is_listed_at_once(world):
    rows = participant_rows(5)
    rows[1]["email"] = "not-an-address"
    rows[2]["specialty"] = "astrology"
    rows[3]["capacity"] = "11"
    rows[4]["role"] = "sponsor"
    rows[0]["capacity"] = "0"
    with pytest.raises(ImportProblems) as error:
        participants_parse(to_csv(rows), program=world.program)
    found = {(p.row, p.column) for p in error.value.problems}
    assert {(3, "email"), (4, "specialty"), (6, "role"), (2, "capacity")} <= found
    assert (5, "capacity") not in found  # person 3 is a mentee: their capacity is ignored


def test_a_capacity_above_ten_and_a_mentor_without_one_are_refused(world):
    rows = participant_rows(10)
    rows[0]["capacity"] = "11"
    rows[5]["capacity"] = ""
    with pytest.raises(ImportProblems) as error:
        participants_parse(to_csv(rows), program=world.program)
    assert {(p.row, p.column) for p in error.value.problems} == {(2, "capacity"), (7, "capacity")}


def test_a_row_with_missing_cells_and_a_header_only_file(world):
    content = (DATA / "good.csv").read_bytes() + b"carl@example.org,Carl\r\n"
    with pytest.raises(ImportProblems) as error:
        participants_parse(content, program=world.program)
    assert [(p.row, p.column) for p in error.value.problems] == [(4, "")]
    header = (DATA / "good.csv").read_bytes().splitlines()[0]
    with pytest.raises(ImportProblems, match="problem"):
        participants_parse(header, program=world.program)


def test_the_programs_career_stages_are_checked(world):
    world.program.mentee_stages = ["resident"]
    world.program.save()
    with pytest.raises(ImportProblems) as error:
        participants_parse((DATA / "good.csv").read_bytes(), program=world.program)
    assert [(p.row, p.column) for p in error.value.problems] == [(3, "career_stage")]


def test_a_50_mb_upload_is_refused_without_reading_it(world):
    before = counts()
    big = b"email,name\r\n" + b"x" * (50 * 1024 * 1024)
    with mock.patch(
        "django.http.request.MultiPartParser", side_effect=AssertionError("body was parsed")
    ):
        response = upload(world.client_for("coordinator"), world.program, big)
    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is too big: the limit is 2.0" in page
    assert counts() == before
    assert not ParticipantImport.objects.exists()


def test_a_file_just_over_the_limit_is_refused_after_reading(world, settings):
    settings.IMPORT_MAX_BYTES = 2048
    content = participants_csv(40)
    assert 2048 < len(content) < 2048 + 64 * 1024
    response = upload(world.client_for("coordinator"), world.program, content)
    assert response.status_code == 413
    assert not ParticipantImport.objects.exists()


def test_a_forged_upload_without_the_csrf_token_is_refused(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    response = upload(client, world.program, (DATA / "good.csv").read_bytes())
    assert response.status_code == 403
    assert not ParticipantImport.objects.exists()
    # With the page's token, as a browser sends it, the upload goes through.
    form = client.get(reverse("imports:import", args=[world.program.uuid])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = client.post(
        reverse("imports:import", args=[world.program.uuid]),
        {
            "file": SimpleUploadedFile("people.csv", (DATA / "good.csv").read_bytes()),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert ParticipantImport.objects.count() == 1


def test_excel_utf8_with_bom_is_accepted(world):
    rows = participants_parse((DATA / "good_bom.csv").read_bytes(), program=world.program)
    assert [r["email"] for r in rows] == ["ana@example.org", "ben@example.org"]
    assert rows[1]["institution"] == "Université Laval"


# --- Preview and confirm -----------------------------------------------------------------


def test_preview_then_confirm_imports_people_profiles_and_memberships(
    world, django_capture_on_commit_callbacks
):
    client = world.client_for("coordinator")
    existing = UserFactory(email="Ana@Example.org", name="Ana Silva")
    response = upload(client, world.program, (DATA / "good.csv").read_bytes())
    assert response.status_code == 302
    preview = client.get(response.url).content.decode()
    assert "on MedMentor: added to the program and notified" in preview
    assert "new to MedMentor: account created and invited by e-mail" in preview
    assert "Import these people" in preview
    assert User.objects.count() == 7  # nothing yet: the world's six and Ana
    batch = ParticipantImport.objects.get()
    url = reverse("imports:import_confirm", args=[world.program.uuid, batch.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(url, follow=True)
    assert "Imported: 1 invited by e-mail, 1 added, 0 updated." in confirmed.content.decode()
    ana = User.objects.get(email="ana@example.org")
    assert ana == existing
    ben = User.objects.get(email="ben@example.org")
    assert not ben.has_usable_password()
    assert ben.language == "fr"
    profile = ben.profile
    assert profile.career_stage.code == "medical-student"
    assert profile.specialty.code == "pediatrics"
    assert profile.province.code == "QC"
    assert profile.is_mentee
    assert not profile.is_mentor
    assert sorted(profile.goals_sought.values_list("code", flat=True)) == ["research"]
    assert "ben roy" in profile.search_text
    assert "pediatrie" in profile.search_text
    assert ana.profile.is_mentor
    assert ana.profile.mentor_capacity == 2
    assert set(ana.profile.languages.values_list("code", flat=True)) == {"en", "fr"}
    assert ana.profile.languages_bits != 0
    memberships = Membership.objects.filter(program=world.program, status=Status.ACTIVE)
    assert memberships.filter(user=ana, role=Role.MENTOR).exists()
    assert memberships.filter(user=ben, role=Role.MENTEE).exists()
    assert memberships.get(user=ben).career_stage == "student"
    note = Notification.objects.get(recipient=ana, kind="programs.import_added")
    assert world.program.name_en in note.title
    invitation = next(m for m in mail.outbox if m.to == ["ben@example.org"])
    # Ben asked for French: one message, rendered in French only (the program's French
    # name; the catalogue's French wording comes with the lead's translation pass).
    assert world.program.name_fr in invitation.subject
    assert " / " not in invitation.subject
    assert "----------" not in invitation.body
    assert "/programs/welcome/" in invitation.body
    assert "/programs/welcome/" in invitation.alternatives[0][0]
    # The preview cannot be used twice.
    again = client.post(url, follow=True)
    assert "already been imported" in again.content.decode()
    assert User.objects.filter(email="ben@example.org").count() == 1


def test_reimport_updates_and_says_so_without_duplicates(world, django_capture_on_commit_callbacks):
    client = world.client_for("coordinator")
    rows = participant_rows(20)
    with django_capture_on_commit_callbacks(execute=True):
        preview_and_confirm(client, world.program, to_csv(rows))
    assert len(mail.outbox) == 20
    before = counts()
    for row in rows:
        if row["role"] != "mentee":
            row["capacity"] = "5"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        preview, confirmed = preview_and_confirm(client, world.program, to_csv(rows))
    assert preview.content.decode().count("already a participant: updated") == 20
    assert "0 invited by e-mail, 0 added, 20 updated" in client.get(confirmed.url).content.decode()
    assert counts() == before
    assert not mail.outbox
    mentor = Profile.objects.get(user__email="person0@import.example.org")
    assert mentor.mentor_capacity == 5


def test_a_withdrawn_participant_is_added_back(world, django_capture_on_commit_callbacks):
    membership = Membership.objects.get(user=world.mentee, program=world.program)
    membership.status = Status.WITHDRAWN
    membership.save()
    row = participant_rows(1, start=1)[0] | {"email": world.mentee.email}
    with django_capture_on_commit_callbacks(execute=True):
        preview, _ = preview_and_confirm(
            world.client_for("coordinator"), world.program, to_csv([row])
        )
    assert "added to the program" in preview.content.decode()
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE


def test_invitations_leave_on_commit_only_and_a_failed_confirm_sends_nothing(
    world, django_capture_on_commit_callbacks
):
    batch = import_prepare(
        program=world.program, coordinator=world.coordinator, data=participants_csv(5)
    )
    with django_capture_on_commit_callbacks() as callbacks:
        import_confirm(batch=batch, by=world.coordinator)
        assert not mail.outbox
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 5
    # A bilingual message for the person who gave no language.
    blank = next(m for m in mail.outbox if m.to == ["person2@import.example.org"])
    assert " / " in blank.subject
    assert "----------" in blank.body

    # A term retired between preview and confirmation: the whole file is refused.
    mail.outbox.clear()
    batch = import_prepare(
        program=world.program,
        coordinator=world.coordinator,
        data=participants_csv(5, domain="later.example.org"),
    )
    from medmentor.profiles.models import Modality
    from medmentor.profiles.taxonomy import taxonomy_changed

    Modality.objects.filter(code="either").update(active=False)
    taxonomy_changed()
    before = counts()
    callbacks = django_capture_on_commit_callbacks(execute=True)
    with callbacks, pytest.raises(ValidationError, match="no longer"):
        import_confirm(batch=batch, by=world.coordinator)
    assert counts() == before
    assert not mail.outbox


def test_an_expired_or_altered_preview_cannot_be_imported(world):
    client = world.client_for("coordinator")
    response = upload(client, world.program, (DATA / "good.csv").read_bytes())
    batch = ParticipantImport.objects.get()
    batch.rows[0]["capacity"] = 10
    batch.save()
    url = reverse("imports:import_confirm", args=[world.program.uuid, batch.uuid])
    assert "has changed since it was checked" in client.post(url, follow=True).content.decode()
    ParticipantImport.objects.filter(pk=batch.pk).update(
        expires_at=batch.created_at, rows=batch.rows
    )
    assert client.get(response.url).status_code == 410
    assert "has expired" in client.post(url, follow=True).content.decode()
    assert not User.objects.filter(email="ana@example.org").exists()


def test_an_account_deactivated_since_the_preview_stops_the_whole_import(world):
    """Between the preview and the click on "Import", staff deactivated someone the file
    names: the import is refused by row and column, and nobody is imported."""
    ben = UserFactory(email="ben@example.org", name="Ben Roy")
    client = world.client_for("coordinator")
    response = upload(client, world.program, (DATA / "good.csv").read_bytes())
    assert response.status_code == 302
    batch = ParticipantImport.objects.get()
    User.objects.filter(pk=ben.pk).update(is_active=False)
    before = counts()
    confirmed = client.post(
        reverse("imports:import_confirm", args=[world.program.uuid, batch.uuid]), follow=True
    )
    assert (
        "Row 3, column email: This account has been deactivated; remove the row."
        in confirmed.content.decode()
    )
    assert counts() == before
    assert not User.objects.filter(email="ana@example.org").exists()
    batch.refresh_from_db()
    assert batch.confirmed_at is None


def test_a_colleague_cannot_import_another_coordinators_preview_even_by_the_service(world):
    """The pages hide a preview from everyone but its uploader (404); the service refuses
    a fellow coordinator too, so no other way in imports someone else's file."""
    batch = import_prepare(
        program=world.program, coordinator=world.coordinator, data=(DATA / "good.csv").read_bytes()
    )
    colleague = UserFactory()
    Membership.objects.create(
        program=world.program, user=colleague, role=Role.COORDINATOR, status=Status.ACTIVE
    )
    before = counts()
    with pytest.raises(ValidationError, match="Only the coordinator who uploaded the file"):
        import_confirm(batch=batch, by=colleague)
    assert counts() == before
    batch.refresh_from_db()
    assert batch.confirmed_at is None


def test_reporting_lines_declared_by_email_reach_the_new_account(world):
    ReportingLine.objects.create(
        person=world.mentor, other=None, other_email="ben@example.org", kind="supervisor"
    )
    batch = import_prepare(
        program=world.program,
        coordinator=world.coordinator,
        data=(DATA / "good.csv").read_bytes(),
    )
    import_confirm(batch=batch, by=world.coordinator)
    line = ReportingLine.objects.get(person=world.mentor)
    assert line.other == User.objects.get(email="ben@example.org")


def welcome_path_from(message) -> str:
    link = next(w for w in message.body.split() if "/programs/welcome/" in w)
    return "/" + link.split("/", 3)[-1]


def test_an_invited_person_chooses_a_password_and_lands_logged_in_on_their_profile(
    world, django_capture_on_commit_callbacks, client
):
    Profile.objects.update_or_create(
        user=world.coordinator, defaults={"display_name": "Dr. Claire Bouchard"}
    )
    batch = import_prepare(
        program=world.program, coordinator=world.coordinator, data=(DATA / "good.csv").read_bytes()
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(batch=batch, by=world.coordinator)
    path = welcome_path_from(next(m for m in mail.outbox if m.to == ["ben@example.org"]))

    page = client.get(path).content.decode()
    # Addressed to the invited person, naming who invited them and to what, by name.
    assert "Welcome to MedMentor, Ben Roy" in page
    assert f"Dr. Claire Bouchard, coordinator of {world.program.name}, has invited you" in page
    assert world.coordinator.email not in page
    assert "ben@example.org" not in page
    assert "Choose my password" in page
    assert not EmailAddress.objects.get(email="ben@example.org").verified

    # Two different passwords: nothing changes, the page says why.
    refused = client.post(
        path, {"new_password1": "a-long-new-passphrase", "new_password2": "another-one-entirely"}
    )
    assert refused.status_code == 200
    assert "password fields didn" in refused.content.decode()
    assert not User.objects.get(email="ben@example.org").has_usable_password()

    done = client.post(
        path, {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("profiles:onboarding")
    ben = User.objects.get(email="ben@example.org")
    assert client.session["_auth_user_id"] == str(ben.pk)
    assert ben.check_password("a-long-new-passphrase")
    assert EmailAddress.objects.get(email="ben@example.org").verified
    onboarding = client.get(done["Location"], follow=True)
    assert onboarding.status_code == 200
    assert "Your password is saved" in onboarding.content.decode()
    # The link is used up; the password works for the next login.
    client.logout()
    assert client.get(path).status_code == 404
    assert client.login(email="ben@example.org", password="a-long-new-passphrase")


def test_the_welcome_page_names_no_one_once_the_inviting_coordinator_has_left(
    world, django_capture_on_commit_callbacks, client
):
    """The coordinator who imported Ben deleted their account before Ben opened the link:
    the page still welcomes him, without a name or a program that would point to nobody."""
    batch = import_prepare(
        program=world.program, coordinator=world.coordinator, data=(DATA / "good.csv").read_bytes()
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(batch=batch, by=world.coordinator)
    path = welcome_path_from(next(m for m in mail.outbox if m.to == ["ben@example.org"]))
    account_delete(user=world.coordinator)

    page = client.get(path).content.decode()
    assert "Welcome to MedMentor, Ben Roy" in page
    assert "A program coordinator has invited you to MedMentor" in page
    assert world.program.name not in page
    assert "Choose my password" in page


# --- Size and speed --------------------------------------------------------------------------


def _confirm_queries(world, n: int, domain: str) -> int:
    batch = import_prepare(
        program=world.program,
        coordinator=world.coordinator,
        data=participants_csv(n, domain=domain),
    )
    with CaptureQueriesContext(connection) as queries:
        import_confirm(batch=batch, by=world.coordinator)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_file(world):
    small = _confirm_queries(world, 20, "small.example.org")
    large = _confirm_queries(world, 200, "large.example.org")
    # Bulk statements come in batches (SQLite binds at most 999 values a statement), so a
    # few more for ten times the people; never one a person.
    assert large - small < (200 - 20) / 10, (small, large)


def test_200_participants_import_through_the_pages(world, django_capture_on_commit_callbacks):
    client = world.client_for("coordinator")
    before_users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        preview, confirmed = preview_and_confirm(client, world.program, participants_csv(200))
    assert "200 people, no problem found" in preview.content.decode()
    assert confirmed.status_code == 302
    assert User.objects.count() == before_users + 200
    members = Membership.objects.filter(
        program=world.program, status=Status.ACTIVE, user__email__endswith="@import.example.org"
    )
    assert members.filter(role=Role.MENTOR).count() == 40
    assert members.filter(role=Role.MENTEE).count() == 180
    assert Profile.objects.filter(user__email__endswith="@import.example.org").count() == 200
    assert len(mail.outbox) == 200


def test_derived_profile_fields_match_what_the_profile_service_keeps(world):
    """The import computes search text, bit sets and completeness in bulk; the profile
    service recomputing them one by one finds the same values."""
    from medmentor.profiles.services import profile_update
    from tests.profiles.factories import make_mentor

    complete = make_mentor(user=UserFactory(email="person0@import.example.org"))
    assert complete.is_complete
    batch = import_prepare(
        program=world.program, coordinator=world.coordinator, data=participants_csv(30)
    )
    import_confirm(batch=batch, by=world.coordinator)
    fields = ("search_text", "languages_bits", "interests_bits", "goals_offered_bits")
    profiles = Profile.objects.filter(user__email__endswith="@import.example.org")
    assert profiles.count() == 30
    for profile in profiles:
        imported = {f: getattr(profile, f) for f in (*fields, "is_complete")}
        profile_update(profile=profile, data={})
        profile.refresh_from_db()
        assert imported == {f: getattr(profile, f) for f in (*fields, "is_complete")}
    assert Profile.objects.get(pk=complete.pk).is_complete  # the file kept it complete
    assert not Profile.objects.get(user__email="person1@import.example.org").is_complete


def test_an_unchanged_reimport_writes_no_profile_or_membership(world):
    data = participants_csv(50)
    import_confirm(
        batch=import_prepare(program=world.program, coordinator=world.coordinator, data=data),
        by=world.coordinator,
    )
    batch = import_prepare(program=world.program, coordinator=world.coordinator, data=data)
    with CaptureQueriesContext(connection) as queries:
        outcome = import_confirm(batch=batch, by=world.coordinator)
    assert outcome.updated == 50
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))
        and ("profiles_profile" in q["sql"] or "programs_membership" in q["sql"])
    ]
    assert writes == []


def test_a_person_named_by_another_verified_address_is_not_duplicated(world):
    person = UserFactory(email="dr.roy@hospital.example.org")
    EmailAddress.objects.create(user=person, email="ben@example.org", verified=True)
    client = world.client_for("coordinator")
    before = User.objects.count()
    preview, _ = preview_and_confirm(client, world.program, (DATA / "good.csv").read_bytes())
    assert "on MedMentor: added to the program and notified" in preview.content.decode()
    assert User.objects.count() == before + 1  # Ana only
    assert Membership.objects.filter(user=person, program=world.program, role=Role.MENTEE)
    # Two rows naming the same person by two addresses are one problem, by row.
    rows = participant_rows(2)
    rows[0]["email"], rows[1]["email"] = "dr.roy@hospital.example.org", "BEN@example.org"
    response = upload(client, world.program, to_csv(rows))
    assert response.status_code == 422
    assert "same person as row 2" in response.content.decode()


def test_a_deactivated_account_is_a_row_problem(world):
    UserFactory(email="ana@example.org", is_active=False)
    response = upload(
        world.client_for("coordinator"), world.program, (DATA / "good.csv").read_bytes()
    )
    assert response.status_code == 422
    assert "<td>2</td><td><code>email</code></td><td>This account has been deactivated" in (
        response.content.decode()
    )


def test_a_name_fills_a_blank_one_but_never_replaces_a_chosen_one(world):
    blank = UserFactory(email="ana@example.org", name="")
    chosen = UserFactory(email="ben@example.org", name="Benoît Roy")
    batch = import_prepare(
        program=world.program, coordinator=world.coordinator, data=(DATA / "good.csv").read_bytes()
    )
    assert import_confirm(batch=batch, by=world.coordinator).added == 2
    blank.refresh_from_db()
    chosen.refresh_from_db()
    assert blank.name == "Dr. Ana Silva"
    assert chosen.name == "Benoît Roy"
