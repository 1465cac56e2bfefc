"""Reads of webhooks: the coordinator's endpoints and delivery log, the endpoints an event
goes to, and each event's payload.

A payload holds identifiers and codes only, never text people wrote and never a name or an
e-mail address: receivers are other systems, which know people by their UUID. A survey
answer says only that an answer came in, and for an anonymous survey not from whom.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship
from medmentor.programs.models import Membership, Program, Status
from medmentor.surveys.models import Survey
from medmentor.webhooks.models import Delivery, Endpoint, EventType

LOG_LENGTH = 100  # deliveries the log page shows


def endpoints_of(program: Program) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(program=program)


def get_endpoint_of(program: Program, endpoint_uuid: UUID | str) -> Endpoint:
    """An endpoint of a program the caller already manages; else 404."""
    endpoint = Endpoint.objects.filter(program=program, uuid=endpoint_uuid).first()
    if endpoint is None:
        raise Http404
    return endpoint


def get_delivery_of(endpoint: Endpoint, delivery_uuid: UUID | str) -> Delivery:
    """A delivery of an endpoint the caller already reached; else 404."""
    delivery = (
        Delivery.objects.select_related("endpoint")
        .filter(endpoint=endpoint, uuid=delivery_uuid)
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery


def deliveries_of(endpoint: Endpoint) -> QuerySet[Delivery]:
    """The endpoint's latest deliveries first."""
    return endpoint.deliveries.order_by("-created_at", "-id")[:LOG_LENGTH]


def endpoints_for(program_id: int, event: str) -> list[Endpoint]:
    """The program's active endpoints subscribed to ``event``."""
    return [
        endpoint
        for endpoint in Endpoint.objects.filter(program_id=program_id, active=True)
        if endpoint.subscribes_to(event)
    ]


def _program(program: Program) -> dict[str, str]:
    return {"uuid": str(program.uuid), "name": program.name_en}


def payload(
    *, event: str, event_id: UUID, occurred_at: datetime, program: Program, data: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": str(event_id),
        "type": event,
        "occurred_at": occurred_at.isoformat(),
        "program": _program(program),
        "data": data,
    }


def enrolment_data(membership_id: int) -> tuple[Program, dict[str, Any]] | None:
    membership = (
        Membership.objects.select_related("program", "user")
        .filter(pk=membership_id, status=Status.ACTIVE)
        .first()
    )
    if membership is None:
        return None
    return membership.program, {
        "membership": str(membership.uuid),
        "person": str(membership.user.uuid),
        "role": membership.role,
    }


def mentorship_data(mentorship_id: int) -> tuple[Program, dict[str, Any]] | None:
    mentorship = (
        Mentorship.objects.select_related("program", "mentor", "mentee")
        .filter(pk=mentorship_id, program__isnull=False)
        .first()
    )
    if mentorship is None or mentorship.program is None:
        return None
    if mentorship.is_pair:
        people = [
            {"person": str(person.uuid), "role": role}
            for role in ("mentor", "mentee")
            for person in mentorship.people_in_role(role)
        ]
    else:
        people = [
            {"person": str(member.user.uuid), "role": member.role}
            for member in mentorship.member_rows
        ]
    return mentorship.program, {
        "mentorship": str(mentorship.uuid),
        "kind": mentorship.kind,
        "status": mentorship.status,
        "people": people,
    }


def survey_answer_data(
    survey_id: int, respondent_id: int | None
) -> tuple[Program, dict[str, Any]] | None:
    survey = Survey.objects.select_related("program").filter(pk=survey_id).first()
    if survey is None:
        return None
    data: dict[str, Any] = {
        "survey": str(survey.uuid),
        "anonymous": survey.anonymous,
        "answered": True,
    }
    if not survey.anonymous and respondent_id is not None:
        person = User.objects.filter(pk=respondent_id).values_list("uuid", flat=True).first()
        if person is not None:
            data["person"] = str(person)
    return survey.program, data


EVENT_DATA = {
    EventType.MEMBER_ENROLLED: enrolment_data,
    EventType.MENTORSHIP_STARTED: mentorship_data,
    EventType.MENTORSHIP_ENDED: mentorship_data,
}
