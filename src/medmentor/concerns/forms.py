"""Forms of concerns. They check shapes; the services check rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from medmentor.concerns.models import CONCERN_TEXT_MAX, ConcernStatus
from medmentor.concerns.selectors import ConcernSubject
from medmentor.core.forms import described, set_choices


def subject_label(subject: ConcernSubject) -> str:
    label = f"{subject.person.get_full_name()} · {subject.program.name}"
    if subject.request is not None:
        sent = date_format(localtime(subject.request.sent_at), "DATE_FORMAT")
        label += " · " + _("request of %(date)s") % {"date": sent}
    return label


class ConcernForm(forms.Form):
    subject = forms.ChoiceField(label=_("About"))
    text = forms.CharField(
        label=_("What happened"),
        max_length=CONCERN_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only the program's coordinators read this. Never write patient information."),
    )
    also_block = forms.BooleanField(
        label=_("Also block this person: you will no longer see, ask or be proposed each other"),
        required=False,
    )

    def __init__(self, *args: Any, subjects: list[ConcernSubject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["subject"], [(s.key, subject_label(s)) for s in subjects])
        described(self.fields["text"], "text")


class ConcernStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ConcernStatus.choices)
