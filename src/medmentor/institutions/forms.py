from __future__ import annotations

from typing import Any

from allauth.socialaccount import forms as social_forms
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from medmentor.accounts import forms as account_forms
from medmentor.institutions.models import Institution
from medmentor.institutions.selectors import institution_for_email


def refuse_password_for_sso_only(email: str) -> None:
    """People of an institution that signs them in itself have no password here."""
    institution = institution_for_email(email or "")
    if institution is not None and institution.enforce_sso and institution.has_sso:
        raise forms.ValidationError(
            _(
                "People of %(institution)s log in with their %(institution)s account: use "
                "“Log in with your institution” below."
            )
            % {"institution": institution.name},
            code="sso_only",
        )


class LoginForm(account_forms.LoginForm):
    def clean(self) -> dict[str, Any]:
        refuse_password_for_sso_only(str(self.data.get("login", "")))
        cleaned: dict[str, Any] = super().clean()
        return cleaned


class SignupForm(account_forms.SignupForm):
    def clean_email(self) -> str:
        email: str = super().clean_email()
        refuse_password_for_sso_only(email)
        return email


class SsoSignupForm(social_forms.SignupForm):
    """Asked only when an institution's sign-in cannot make the account by itself (the
    address is already someone's): allauth's form, in MedMentor's words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].label = _lazy("E-mail address")


class InstitutionEmailForm(forms.Form):
    email = forms.EmailField(
        label=_lazy("Your address at your institution"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "name@uottawa.ca"}),
    )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        institution = institution_for_email(email)
        if institution is None or not institution.has_sso:
            raise forms.ValidationError(
                _(
                    "No institution signs in people with this address here. Log in with your "
                    "password instead, or ask your institution to set up MedMentor sign-in."
                )
            )
        self.institution: Institution = institution
        return email
