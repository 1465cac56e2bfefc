"""Validators shared by the directory's forms, models and API."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A name or an organisation is plain text: angle brackets only ever come from markup.
_MARKUP = re.compile(r"[<>]")


def no_markup(value: str) -> None:
    if _MARKUP.search(value):
        raise ValidationError(_("Write plain text here, without < or >."), code="markup")
