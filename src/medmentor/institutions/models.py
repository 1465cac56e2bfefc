"""An institution whose people log in with its own account (SSO) and whose directory may
provision them (SCIM): a faculty of medicine, a health authority, a hospital.

Its sign-in is an allauth social app (OpenID Connect or SAML), configured in the admin or in
settings, named here by its ``provider_id``; its e-mail domains choose it on the log-in page.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.core.bearer import DIGEST_LENGTH
from medmentor.core.models import AppendOnlyModel
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
            "People with an e-mail address at one of its domains cannot log in with a password."
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
    # The directory's login name of the person (SCIM userName, e.g. an Entra UPN), when it
    # differs from nothing: blank means their e-mail address stands for it.
    user_name = models.CharField(max_length=255, blank=True)
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


class ScimToken(models.Model):
    """A bearer token an institution's directory provisions its people with (SCIM 2.0).

    Only the digest is kept (``core.bearer``); the plaintext is shown once to the staff
    member who creates it. A rotated token stays valid for a grace period so that the
    directory can be given the new one without a gap.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="scim_tokens",
        verbose_name=_("institution"),
    )
    digest = models.CharField(max_length=DIGEST_LENGTH, unique=True, editable=False)
    hint = models.CharField(_("begins with"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    expires_at = models.DateTimeField(
        _("expires"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a token that lasts until it is rotated or revoked."),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("SCIM token")
        verbose_name_plural = _("SCIM tokens")

    def __str__(self) -> str:
        return f"{self.institution} · {self.hint}…"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ScimEvent(AppendOnlyModel):
    """One request of a directory (SCIM): which institution and token (its hint, never the
    token), what it asked, about which resource, and how it ended. Written once."""

    class Operation(models.TextChoices):
        DISCOVER = "discover", _("Read the configuration")
        LIST = "list", _("Listed users")
        GET = "get", _("Read a user")
        CREATE = "create", _("Created a user")
        REPLACE = "replace", _("Replaced a user")
        UPDATE = "update", _("Updated a user")
        DELETE = "delete", _("Deleted a user")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scim_events",
        verbose_name=_("institution"),
    )
    token = models.ForeignKey(
        ScimToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    token_hint = models.CharField(_("token"), max_length=16, blank=True)
    operation = models.CharField(_("operation"), max_length=10, choices=Operation.choices)
    method = models.CharField(max_length=8)
    resource_id = models.CharField(_("resource"), max_length=64, blank=True)
    status = models.PositiveSmallIntegerField(_("status"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("SCIM request")
        verbose_name_plural = _("SCIM requests")

    def __str__(self) -> str:
        return f"{self.token_hint or '-'} · {self.operation} · {self.status}"
