"""Telling people things. Every app notifies through ``notification_send``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.core.email import RenderedEmail, render_email
from medmentor.notifications.models import Channel, Notification, Preference
from medmentor.notifications.tasks import send_notification_email

TITLE_MAX = 200


def render_in_languages(
    template: str, context: Mapping[str, Any], *, also: Iterable[str] = ()
) -> dict[str, RenderedEmail]:
    """``template`` rendered once in each of the site's languages (and in ``also``): what
    a notice to many people with no personal part needs, once rather than per person."""
    languages = {code for code, _name in settings.LANGUAGES} | set(also)
    return {code: render_email(template, context, language=code) for code in sorted(languages)}


def notification_texts(rendered: Mapping[str, RenderedEmail]) -> dict[str, dict[str, str]]:
    """:attr:`Notification.texts` from a rendering in each language."""
    return {
        code: {"title": text.subject[:TITLE_MAX], "body": text.text, "body_html": text.html}
        for code, text in rendered.items()
    }


def preferred_channel(user: User) -> str:
    preference = Preference.objects.filter(user=user).values_list("channel", flat=True).first()
    return preference or Channel.EMAIL


@transaction.atomic
def notification_send(
    *,
    recipient: User,
    kind: str,
    template: str,
    context: Mapping[str, Any] | None = None,
    url: str = "",
) -> Notification:
    """Record a notification for ``recipient`` and e-mail it if they want e-mail.

    ``template`` names three templates rendered in the recipient's language:
    ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html``. The e-mail is
    queued only when the surrounding transaction commits, so a rolled-back change
    sends nothing. Never put confidential text (notes, messages) in the context.
    """
    full_url = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    values = {"recipient": recipient, "url": full_url, "site_url": settings.SITE_URL}
    values.update(context or {})
    # Every language now, while the context's objects are as the notice describes them:
    # the reader may switch language later, and the site shows it in theirs.
    rendered = render_in_languages(template, values, also=(recipient.language,))
    email = rendered[recipient.language]
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=email.subject[:TITLE_MAX],
        body=email.text,
        body_html=email.html,
        texts=notification_texts(rendered),
        url=url,
        email_wanted=preferred_channel(recipient) == Channel.EMAIL,
    )
    named = {value for value in values.values() if isinstance(value, User)} - {recipient}
    if named:
        notification.naming.set(named)
    if notification.email_wanted:
        transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def notifications_erase_person(person: User, former: User) -> None:
    """A person leaves: their own notifications go with their account; in everyone else's,
    their name becomes "Former member", in each reader's language (e-mails not sent yet
    are sent from these rows, so they change too)."""
    names = {person.name, person.email}
    profile = getattr(person, "profile", None)
    if profile is not None and profile.display_name:
        names.add(profile.display_name)
    names = {name for name in names if name}
    ordered = sorted(names, key=len, reverse=True)

    def without_names(text: str, field: str, language: str) -> str:
        with translation.override(language):
            label = str(_("Former member"))
        for name in ordered:
            if field == "body_html":
                text = text.replace(str(escape(name)), str(escape(label)))
            text = text.replace(name, label)
        return text

    for notification in Notification.objects.filter(naming=person).select_related("recipient"):
        for field in ("title", "body", "body_html"):
            text = getattr(notification, field)
            setattr(
                notification, field, without_names(text, field, notification.recipient.language)
            )
        notification.texts = {
            language: {field: without_names(text, field, language) for field, text in texts.items()}
            for language, texts in notification.texts.items()
        }
        notification.save(update_fields=["title", "body", "body_html", "texts"])
        notification.naming.remove(person)


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user: User, channel: str) -> Preference:
    preference, _ = Preference.objects.update_or_create(user=user, defaults={"channel": channel})
    return preference
