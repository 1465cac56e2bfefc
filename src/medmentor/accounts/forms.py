from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.core.validators import no_markup


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


class _MedMentorWording:
    """allauth's account forms with MedMentor's spelling of their labels ("E-mail address",
    "Remember me"); their fields, validation and flows stay allauth's."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("login", "email"):
            if name in self.fields:
                self.fields[name].label = _("E-mail address")
                self.fields[name].widget.attrs["placeholder"] = _("E-mail address")
        if "remember" in self.fields:
            self.fields["remember"].label = _("Remember me")


class LoginForm(_MedMentorWording, allauth_forms.LoginForm):
    pass


class SignupForm(_MedMentorWording, allauth_forms.SignupForm):
    """Sign-up asks the name others will see (a partner, a coordinator), so that nobody is
    ever shown by their address; the adapter stores it."""

    field_order = ("name", "email", "password1", "password2")

    name = forms.CharField(
        label=_("Your name, as others will see it"),
        help_text=_("With your title if you use one, e.g. Dr. Amira Haddad."),
        max_length=User._meta.get_field("name").max_length,
        validators=[no_markup],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class AddEmailForm(_MedMentorWording, allauth_forms.AddEmailForm):
    pass


class ResetPasswordForm(_MedMentorWording, allauth_forms.ResetPasswordForm):
    pass
