"""The wording of one of the program's e-mails, in English and French."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.programs.models import ProgramEmail
from medmentor.programs.models.emails import BODY_MAX, SUBJECT_MAX

BLANK_HELP = _("Leave it blank for the default wording.")


class ProgramEmailForm(forms.Form):
    subject_en = forms.CharField(
        label=_("Subject (English)"), max_length=SUBJECT_MAX, required=False, help_text=BLANK_HELP
    )
    body_en = forms.CharField(
        label=_("Text (English)"),
        max_length=BODY_MAX,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=BLANK_HELP,
    )
    subject_fr = forms.CharField(
        label=_("Subject (French)"), max_length=SUBJECT_MAX, required=False, help_text=BLANK_HELP
    )
    body_fr = forms.CharField(
        label=_("Text (French)"),
        max_length=BODY_MAX,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=BLANK_HELP,
    )

    def __init__(self, *args: Any, edited: ProgramEmail | None = None, **kwargs: Any) -> None:
        if edited is not None:
            kwargs.setdefault(
                "initial",
                {field: getattr(edited, field) for field in ProgramEmailForm.base_fields},
            )
        super().__init__(*args, **kwargs)

    def languages(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        """Each language's code, name, subject and text, to show side by side."""
        return [
            ("en", str(_("English")), self["subject_en"], self["body_en"]),
            ("fr", str(_("French")), self["subject_fr"], self["body_fr"]),
        ]
