"""allauth glue: the user's name and language follow them into their account, and
allauth's e-mails and messages speak as MedMentor (its name, SITE_URL's domain, its
spelling)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from medmentor.core.site import current_site


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "cannot_remove_primary_email": _("You cannot remove your primary e-mail address."),
        "duplicate_email": _("This e-mail address is already on your account."),
        "email_password_mismatch": _("This e-mail address and password do not match."),
        "email_taken": _("An account with this e-mail address already exists."),
        "max_email_addresses": _("You cannot add more than %d e-mail addresses."),
        "unknown_email": _("No account has this e-mail address."),
        "unverified_primary_email": _("Your primary e-mail address must be confirmed."),
    }

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.language = translation.get_language_from_request(request) or "en"
        user.name = " ".join(form.cleaned_data.get("name", "").split())
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth names the site after the request's host ("Hello from 127.0.0.1:8301!"):
        # MedMentor's e-mails name MedMentor, at the address SITE_URL gives.
        super().send_mail(template_prefix, email, {**context, "current_site": current_site()})

    def get_reauthentication_methods(self, user: Any) -> list[dict[str, Any]]:
        methods: list[dict[str, Any]] = super().get_reauthentication_methods(user)
        for method in methods:
            if method["id"] == "reauthenticate_by_code":
                method["description"] = _("E-mail me a code")
        return methods
