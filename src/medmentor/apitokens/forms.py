from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from medmentor.apitokens.models import Scope
from medmentor.apitokens.services import DEFAULT_DAYS, max_days

LIFETIMES = (7, 30, 90, 180, 365)  # days a token may be given, up to API_TOKEN_MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so that you recognise it later."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read only: the token may only read (GET). Read and write: it may change."),
    )
    days = forms.TypedChoiceField(label=_("Expires in"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        longest = max_days()
        lifetimes = sorted({days for days in LIFETIMES if days <= longest} | {longest})
        days = self.fields["days"]
        assert isinstance(days, forms.TypedChoiceField)
        days.choices = [
            (str(n), ngettext("%(n)d day", "%(n)d days", n) % {"n": n}) for n in lifetimes
        ]
        days.initial = str(DEFAULT_DAYS if DEFAULT_DAYS in lifetimes else lifetimes[0])
        for name in ("name", "scope"):
            field = self.fields[name]
            field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"
