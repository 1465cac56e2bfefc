"""The coordinator's endpoint form. The address is checked here too (as the services
check it), so that its error shows with the others."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.webhooks.addresses import url_check
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

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"]).strip()
        url_check(url)
        return url
