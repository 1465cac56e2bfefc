"""allauth glue: the user's name and language follow them into their account."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.language = translation.get_language_from_request(request) or "en"
        user.name = " ".join(form.cleaned_data.get("name", "").split())
        if commit:
            user.save()
        return user
