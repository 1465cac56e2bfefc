"""Rendering e-mails: one subject, a plain-text body and an HTML body per message.

Every app keeps three templates per e-mail, ``<name>_subject.txt``, ``<name>.txt`` and
``<name>.html``. Subject and text are rendered by the ``text`` template engine, which
does not HTML-escape (an apostrophe in a name stays an apostrophe); the HTML body is
rendered by the default engine, which escapes everything people typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
