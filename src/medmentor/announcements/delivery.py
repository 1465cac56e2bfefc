"""Delivering an announcement (the worker's part): resolve the segment now, leave an
in-site copy for each person in bulk, then e-mail those who want e-mail in batches over
one connection.

The text has no personal part but the unsubscribe link, so it is rendered once per
language (not once per person) and the link is put in per e-mail. Each recipient gets one
``Delivery`` row, unique per announcement: a delivery run again (a retried task, a second
worker) finds who already has their copy and whose e-mail went, and reaches nobody twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from medmentor.accounts.audit import Action, What, access_log
from medmentor.announcements.models import Announcement, AnnouncementStatus, Delivery, OptOut
from medmentor.announcements.tokens import unsubscribe_token
from medmentor.core.email import RenderedEmail, render_email
from medmentor.notifications.models import Channel, Notification, Preference
from medmentor.notifications.services import TITLE_MAX, notification_texts
from medmentor.segments.selectors import segment_members

KIND = "announcements.announcement"
TEMPLATE = "announcements/email/announcement"
EMAIL_BATCH = 500
# Stands in the rendered e-mail where each person's own unsubscribe link goes: letters
# and digits only, so that HTML escaping leaves it as it is.
LINK_MARK = "MEDMENTORUNSUBSCRIBELINK0"


@dataclass(frozen=True)
class Delivered:
    recipients: int
    emailed: int


def _languages(default: str) -> list[str]:
    codes = [code for code, _name in settings.LANGUAGES]
    return codes if default in codes else [*codes, default]


def announcement_renderings(
    announcement: Announcement, *, unsubscribe_url: str = ""
) -> dict[str, RenderedEmail]:
    """The announcement as read in each of the site's languages: French readers get the
    French text if there is one, the English text otherwise."""
    url = settings.SITE_URL + reverse("announcements:read", args=[announcement.uuid])
    rendered = {}
    for code in _languages(settings.LANGUAGE_CODE):
        subject, body = announcement.text_in(code)
        context = {
            "program": announcement.program,
            "subject": subject,
            "body": body,
            "essential": announcement.essential,
            "url": url,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe_url,
        }
        rendered[code] = render_email(TEMPLATE, context, language=code)
    return rendered


def _copies_create(announcement: Announcement) -> None:
    """An in-site copy and a delivery row for each person of the segment now who has
    none yet; whether each is e-mailed is decided here, once."""
    program = announcement.program
    members = segment_members(
        program, announcement.segment, match_round=announcement.match_round
    ).annotate(
        delivered=Exists(
            Delivery.objects.filter(announcement=announcement, recipient=OuterRef("pk"))
        ),
        site_only=Exists(Preference.objects.filter(user=OuterRef("pk"), channel=Channel.SITE)),
        opted_out=Exists(OptOut.objects.filter(user=OuterRef("pk"), program=program)),
    )
    people = list(
        members.filter(delivered=False)
        .values_list("pk", "language", "site_only", "opted_out")
        .order_by("pk")
    )
    if not people:
        return
    rendered = announcement_renderings(announcement)
    texts = notification_texts(rendered)
    url = reverse("announcements:read", args=[announcement.uuid])
    notifications = []
    wanted = []
    for pk, language, site_only, opted_out in people:
        email = rendered.get(language) or rendered[settings.LANGUAGE_CODE]
        wants_email = not site_only and (announcement.essential or not opted_out)
        wanted.append(wants_email)
        notifications.append(
            Notification(
                recipient_id=pk,
                kind=KIND,
                title=email.subject[:TITLE_MAX],
                body=email.text,
                body_html=email.html,
                texts=texts,
                url=url,
                email_wanted=wants_email,
            )
        )
    Notification.objects.bulk_create(notifications, batch_size=EMAIL_BATCH)
    Delivery.objects.bulk_create(
        [
            Delivery(
                announcement=announcement,
                recipient_id=notification.recipient_id,
                notification_id=notification.pk,
                email_wanted=wants_email,
            )
            for notification, wants_email in zip(notifications, wanted, strict=True)
        ],
        batch_size=EMAIL_BATCH,
    )
    access_log(
        actor=announcement.author,
        action=Action.CHANGE,
        what=What.ANNOUNCEMENT,
        program=program,
        subjects=[pk for pk, *_rest in people],
        detail=f"sent: {announcement.subject_en}",
    )


def _emails_send(announcement: Announcement) -> int:
    """E-mail the copies not e-mailed yet, a batch at a time over one connection; each
    batch is marked sent in the transaction that sends it."""
    emails = announcement_renderings(
        announcement, unsubscribe_url="" if announcement.essential else LINK_MARK
    )
    sent = 0
    connection = get_connection()
    while True:
        with transaction.atomic():
            # One sender at a time: a second run waits, then finds these marked sent.
            Announcement.objects.select_for_update().filter(pk=announcement.pk).first()
            batch = list(
                Delivery.objects.filter(
                    announcement=announcement, email_wanted=True, emailed_at__isnull=True
                )
                .select_related("recipient")
                .order_by("pk")[:EMAIL_BATCH]
            )
            if not batch:
                return sent
            connection.send_messages(
                [_message(announcement, delivery, emails, connection) for delivery in batch]
            )
            now = timezone.now()
            Delivery.objects.filter(pk__in=[d.pk for d in batch]).update(emailed_at=now)
            Notification.objects.filter(
                pk__in=[d.notification_id for d in batch if d.notification_id]
            ).update(emailed_at=now)
            sent += len(batch)


def _message(
    announcement: Announcement,
    delivery: Delivery,
    emails: dict[str, RenderedEmail],
    connection: BaseEmailBackend,
) -> EmailMultiAlternatives:
    recipient = delivery.recipient
    email = emails.get(recipient.language) or emails[settings.LANGUAGE_CODE]
    text, html, headers = email.text, email.html, {}
    if not announcement.essential:
        link = settings.SITE_URL + reverse(
            "announcements:unsubscribe", args=[unsubscribe_token(delivery.uuid)]
        )
        text, html = text.replace(LINK_MARK, link), html.replace(LINK_MARK, link)
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=text,
        to=[recipient.email],
        headers=headers,
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def announcement_deliver(announcement_id: int) -> Delivered | None:
    """Deliver a queued announcement; run again, it only finishes what is left."""
    with transaction.atomic():
        announcement = (
            Announcement.objects.select_for_update(of=("self",))
            .select_related("program", "match_round", "author")
            .filter(pk=announcement_id)
            .first()
        )
        if announcement is None or announcement.status == AnnouncementStatus.SENT:
            return None
        if announcement.status != AnnouncementStatus.SENDING:
            announcement.status = AnnouncementStatus.SENDING
            announcement.save(update_fields=["status"])
        _copies_create(announcement)
    emailed = _emails_send(announcement)
    with transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk).update(
            status=AnnouncementStatus.SENT, sent_at=timezone.now()
        )
    return Delivered(
        recipients=Delivery.objects.filter(announcement=announcement).count(), emailed=emailed
    )
