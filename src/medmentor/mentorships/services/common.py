"""What every write of the workspace shares: the timeline, activity and notices."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.models import Mentorship, MentorshipEvent
from medmentor.notifications.services import notification_send

NOTICE_TEMPLATE = "mentorships/email/notice"


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def event_add(
    *, mentorship: Mentorship, kind: str, actor: User | None = None, detail: str = ""
) -> MentorshipEvent:
    return MentorshipEvent.objects.create(
        mentorship=mentorship, kind=kind, actor=actor, at=timezone.now(), detail=detail[:200]
    )


def activity_touch(mentorship: Mentorship) -> None:
    """The pair did something: the inactivity clock starts again."""
    mentorship.last_activity_at = timezone.now()
    mentorship.inactivity_notice_at = None
    mentorship.save(update_fields=["last_activity_at", "inactivity_notice_at"])


def require_writer(access: MentorshipAccess) -> None:
    if not access.is_party:
        raise PermissionDenied(_("Only the pair writes in its workspace."))
    if not access.mentorship.is_live:
        raise ValidationError(_("This mentorship has ended: its workspace is read-only."))


def workspace_url(mentorship: Mentorship) -> str:
    return reverse("mentorships:workspace", args=[mentorship.uuid])


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    mentorship: Mentorship,
    url: str = "",
    context: Mapping[str, Any] | None = None,
) -> None:
    """One notice per recipient. The context never holds notes or messages."""
    for recipient in recipients:
        values = {
            "kind": kind,
            "mentorship": mentorship,
            "partner": mentorship.partner_of(recipient),
            **(context or {}),
        }
        notification_send(
            recipient=recipient,
            kind=f"mentorships.{kind}",
            template=NOTICE_TEMPLATE,
            context=values,
            url=url or workspace_url(mentorship),
        )
