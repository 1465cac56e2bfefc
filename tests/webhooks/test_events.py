"""Each event, made through the real service, reaches the program's active endpoints
that subscribe to it, and no other: not another program's, not a turned-off one. Its
payload names people by UUID only and holds nothing they wrote."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.services.closure import mentorship_end
from medmentor.programs.models import EnrolmentMode
from medmentor.programs.services.enrolment import membership_approve, membership_join
from medmentor.surveys.models import QuestionKind
from medmentor.webhooks.models import Delivery, DeliveryStatus, EventType
from medmentor.webhooks.services import endpoint_set_active
from tests.factories import UserFactory
from tests.mentorships.factories import start_mentorship
from tests.surveys.support import answer, sent_survey
from tests.webhooks.support import make_endpoint

pytestmark = pytest.mark.django_db

ENROLLED = EventType.MEMBER_ENROLLED
STARTED, ENDED = EventType.MENTORSHIP_STARTED, EventType.MENTORSHIP_ENDED
ANSWERED = EventType.SURVEY_ANSWERED


@pytest.fixture
def endpoints(world, receiver):
    """Four endpoints: two of the program with different events, one of another
    program with every event, one of the program turned off."""
    joins, _ = make_endpoint(world.program, world.coordinator, receiver.url + "/joins", [ENROLLED])
    pairs, _ = make_endpoint(
        world.program, world.coordinator, receiver.url + "/pairs", [STARTED, ENDED, ANSWERED]
    )
    other, _ = make_endpoint(world.other_program, world.other_coordinator, receiver.url + "/other")
    off, _ = make_endpoint(world.program, world.coordinator, receiver.url + "/off")
    endpoint_set_active(endpoint=off, active=False)
    return {"joins": joins, "pairs": pairs, "other": other, "off": off}


def _made(event):
    return list(Delivery.objects.filter(event_type=event).select_related("endpoint"))


def test_an_enrolment_reaches_the_endpoints_subscribed_to_it_only(
    world, endpoints, receiver, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership_join(program=world.program, user=person, role="mentor")

    (delivery,) = _made(ENROLLED)
    assert delivery.endpoint == endpoints["joins"]
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert [r.path for r in receiver.received] == ["/hooks/joins"]
    assert receiver.received[0].json["data"]["role"] == "mentor"
    assert Delivery.objects.count() == 1


def test_a_request_to_join_is_no_enrolment_until_approved(
    world, endpoints, django_capture_on_commit_callbacks
):
    world.program.enrolment_mode = EnrolmentMode.APPROVAL
    world.program.save()
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_join(program=world.program, user=person, role="mentee")
    assert _made(ENROLLED) == []
    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(membership=membership, by=world.coordinator)
    (delivery,) = _made(ENROLLED)
    assert delivery.endpoint == endpoints["joins"]
    assert delivery.payload["data"]["person"] == str(person.uuid)


def test_a_refused_enrolment_sends_nothing(world, endpoints, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        membership_join(program=world.program, user=world.mentee, role="mentee")  # already in
    assert Delivery.objects.count() == 0


def test_a_mentorship_start_and_end_reach_the_subscribed_endpoint(
    world, endpoints, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mentorship = start_mentorship(
            mentor=world.mentor, mentee=world.mentee, program=world.program
        )
    (started,) = _made(STARTED)
    assert started.endpoint == endpoints["pairs"]
    assert started.payload["data"] == {
        "mentorship": str(mentorship.uuid),
        "kind": "pair",
        "status": "active",
        "people": [
            {"person": str(world.mentor.uuid), "role": "mentor"},
            {"person": str(world.mentee.uuid), "role": "mentee"},
        ],
    }

    reason = "My mentor keeps cancelling, confidential"
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_end(
            access=get_mentorship_for(world.mentee, mentorship.uuid), private_reason=reason
        )
    (ended,) = _made(ENDED)
    assert ended.endpoint == endpoints["pairs"]
    assert ended.status == DeliveryStatus.SUCCEEDED
    assert ended.payload["data"]["status"] == "ended"
    assert ended.payload["program"]["uuid"] == str(world.program.uuid)
    assert ended.event_id != started.event_id
    assert [r.path for r in receiver.received] == ["/hooks/pairs", "/hooks/pairs"]
    for received in receiver.received:
        text = received.body.decode()
        assert "cancelling" not in text
        assert world.mentee.email not in text
        assert world.mentee.name not in text


def test_a_mentorship_of_another_program_reaches_that_program_s_endpoints(
    world, endpoints, django_capture_on_commit_callbacks
):
    mentee, mentor = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        start_mentorship(mentor=mentor, mentee=mentee, program=world.other_program)
    (delivery,) = _made(STARTED)
    assert delivery.endpoint == endpoints["other"]


@pytest.mark.parametrize("anonymous", [False, True])
def test_a_survey_answer_says_one_came_in_and_from_whom_only_if_named(
    world, endpoints, receiver, anonymous, django_capture_on_commit_callbacks
):
    words = "Frankly my mentor is unkind"
    survey = sent_survey(
        world.program,
        world.coordinator,
        (QuestionKind.SCALE_5, QuestionKind.LONG_TEXT),
        anonymous=anonymous,
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer(survey, world.mentee, scale_5="2", long_text=words)

    (delivery,) = _made(ANSWERED)
    assert delivery.endpoint == endpoints["pairs"]
    expected = {"survey": str(survey.uuid), "anonymous": anonymous, "answered": True}
    if not anonymous:
        expected["person"] = str(world.mentee.uuid)
    assert delivery.payload["data"] == expected
    (received,) = receiver.received
    text = received.body.decode()
    assert words not in text
    assert str(world.mentee.uuid) not in text if anonymous else str(world.mentee.uuid) in text
