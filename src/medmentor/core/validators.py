"""Validators every app applies to what people type."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A name (a person's, a program's, an institution's) is plain text: angle brackets only
# ever come from markup. Checked on the model field, so that every way in (the pages'
# forms, the API, a CSV import, the admin) refuses it the same way.
_MARKUP = re.compile(r"[<>]")


def no_markup(value: str) -> None:
    if _MARKUP.search(value):
        raise ValidationError(_("Write plain text here, without < or >."), code="markup")
