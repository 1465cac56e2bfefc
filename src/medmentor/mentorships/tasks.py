"""Background work: meeting invitations with their .ics, and reminders."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from medmentor.accounts.models import User
from medmentor.core.email import send_templated_email
from medmentor.mentorships.ics import CANCEL, meeting_calendar
from medmentor.mentorships.models import Meeting, Mentorship
from medmentor.mentorships.services.common import notify, workspace_url
from medmentor.mentorships.timezones import time_zone_label, time_zone_of, wall_clock
from medmentor.notifications.services import notification_send
from medmentor.programs.emails import WORDING_TEMPLATE, program_wording
from medmentor.programs.models import EmailKey

INVITATION_TEMPLATE = "mentorships/email/meeting"


@task()
def send_meeting_invitation(meeting_id: int, recipient_id: int, method: str) -> bool:
    """E-mail one side the invitation (or cancellation) with the .ics attached."""
    meeting = (
        Meeting.objects.select_related("mentorship__mentor", "mentorship__mentee", "organizer")
        .filter(pk=meeting_id)
        .first()
    )
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if meeting is None or recipient is None:
        return False
    zone = time_zone_of(recipient)
    context = {
        "meeting": meeting,
        "recipient": recipient,
        "partner": meeting.mentorship.partner_of(recipient),
        "starts": wall_clock(meeting.starts_at, zone),
        "time_zone": time_zone_label(zone),
        "cancelled": method == CANCEL,
        "url": f"{settings.SITE_URL}{workspace_url(meeting.mentorship)}",
    }
    send_templated_email(
        INVITATION_TEMPLATE,
        context,
        to=recipient.email,
        language=recipient.language,
        attachments=[
            (
                "invitation.ics",
                meeting_calendar(meeting, recipient, method),
                f"text/calendar; method={method}; charset=utf-8",
            )
        ],
    )
    return True


@task()
def send_reminder(kind: str, recipient_id: int, mentorship_id: int, key: str) -> bool:
    """A reminder as a notification (in-site, and e-mail if wanted). Never any text the
    pair wrote: an unread message is announced, not quoted."""
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    mentorship = (
        Mentorship.objects.select_related("mentor", "mentee", "program")
        .filter(pk=mentorship_id)
        .first()
    )
    if recipient is None or mentorship is None:
        return False
    context: dict[str, object] = {}
    if kind == "meeting_upcoming":
        meeting = Meeting.objects.filter(uuid=key.split(":", 1)[0]).first()
        if meeting is None:
            return False
        zone = time_zone_of(recipient)
        context = {
            "starts": wall_clock(meeting.starts_at, zone),
            "time_zone": time_zone_label(zone),
        }
    if kind == "checkin_due":  # the program's own wording, which its coordinator may edit
        partner = mentorship.partner_of(recipient)
        wording = program_wording(
            mentorship.program,
            EmailKey.CHECKIN_REMINDER,
            {
                "name": recipient.get_full_name(),
                "partner": partner.get_full_name(),
                "link": workspace_url(mentorship),
            },
        )
        notification_send(
            recipient=recipient,
            kind=f"mentorships.{kind}",
            template=WORDING_TEMPLATE,
            context={"mentorship": mentorship, "partner": partner, "wording": wording},
            url=workspace_url(mentorship),
        )
        return True
    url = reverse("mentorships:baseline", args=[mentorship.uuid]) if kind == "baseline_due" else ""
    notify(recipients=[recipient], kind=kind, mentorship=mentorship, url=url, context=context)
    return True
