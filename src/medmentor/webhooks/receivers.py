"""The facts of the apps below, turned into deliveries. Connected in ``WebhooksConfig.ready``:
the apps that send these signals know nothing of webhooks. Each signal comes after its
change is committed, with identifiers only; the payload is read here, from the database."""

from __future__ import annotations

from typing import Any

from medmentor.webhooks import selectors
from medmentor.webhooks.models import EventType
from medmentor.webhooks.services import event_record


def on_member_enrolled(*, membership_id: int, **_kwargs: Any) -> None:
    found = selectors.enrolment_data(membership_id)
    if found:
        event_record(program=found[0], event=EventType.MEMBER_ENROLLED, data=found[1])


def on_mentorship_started(*, mentorship_id: int, **_kwargs: Any) -> None:
    found = selectors.mentorship_data(mentorship_id)
    if found:
        event_record(program=found[0], event=EventType.MENTORSHIP_STARTED, data=found[1])


def on_mentorship_ended(*, mentorship_id: int, **_kwargs: Any) -> None:
    found = selectors.mentorship_data(mentorship_id)
    if found:
        event_record(program=found[0], event=EventType.MENTORSHIP_ENDED, data=found[1])


def on_survey_answered(*, survey_id: int, respondent_id: int | None, **_kwargs: Any) -> None:
    found = selectors.survey_answer_data(survey_id, respondent_id)
    if found:
        event_record(program=found[0], event=EventType.SURVEY_ANSWERED, data=found[1])
