"""The access log: every coordinator's or staff member's look at a person's data beyond
their public profile, every export and every change of roles, reporting lines, program
settings, imports and concern decisions, written once, read by the person on "Access to my
data" and searched by staff."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from medmentor.accounts.models import AccessLogEntry
from medmentor.accounts.services import account_delete
from medmentor.concerns.models import ConcernStatus
from medmentor.concerns.services import concern_report
from medmentor.imports.services import import_confirm, import_prepare
from medmentor.matchrounds.models import MatchRound, Proposal, RoundStatus
from medmentor.mentorships.models import Mentorship
from medmentor.programs.models import Status
from tests.factories import UserFactory, logged_in_client
from tests.imports.import_data import participants_csv
from tests.programs.factories import MembershipFactory

pytestmark = pytest.mark.django_db

Action, What = AccessLogEntry.Action, AccessLogEntry.What


def entries_about(user, **filters):
    return list(AccessLogEntry.objects.filter(subject=user, **filters))


def access_page(user) -> str:
    response = logged_in_client(user).get(reverse("accounts:access"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_reading_enrolment_answers_is_on_the_applicants_page(world):
    applicant = MembershipFactory(
        program=world.program, role="mentee", status=Status.PENDING, user__name="Priya Pending"
    ).user
    response = world.client_for("coordinator").get(
        reverse("programs:queue", args=[world.program.uuid]), REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 200

    [entry] = entries_about(applicant)
    assert (entry.action, entry.what) == (Action.VIEW, What.ENROLMENT)
    assert entry.actor == world.coordinator
    assert entry.address == "203.0.113.9"
    assert entry.program_uuid == world.program.uuid
    page = access_page(applicant)
    assert "Claire Coordinator" in page
    assert "Enrolment request and intake answers" in page
    assert "Ottawa Student Mentorship" in page
    # The coordinator's own look at a page is not an access to their own data.
    assert not entries_about(world.coordinator)


def test_the_member_list_logs_the_people_on_the_page_shown(world):
    response = world.client_for("coordinator").get(
        reverse("programs:members", args=[world.program.uuid]) + "?role=mentee"
    )
    assert response.status_code == 200
    assert [e.what for e in entries_about(world.mentee)] == [What.MEMBER_LIST]
    # The mentor was filtered out of the page: nothing about them.
    assert not entries_about(world.mentor)


def test_the_member_list_pages_and_logs_only_the_page(world):
    for n in range(55):
        MembershipFactory(program=world.program, role="mentee", user__name=f"Mentee {n:02}")
    client = world.client_for("coordinator")
    url = reverse("programs:members", args=[world.program.uuid]) + "?role=mentee"
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first
    assert AccessLogEntry.objects.filter(what=What.MEMBER_LIST).count() == 50
    second = client.get(url + "&page=2").content.decode()
    assert "Page 2 of 2" in second
    assert AccessLogEntry.objects.filter(what=What.MEMBER_LIST).count() == 56


@pytest.mark.parametrize("persona", ["other_coordinator", "outsider", "mentee", "anonymous"])
def test_a_refused_look_writes_nothing(world, persona):
    client = world.client_for(persona)
    for name in ("programs:members", "programs:queue", "mentorships:program"):
        response = client.get(reverse(name, args=[world.program.uuid]))
        assert response.status_code in (302, 403, 404)
    response = client.post(
        reverse("mentorships:oversight", args=[world.mentorship.uuid]),
        {"reason": "Checking how the pair is doing."},
    )
    assert response.status_code in (302, 403, 404)
    assert not AccessLogEntry.objects.exists()


def test_opening_a_mentorship_logs_both_sides_with_the_reason(world):
    response = world.client_for("coordinator").post(
        reverse("mentorships:oversight", args=[world.mentorship.uuid]),
        {"reason": "The mentee asked me to look at their plan."},
    )
    assert response.status_code == 200
    for person in (world.mentee, world.mentor):
        [entry] = entries_about(person)
        assert (entry.action, entry.what) == (Action.VIEW, What.MENTORSHIP)
        assert entry.detail == "The mentee asked me to look at their plan."
    assert "The mentee asked me to look at their plan." in access_page(world.mentee)


def test_the_program_dashboard_logs_each_pair(world):
    response = world.client_for("coordinator").get(
        reverse("mentorships:program", args=[world.program.uuid])
    )
    assert response.status_code == 200
    assert [e.what for e in entries_about(world.mentee)] == [What.MENTORSHIPS]
    assert [e.what for e in entries_about(world.mentor)] == [What.MENTORSHIPS]


def test_a_concern_is_logged_for_its_reporter_never_for_the_person_it_is_about(world):
    concern = concern_report(
        program=world.program, reporter=world.mentee, about=world.mentor, text="Missed meetings."
    )
    client = world.client_for("coordinator")
    url = reverse("concerns:concern_manage", args=[world.program.uuid, concern.uuid])
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": ConcernStatus.values[-1]}).status_code == 302

    actions = sorted(e.action for e in entries_about(world.mentee, what=What.CONCERN))
    assert actions == [Action.DECIDE, Action.VIEW]
    assert not entries_about(world.mentor)
    assert "Concern" not in access_page(world.mentor)


def test_membership_decisions_and_removals_are_logged(world):
    pending = MembershipFactory(program=world.program, role="mentor", status=Status.PENDING)
    client = world.client_for("coordinator")
    client.post(
        reverse("programs:member_decide", args=[world.program.uuid, pending.uuid, "approve"]),
        {"reason": ""},
    )
    client.post(reverse("programs:member_remove", args=[world.program.uuid, pending.uuid]))
    entries = entries_about(pending.user, what=What.MEMBERSHIP)
    assert sorted(e.action for e in entries) == [Action.CHANGE, Action.DECIDE]
    assert {e.detail for e in entries} == {"mentor: active", "mentor: withdrawn"}


def test_program_settings_changes_are_logged_with_the_fields_changed(world):
    client = world.client_for("coordinator")
    url = reverse("programs:settings", args=[world.program.uuid])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data = {
        k: (list(v) if isinstance(v, list | tuple) else v)
        for k, v in data.items()
        if not isinstance(v, bool) or v
    }
    data["name_en"] = "Ottawa Student Mentorship Renamed"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    [entry] = AccessLogEntry.objects.filter(what=What.PROGRAM_SETTINGS)
    assert entry.subject is None
    assert entry.actor == world.coordinator
    assert "name_en" in entry.detail
    assert entry.program_name == "Ottawa Student Mentorship Renamed"

    client.post(reverse("programs:invitations_revoke", args=[world.program.uuid]))
    assert AccessLogEntry.objects.filter(what=What.PROGRAM_SETTINGS).count() == 2


def test_an_import_is_logged_for_every_person_it_brought(world):
    batch = import_prepare(
        program=world.program, coordinator=world.coordinator, data=participants_csv(3)
    )
    import_confirm(batch=batch, by=world.coordinator)
    entries = AccessLogEntry.objects.filter(what=What.PARTICIPANTS)
    assert entries.count() == 3
    assert {e.subject.email for e in entries} == {f"person{n}@import.example.org" for n in range(3)}
    assert {e.action for e in entries} == {Action.IMPORT}


def test_a_reporting_line_is_logged_for_who_declared_it_not_for_the_other(world):
    client = world.client_for("mentee")
    response = client.post(
        reverse("profiles:reporting_lines"),
        {"email": world.mentor.email, "kind": "supervisor", "note": ""},
    )
    assert response.status_code == 302
    [entry] = entries_about(world.mentee)
    assert (entry.action, entry.what, entry.actor) == (
        Action.CHANGE,
        What.REPORTING_LINE,
        world.mentee,
    )
    assert not entries_about(world.mentor)  # they are not told who declared a line with them
    assert "You" in access_page(world.mentee)


def test_a_change_of_roles_is_logged(world):
    response = world.client_for("outsider").post(
        reverse("profiles:become_mentor"), {"confirm": "on"}, follow=True
    )
    assert response.status_code == 200
    entries = entries_about(world.outsider, what=What.ROLES)
    assert entries
    assert "mentor" in entries[0].detail


def test_exports_of_ones_data_are_logged(world):
    client = world.client_for("mentee")
    client.post(reverse("accounts:data"))
    assert client.get("/api/profiles/me/export").status_code == 200
    entries = entries_about(world.mentee, what=What.PERSONAL_DATA)
    assert len(entries) == 2
    assert {e.action for e in entries} == {Action.EXPORT}


def test_a_round_export_is_logged_for_everyone_in_it(world):
    match_round = MatchRound.objects.create(
        program=world.program, created_by=world.coordinator, status=RoundStatus.READY
    )
    Proposal.objects.create(round=match_round, mentee=world.mentee, mentor=world.mentor, score=1)
    response = world.client_for("coordinator").get(
        reverse("matchrounds:round_export", args=[world.program.uuid, match_round.uuid])
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    for person in (world.mentee, world.mentor):
        assert [e.action for e in entries_about(person, what=What.MATCH_ROUND)] == [Action.EXPORT]


def test_the_api_logs_what_it_shows_a_coordinator(world):
    client = world.client_for("coordinator")
    assert client.get(f"/api/programs/{world.program.uuid}/members").status_code == 200
    assert client.get(f"/api/mentorships/programs/{world.program.uuid}").status_code == 200
    whats = sorted(e.what for e in entries_about(world.mentee))
    assert whats == [What.MEMBER_LIST, What.MENTORSHIPS]
    assert {e.detail for e in entries_about(world.mentee)} == {"API"}


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_clients_address_is_logged(world):
    world.client_for("coordinator").get(
        reverse("programs:members", args=[world.program.uuid]),
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        REMOTE_ADDR="10.0.0.1",
    )
    assert {e.address for e in entries_about(world.mentee)} == {"198.51.100.7"}


def test_the_log_is_append_only(world):
    world.client_for("coordinator").get(reverse("programs:members", args=[world.program.uuid]))
    entry = AccessLogEntry.objects.filter(subject=world.mentee).get()
    entry.detail = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    entry.refresh_from_db()
    assert entry.detail == ""


def test_staff_search_the_log_read_only_in_the_admin(world):
    world.client_for("coordinator").get(reverse("programs:members", args=[world.program.uuid]))
    entry = AccessLogEntry.objects.filter(subject=world.mentee).get()
    staff = world.client_for("staff")
    listing = staff.get(reverse("admin:accounts_accesslogentry_changelist") + "?q=Claire")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count >= 2
    nothing = staff.get(reverse("admin:accounts_accesslogentry_changelist") + "?q=Nobody")
    assert nothing.context["cl"].result_count == 0
    change_url = reverse("admin:accounts_accesslogentry_change", args=[entry.pk])
    page = staff.get(change_url)
    assert page.status_code == 200
    assert 'name="detail"' not in page.content.decode()  # shown, not editable
    assert staff.post(change_url, {"detail": "x"}).status_code == 403
    delete_url = reverse("admin:accounts_accesslogentry_delete", args=[entry.pk])
    assert staff.post(delete_url, {"post": "yes"}).status_code == 403
    assert staff.get(reverse("admin:accounts_accesslogentry_add")).status_code == 403
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
    # Coordinators are not staff: the admin is closed to them.
    closed = world.client_for("coordinator").get(
        reverse("admin:accounts_accesslogentry_changelist")
    )
    assert closed.status_code == 302


def test_staff_opening_a_persons_records_in_the_admin_is_logged(world):
    staff = world.client_for("staff")
    assert staff.get(reverse("admin:accounts_user_change", args=[world.mentee.pk])).status_code
    assert staff.get(reverse("admin:mentorships_mentorship_changelist")).status_code == 200
    entries = entries_about(world.mentee)
    assert {(e.action, e.what) for e in entries} == {(Action.VIEW, What.ADMIN_RECORD)}
    assert len(entries) == 2
    assert [e.what for e in entries_about(world.mentor)] == [What.ADMIN_RECORD]
    assert "Site Staff" in access_page(world.mentee)


def test_staff_changing_roles_in_the_admin_is_logged(world):
    staff = world.client_for("staff")
    url = reverse("admin:accounts_user_change", args=[world.outsider.pk])
    data = {
        "email": world.outsider.email,
        "name": world.outsider.name,
        "language": world.outsider.language,
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = staff.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    [entry] = entries_about(world.outsider, action=Action.CHANGE)
    assert "Staff status" in entry.detail


def test_deleting_an_account_in_the_admin_keeps_the_partners_records(world):
    staff = world.client_for("staff")
    response = staff.post(
        reverse("admin:accounts_user_delete", args=[world.mentee.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    mentorship = Mentorship.objects.get(pk=world.mentorship.pk)
    assert mentorship.mentor == world.mentor
    assert mentorship.mentee.is_former_member


def test_the_access_page_is_the_persons_own(world):
    world.client_for("coordinator").get(reverse("programs:members", args=[world.program.uuid]))
    assert "Claire Coordinator" in access_page(world.mentee)
    assert "Nobody has accessed your data" in access_page(world.outsider)
    anonymous = world.client_for("anonymous").get(reverse("accounts:access"))
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_the_access_log_is_in_the_persons_export(world):
    world.client_for("coordinator").get(reverse("programs:members", args=[world.program.uuid]))
    document = world.client_for("mentee").get("/api/profiles/me/export").json()
    entries = {e["what"]: e for e in document["sections"]["account"]["access_log"]}
    assert entries.keys() == {What.MEMBER_LIST, What.PERSONAL_DATA}
    assert entries[What.MEMBER_LIST]["who"] == "Claire Coordinator"
    assert entries[What.MEMBER_LIST]["action"] == Action.VIEW
    # The export being taken is in it too.
    assert entries[What.PERSONAL_DATA]["action"] == Action.EXPORT


def test_erasure_removes_the_entries_about_the_person_and_keeps_those_they_made(world):
    world.client_for("coordinator").get(reverse("programs:members", args=[world.program.uuid]))
    coordinator_name = world.coordinator.name
    account_delete(user=world.mentee)
    assert not AccessLogEntry.objects.filter(subject_id=world.mentee.pk).exists()
    about_mentor = AccessLogEntry.objects.get(subject=world.mentor)
    # The coordinator leaves in turn: the mentor's record of who saw their data stays.
    MembershipFactory(program=world.program, role="coordinator", user=UserFactory())
    account_delete(user=world.coordinator)
    about_mentor.refresh_from_db()
    assert about_mentor.actor is None
    assert about_mentor.who == coordinator_name
