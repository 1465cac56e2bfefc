"""Reporting a concern: confidential to the program's coordinators, a status the reporter
follows, an optional block, and 404 for everyone else."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from medmentor.concerns.models import Concern, ConcernStatus
from medmentor.concerns.services import concern_report, concern_status_set
from medmentor.notifications.models import Notification
from medmentor.profiles.models import Block
from medmentor.programs.models import Role
from medmentor.requests.models import RequestStatus
from tests.factories import UserFactory
from tests.programs.factories import MembershipFactory
from tests.programs.personas import PERSONAS
from tests.requests.requests_support import RequestWorld, send

SECRET = "CONFIDENTIAL-TEXT he asked for my home address"


def about_request(world: RequestWorld) -> str:
    request = send(world.program, world.mentee, world.mentor).requests.get()
    return f"request:{request.uuid}"


def report(world: RequestWorld, **changes) -> Concern:
    request = send(world.program, world.mentee, world.mentor).requests.get()
    values = {
        "program": world.program,
        "reporter": world.mentee,
        "about": world.mentor,
        "request": request,
        "text": SECRET,
    }
    values.update(changes)
    return concern_report(**values)


def test_a_mentee_reports_a_mentor_blocks_them_and_follows_the_status(
    rworld, django_capture_on_commit_callbacks
):
    key = about_request(rworld)
    client = rworld.client_for("mentee")
    form = client.get(reverse("concerns:concern_new") + f"?about={key}")
    assert form.status_code == 200
    assert "Jean Tremblay · Ottawa Residents Mentorship" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("concerns:concern_new"), {"subject": key, "text": SECRET, "also_block": "on"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:concerns_mine")
    concern = Concern.objects.get()
    assert concern.about == rworld.mentor
    assert concern.request is not None
    assert concern.also_blocked
    assert Block.objects.filter(blocker=rworld.mentee, blocked=rworld.mentor).exists()

    # The coordinators are told, with a link and without the text.
    assert [m.to for m in mail.outbox] == [[rworld.coordinator.email]]
    message = mail.outbox[0]
    assert "reported a concern" in message.body
    assert reverse("concerns:concern_manage", args=[rworld.program.uuid, concern.uuid]) in (
        message.body
    )
    assert "CONFIDENTIAL" not in message.body + message.alternatives[0][0] + message.subject
    notification = Notification.objects.get(kind="programs.concern_received")
    assert "CONFIDENTIAL" not in notification.body + notification.body_html + notification.title

    mine = client.get(reverse("concerns:concerns_mine")).content.decode()
    assert "Received" in mine
    assert "Jean Tremblay" in mine

    coordinator = rworld.client_for("coordinator")
    page = coordinator.get(
        reverse("concerns:concern_manage", args=[rworld.program.uuid, concern.uuid])
    ).content.decode()
    assert SECRET in page
    assert "The reporter also blocked this person." in page
    saved = coordinator.post(
        reverse("concerns:concern_manage", args=[rworld.program.uuid, concern.uuid]),
        {"status": ConcernStatus.IN_REVIEW},
    )
    assert saved.status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.IN_REVIEW
    assert concern.updated_by == rworld.coordinator
    assert "In review" in client.get(reverse("concerns:concerns_mine")).content.decode()


def test_the_mentor_can_report_the_mentee_of_a_request_too(rworld):
    key = about_request(rworld)
    response = rworld.client_for("mentor").post(
        reverse("concerns:concern_new"), {"subject": key, "text": SECRET}
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert (concern.reporter, concern.about) == (rworld.mentor, rworld.mentee)
    assert not concern.also_blocked
    assert not Block.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_programs_coordinators_see_its_concerns(rworld, persona):
    concern = report(rworld)
    urls = [
        reverse("concerns:concerns", args=[rworld.program.uuid]),
        reverse("concerns:concern_manage", args=[rworld.program.uuid, concern.uuid]),
    ]
    client = rworld.client_for(persona)
    for url in urls:
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302
        elif persona == "coordinator":
            assert response.status_code == 200
            assert "Amira Haddad" in response.content.decode()
        else:
            assert response.status_code == 404
            assert SECRET not in response.content.decode()
    if persona not in ("anonymous", "coordinator"):
        response = client.post(urls[1], {"status": ConcernStatus.RESOLVED})
        assert response.status_code == 404
        concern.refresh_from_db()
        assert concern.status == ConcernStatus.OPEN


def test_a_coordinator_of_another_program_cannot_reach_a_concern_through_their_own(rworld):
    concern = report(rworld)
    response = rworld.client_for("other_coordinator").get(
        reverse("concerns:concern_manage", args=[rworld.other_program.uuid, concern.uuid])
    )
    assert response.status_code == 404


def test_the_coordinators_list_filters_by_status(rworld):
    report(rworld)
    url = reverse("concerns:concerns", args=[rworld.program.uuid])
    client = rworld.client_for("coordinator")
    assert "Amira Haddad" in client.get(url + "?status=open").content.decode()
    assert "Amira Haddad" not in client.get(url + "?status=resolved").content.decode()


@pytest.mark.parametrize(
    ("text", "words"), [("", "This field is required."), ("x" * 4001, "at most 4000 characters")]
)
def test_a_report_without_a_proper_text_writes_nothing(rworld, text, words):
    key = about_request(rworld)
    response = rworld.client_for("mentee").post(
        reverse("concerns:concern_new"), {"subject": key, "text": text, "also_block": "on"}
    )
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not Concern.objects.exists()
    assert not Block.objects.exists()
    assert not Notification.objects.filter(kind="programs.concern_received").exists()


def test_a_request_between_other_people_cannot_be_reported(rworld):
    key = about_request(rworld)
    response = rworld.client_for("outsider").post(
        reverse("concerns:concern_new"), {"subject": key, "text": SECRET}
    )
    assert response.status_code == 404
    assert not Concern.objects.exists()


def test_a_fellow_participant_can_be_reported_by_person(rworld):
    fellow = MembershipFactory(program=rworld.program, role=Role.MENTEE, user__name="Fellow").user
    key = f"person:{rworld.program.uuid}:{fellow.uuid}"
    response = rworld.client_for("mentor").post(
        reverse("concerns:concern_new"), {"subject": key, "text": SECRET}
    )
    assert response.status_code == 302
    assert Concern.objects.get().about == fellow
    stranger = UserFactory()
    response = rworld.client_for("mentor").post(
        reverse("concerns:concern_new"),
        {"subject": f"person:{rworld.program.uuid}:{stranger.uuid}", "text": SECRET},
    )
    assert response.status_code == 404
    assert Concern.objects.count() == 1


def test_my_reports_hold_only_my_own(rworld):
    report(rworld)
    for persona in ("mentor", "coordinator", "outsider"):
        page = rworld.client_for(persona).get(reverse("concerns:concerns_mine")).content.decode()
        assert "You have not reported any concern." in page
    assert rworld.client_for("anonymous").get(reverse("concerns:concerns_mine")).status_code == 302


def test_someone_who_dealt_with_no_one_is_told_how_reports_work(rworld):
    page = rworld.client_for("outsider").get(reverse("concerns:concern_new")).content.decode()
    assert "You have none yet." in page


def test_the_admin_does_not_show_a_concerns_text(rworld):
    concern = report(rworld)
    page = rworld.client_for("staff").get(
        reverse("admin:concerns_concern_change", args=[concern.pk])
    )
    assert page.status_code == 200
    assert "CONFIDENTIAL" not in page.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_report_page_for_each_persona(rworld, persona):
    key = about_request(rworld)
    response = rworld.client_for(persona).get(reverse("concerns:concern_new") + f"?about={key}")
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in ("mentee", "mentor"):
        assert response.status_code == 200
        assert "Send to the coordinators" in response.content.decode()
    else:  # not a party to the request
        assert response.status_code == 404
    plain = rworld.client_for(persona).get(reverse("concerns:concern_new"))
    assert plain.status_code == (302 if persona == "anonymous" else 200)


def test_a_mentor_who_reports_and_blocks_declines_the_waiting_request(
    rworld, django_capture_on_commit_callbacks
):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second)
    request = cascade.requests.get()
    with django_capture_on_commit_callbacks(execute=True):
        concern_report(
            program=rworld.program,
            reporter=rworld.mentor,
            about=rworld.mentee,
            request=request,
            text=SECRET,
            also_block=True,
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert cascade.requests.get(mentor=rworld.second).is_pending
    assert Notification.objects.filter(
        recipient=rworld.mentee, kind="programs.request_moved_on"
    ).exists()
    assert "CONFIDENTIAL" not in " ".join(m.body for m in mail.outbox)


def test_a_mentee_who_reports_and_blocks_moves_on_quietly(rworld):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second)
    request = cascade.requests.get()
    concern_report(
        program=rworld.program,
        reporter=rworld.mentee,
        about=rworld.mentor,
        request=request,
        text=SECRET,
        also_block=True,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert cascade.requests.get(mentor=rworld.second).is_pending
    assert not Notification.objects.filter(
        recipient=rworld.mentee, kind__startswith="programs.request"
    ).exists()


def test_a_malformed_unknown_or_self_naming_subject_is_not_found(rworld):
    """A hand-made link to report "someone" finds nobody: a broken key, an unknown
    person, or oneself is a 404 and writes nothing."""
    program = rworld.program.uuid
    client = rworld.client_for("mentor")
    gone = MembershipFactory(program=rworld.program, role=Role.MENTEE, user__is_active=False)
    for key in (
        "request:not-a-uuid",
        f"person:{program}:not-a-uuid",
        f"person:{program}:{uuid.uuid4()}",  # nobody
        f"person:{program}:{gone.user.uuid}",  # a deactivated account
        f"person:{program}:{rworld.mentor.uuid}",  # oneself
    ):
        assert client.get(reverse("concerns:concern_new") + f"?about={key}").status_code == 404
        response = client.post(reverse("concerns:concern_new"), {"subject": key, "text": SECRET})
        assert response.status_code == 404, key
    assert not Concern.objects.exists()
    assert not Notification.objects.filter(kind="programs.concern_received").exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"text": "   "}, "text", "Tell the coordinators what happened."),
        ({"text": "x" * 4001}, "text", "Keep it to 4000 characters."),
        ({"about": "reporter"}, "about", "A concern is about someone else."),
        ({"about": "second"}, "request", "This request is not between you two."),
        ({"program": "other_program"}, "request", "This request is not between you two."),
        ({"request": None, "about": "outsider"}, "about", "only people of a program you are in"),
    ],
)
def test_the_service_itself_refuses_a_report_that_does_not_hold(rworld, change, field, words):
    """The rules stand in the service, whatever calls it (the form only checks shapes): an
    empty or overlong text, oneself, a request between other people, someone outside the
    program. Nothing is written, nobody is told or blocked."""
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    values = {
        "program": rworld.program,
        "reporter": rworld.mentee,
        "about": rworld.mentor,
        "request": request,
        "text": SECRET,
        "also_block": True,
    }
    for name, value in change.items():
        if name == "about":
            value = rworld.mentee if value == "reporter" else getattr(rworld, value)
        elif name == "program":
            value = getattr(rworld, value)
        values[name] = value
    with pytest.raises(ValidationError) as refused:
        concern_report(**values)
    assert words in " ".join(refused.value.message_dict[field])
    assert not Concern.objects.exists()
    assert not Block.objects.exists()
    assert not Notification.objects.filter(kind__startswith="programs.concern").exists()


def test_a_status_outside_the_list_is_refused_and_the_reporter_is_not_told(rworld):
    concern = report(rworld)
    with pytest.raises(ValidationError) as refused:
        concern_status_set(concern=concern, by=rworld.coordinator, status="closed-forever")
    assert refused.value.message_dict["status"] == ["Choose a status from the list."]
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.OPEN
    assert not Notification.objects.filter(kind="programs.concern_status").exists()
