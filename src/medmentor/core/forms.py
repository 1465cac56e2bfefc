"""Glue every app's forms share: a service's refusal shown beside the field it names, and
small field set-ups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, renamed: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on ``form``: each message beside the field it names
    (``renamed`` maps a service's name to the form's where they differ), and whatever
    names no visible field of the form at the top of it (a message beside a hidden input
    would never be read)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        field = (renamed or {}).get(name, name)
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, messages)


def set_choices(field: forms.Field, choices: list[tuple[str, Any]]) -> None:
    """Choices known only when the form is built (a person's own subjects, programs)."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def described(field: forms.Field, name: str) -> None:
    """Tie the help text to the input for screen readers."""
    if field.help_text:
        field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"
