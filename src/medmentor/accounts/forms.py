from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.core.validators import no_markup


class SignupForm(forms.Form):
    """What allauth's sign-up asks besides the address and password: the name others will
    see (a partner, a coordinator), so that nobody is ever shown by their address. The
    adapter stores it."""

    field_order = ("name", "email", "password1", "password2")

    name = forms.CharField(
        label=_("Your name, as others will see it"),
        help_text=_("With your title if you use one, e.g. Dr. Amira Haddad."),
        max_length=User._meta.get_field("name").max_length,
        validators=[no_markup],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request: Any, user: User) -> None:
        """allauth's hook after the account is saved: nothing left to do."""


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my data will be deleted for good."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password
