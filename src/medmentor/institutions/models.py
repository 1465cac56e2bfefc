"""An institution whose people sign in with its own account (SSO) and whose directory may
provision them (SCIM): a faculty of medicine, a health authority, a hospital.

Its sign-in is an allauth social app (OpenID Connect or SAML), configured in the admin or in
settings, named here by its ``provider_id``; its e-mail domains choose it on the log-in page.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from medmentor.core.validators import no_markup

validate_domain = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Enter a domain such as uottawa.ca, in lower case, without @ or https://."),
)


class SsoProtocol(models.TextChoices):
    NONE = "", _("none (SCIM only)")
    OIDC = "openid_connect", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class Institution(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=160, validators=[no_markup])
    slug = models.SlugField(
        _("short name"),
        unique=True,
        help_text=_("Used in addresses: the SAML endpoints and the sign-in link (e.g. uottawa)."),
    )
    sso_protocol = models.CharField(
        _("sign-in protocol"), max_length=16, choices=SsoProtocol.choices, blank=True
    )
    sso_provider_id = models.CharField(
        _("sign-in app"),
        max_length=64,
        blank=True,
        help_text=_(
            "The provider ID of the social application (admin, Social applications) or of the "
            "app in SSO_PROVIDERS that signs this institution's people in."
        ),
    )
    enforce_sso = models.BooleanField(
        _("sign-in through the institution only"),
        default=False,
        help_text=_(
            "People with an e-mail address at one of its domains cannot sign in with a password."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["sso_provider_id"],
                condition=~models.Q(sso_provider_id=""),
                name="institution_one_per_sign_in_app",
            ),
            models.CheckConstraint(
                condition=models.Q(sso_protocol="", sso_provider_id="")
                | (~models.Q(sso_protocol="") & ~models.Q(sso_provider_id="")),
                name="institution_protocol_with_app",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_sso(self) -> bool:
        return bool(self.sso_provider_id)


class InstitutionDomain(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("e-mail domain"), max_length=253, validators=[validate_domain])

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="institution_domain_unique"),
        ]

    def __str__(self) -> str:
        return self.domain


class InstitutionMember(models.Model):
    """A person the institution vouches for: signed in through its SSO, or provisioned by
    its directory (SCIM), or both."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institution_memberships"
    )
    # The directory's own identifier of the person (SCIM externalId), when it sent one.
    external_id = models.CharField(max_length=255, blank=True)
    provisioned = models.BooleanField(default=False)  # created or managed through SCIM
    deactivated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "user"], name="institution_member_once"),
            models.UniqueConstraint(
                fields=["institution", "external_id"],
                condition=~models.Q(external_id=""),
                name="institution_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} member {self.uuid}"
