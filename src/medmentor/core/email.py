"""Rendering e-mails: one subject, a plain-text body and an HTML body per message.

Every app keeps three templates per e-mail, ``<name>_subject.txt``, ``<name>.txt`` and
``<name>.html``. Subject and text are rendered by the ``text`` template engine, which
does not HTML-escape (an apostrophe in a name stays an apostrophe); the HTML body is
rendered by the default engine, which escapes everything people typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, context: Mapping[str, Any], *, language: str) -> RenderedEmail:
    values = dict(context)
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", values, using="text")
        text = render_to_string(f"{template}.txt", values, using="text")
        html = render_to_string(f"{template}.html", values)
    return RenderedEmail(subject=" ".join(subject.split()), text=text.strip(), html=html.strip())


# A file to attach: its name, its content and its MIME type.
Attachment = tuple[str, str | bytes, str]


def email_send(email: RenderedEmail, *, to: str, attachments: Sequence[Attachment] = ()) -> None:
    """Send a rendered e-mail to one address: the text, its HTML alternative, attachments.
    One recipient a message, so nobody sees another's address."""
    message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[to])
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def send_templated_email(
    template: str,
    context: Mapping[str, Any],
    *,
    to: str,
    language: str,
    attachments: Sequence[Attachment] = (),
) -> None:
    """Render ``template`` in ``language`` and send it to ``to`` (see :func:`email_send`)."""
    email_send(render_email(template, context, language=language), to=to, attachments=attachments)


def bilingual(parts: Sequence[RenderedEmail]) -> RenderedEmail:
    """One message in several languages, one after the other: for someone whose language
    the site does not know yet (a guest, a person imported without one)."""
    return RenderedEmail(
        subject=" / ".join(part.subject for part in parts)[:200],
        text="\n\n----------\n\n".join(part.text for part in parts),
        html="<!DOCTYPE html>\n<html><body>"
        + "<hr>".join(part.html for part in parts)
        + "</body></html>",
    )
