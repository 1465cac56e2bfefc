"""allauth's social sign-in, as institutions use it (decision 0041).

- An institution vouches only for addresses at its own domains: such an address counts as
  verified whatever the provider says, an address at another institution's domain never
  does (else institution A could sign in as a person of B), and any other address counts
  as verified only when the provider says so (then allauth sends the confirmation e-mail).
- A sign-in app without an institution behind it is refused: nobody can sign in through an
  app that staff have not tied to an institution.
- Every refusal is logged with the app and the reason (never the assertion or a token).
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base.constants import AuthError
from django.http import HttpRequest
from django.shortcuts import render

from medmentor.institutions.models import Institution
from medmentor.institutions.selectors import institution_for_email, institution_of_app

logger = logging.getLogger("medmentor.sso")


def provider_id_of(sociallogin: SocialLogin) -> str:
    return sociallogin.provider.app.provider_id or sociallogin.provider.id


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider_id = provider_id_of(sociallogin)
        institution = institution_of_app(provider_id)
        if institution is None:
            logger.warning("SSO sign-in refused: app %r belongs to no institution", provider_id)
            raise ImmediateHttpResponse(render(request, "institutions/unknown.html", status=403))
        for address in sociallogin.email_addresses:
            address.verified = vouched_for(institution, address.email, claimed=address.verified)
        if sociallogin.user and sociallogin.user.email:
            # The address the new account gets is the first one the institution vouches for.
            vouched = [address for address in sociallogin.email_addresses if address.verified]
            if vouched and not any(a.email == sociallogin.user.email for a in vouched):
                sociallogin.user.email = vouched[0].email

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: Any) -> Any:
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.name = " ".join(str(name or "").split())[:150]
        user.language = getattr(request, "LANGUAGE_CODE", "") or "en"
        return user

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        reasons = (extra_context or {}).get("saml_last_error_reason") or (
            type(exception).__name__ if exception else ""
        )
        if not reasons and getattr(provider, "id", "") == "saml" and error == AuthError.UNKNOWN:
            # allauth's only unexplained SAML refusals: an answer nobody here asked for.
            reasons = "answer to no sign-in request of this site (IdP-initiated), or none posted"
        logger.warning(
            "SSO sign-in refused: app %r, %s%s",
            getattr(provider.app, "provider_id", "") or provider.id,
            error or "error",
            f" ({reasons})" if reasons else "",
        )


def vouched_for(institution: Institution, email: str, *, claimed: bool) -> bool:
    """Whether ``email``, asserted by ``institution``'s sign-in, counts as verified."""
    owner = institution_for_email(email)
    if owner is not None:
        return owner.pk == institution.pk
    return claimed
