"""The coordinator's endpoint form: what it checks itself is only the shape; the address
and the events are checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.webhooks.models import SUBSCRIBABLE, URL_MAX
from medmentor.webhooks.services import DESCRIPTION_MAX


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=URL_MAX,
        help_text=_("Where the site sends its signed POSTs: an https:// address of your system."),
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, required=False
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(event.value, event.label) for event in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
