"""Which institution an address or a person belongs to, and whether it vouches for them."""

from __future__ import annotations

from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from medmentor.accounts.models import User
from medmentor.institutions.models import Institution, InstitutionDomain, InstitutionMember


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def institution_for_email(email: str) -> Institution | None:
    """The institution whose e-mail domain ``email`` is at (a subdomain counts: the
    address med.uottawa.ca belongs to uottawa.ca), or None."""
    domain = domain_of(email)
    if not domain:
        return None
    parts = domain.split(".")
    candidates = [".".join(parts[index:]) for index in range(len(parts) - 1)]
    found = {
        institution_domain.domain.lower(): institution_domain.institution
        for institution_domain in InstitutionDomain.objects.filter(
            domain__in=candidates
        ).select_related("institution")
    }
    # The most specific domain wins (med.uottawa.ca before uottawa.ca).
    return next((found[candidate] for candidate in candidates if candidate in found), None)


def with_sso() -> list[Institution]:
    """Institutions whose people sign in through them, for the log-in page."""
    return list(Institution.objects.exclude(sso_provider_id="").order_by("name"))


def signed_in_through(user: User | AnonymousUser, institution: Institution) -> bool:
    """Whether ``user`` has proved, by signing in through ``institution``'s own account,
    that they belong to it (and its directory has not deactivated them)."""
    if not institution.has_sso or not user.is_authenticated:
        return False
    deactivated = institution.members.filter(user=user, deactivated_at__isnull=False).exists()
    return (
        not deactivated
        and SocialAccount.objects.filter(user=user, provider=institution.sso_provider_id).exists()
    )


def institution_of_app(provider_id: str) -> Institution | None:
    """The institution a sign-in app (its allauth provider_id) belongs to."""
    if not provider_id:
        return None
    return Institution.objects.filter(sso_provider_id=provider_id).first()


def sign_in_origin(app: SocialApp) -> str:
    """Where an app's sign-in page lives (scheme and host): the OpenID Connect server, or
    the SAML identity provider's single sign-on (or metadata) address."""
    settings = app.settings or {}
    idp = settings.get("idp") or {}
    address = settings.get("server_url") or idp.get("sso_url") or idp.get("metadata_url") or ""
    parts = urlsplit(str(address))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "'self'"


def scim_members(institution: Institution) -> QuerySet[InstitutionMember]:
    """The institution's members as its directory sees them, each with its SCIM userName
    (``scim_user_name``: the one it gave, or the e-mail address), oldest first."""
    return (
        institution.members.select_related("user")
        .annotate(
            scim_user_name=Coalesce(
                NullIf("user_name", Value("")), F("user__email"), output_field=CharField()
            )
        )
        .order_by("created_at", "pk")
    )
