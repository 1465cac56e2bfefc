"""What an institution's sign-in and its directory (SCIM) change, and the tokens the
directory uses.

A directory provisions accounts for its own members only: a token sees and changes the
InstitutionMember rows of its institution, nothing else. Its e-mail addresses count as
verified (the institution vouches for them) and must be at one of its domains.

Deactivating someone (``active: false``) closes their account: no log-in, every session
ended, paused as a mentor (pending requests go on as for any paused mentor: they wait
for an answer or move on to the next mentor in time). Their mentorships stay.
Reactivating restores the log-in only: they un-pause themselves. Deleting someone takes
the same path as a person deleting their own account (``accounts.services.account_delete``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from medmentor.accounts.audit import current_address
from medmentor.accounts.models import User
from medmentor.accounts.services import account_delete
from medmentor.core.bearer import digest_of, new_secret
from medmentor.institutions.models import Institution, InstitutionMember, ScimEvent, ScimToken
from medmentor.institutions.scim import ScimError, UserData, invalid
from medmentor.institutions.selectors import institution_for_email, institution_of_app
from medmentor.profiles.models import Profile
from medmentor.profiles.search import INACTIVE_KEY
from medmentor.profiles.services import profile_update

TOKEN_PREFIX = "mm_scim"
# How long a rotated token still works, for the directory to be given the new one.
ROTATION_GRACE = timedelta(hours=24)


# -- Tokens -----------------------------------------------------------------------------


def scim_token_create(
    *, institution: Institution, by: User | None, expires_at: datetime | None = None
) -> tuple[ScimToken, str]:
    """A new token and its plaintext, to show once."""
    secret = new_secret(TOKEN_PREFIX)
    token = ScimToken.objects.create(
        institution=institution,
        digest=secret.digest,
        hint=secret.hint,
        created_by=by,
        expires_at=expires_at,
    )
    return token, secret.plaintext


@transaction.atomic
def scim_token_rotate(
    *, token: ScimToken, by: User | None, grace: timedelta = ROTATION_GRACE
) -> tuple[ScimToken, str]:
    """A new token for the same institution; the old one works for ``grace`` more."""
    ends = timezone.now() + grace
    if token.is_usable() and (token.expires_at is None or token.expires_at > ends):
        token.expires_at = ends
        token.save(update_fields=["expires_at"])
    return scim_token_create(institution=token.institution, by=by)


def scim_token_revoke(*, token: ScimToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def scim_token_authenticate(plaintext: str) -> tuple[ScimToken | None, ScimToken | None]:
    """(the usable token, the token found): a revoked or expired token is found but not
    usable, an unknown one is neither. A usable token's last use is noted."""
    if not plaintext.startswith(TOKEN_PREFIX + "_"):
        return None, None
    found = (
        ScimToken.objects.select_related("institution").filter(digest=digest_of(plaintext)).first()
    )
    if found is None or not found.is_usable():
        return None, found
    now = timezone.now()
    # At most one write a minute per token, not one per request.
    if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
        ScimToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found, found


def scim_event_log(
    *,
    token: ScimToken | None,
    operation: str,
    method: str,
    resource_id: str,
    status: int,
    detail: str = "",
) -> ScimEvent:
    """One row of the SCIM log: the token's hint, never the token."""
    return ScimEvent.objects.create(
        institution=token.institution if token else None,
        token=token,
        token_hint=token.hint if token else "",
        operation=operation,
        method=method[:8],
        resource_id=resource_id[:64],
        status=status,
        detail=detail[:300],
        address=current_address(),
    )


# -- Users ------------------------------------------------------------------------------


def _check_domain(institution: Institution, data: UserData) -> None:
    if data.email is not None and institution_for_email(data.email) != institution:
        domains = ", ".join(institution.domains.values_list("domain", flat=True)) or "-"
        raise invalid(
            data.email_attribute,
            f"{data.email} is not at one of the institution's domains ({domains}).",
        )


def _check_user_name_free(
    institution: Institution, user_name: str, *, besides: InstitutionMember | None = None
) -> None:
    taken = institution.members.filter(
        Q(user_name__iexact=user_name) | Q(user_name="", user__email__iexact=user_name)
    )
    if besides is not None:
        taken = taken.exclude(pk=besides.pk)
    if taken.exists():
        raise ScimError(409, f"userName {user_name} is already in use.", "uniqueness")


def _check_external_id_free(
    institution: Institution, external_id: str, *, besides: InstitutionMember | None = None
) -> None:
    if not external_id:
        return
    taken = institution.members.filter(external_id=external_id)
    if besides is not None:
        taken = taken.exclude(pk=besides.pk)
    if taken.exists():
        raise ScimError(409, f"externalId {external_id} is already in use.", "uniqueness")


def _vouch_for(user: User, email: str) -> None:
    """The address is verified and primary: the institution vouches for it."""
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    elif not (address.primary and address.verified):
        address.primary = address.verified = True
        address.save(update_fields=["primary", "verified"])


def _set_name(user: User, name: str) -> None:
    """The one name: the profile's display name and the account's (profiles keep them
    equal), so the directory's change reaches every page."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        profile_update(profile=profile, data={"display_name": name}, by=None)
    elif user.name != name:
        user.name = name
        user.save(update_fields=["name"])


@transaction.atomic
def scim_user_create(*, institution: Institution, data: UserData) -> InstitutionMember:
    """A new account, or an existing one at that address taken in as a member.

    An existing account is attached (not a 409): the person signed up before their
    directory was connected. It keeps its password and name. It is refused (409) when the
    account is an active member of another institution, or when this institution already
    provisions it under another userName.
    """
    assert data.user_name is not None
    assert data.email is not None
    _check_domain(institution, data)
    user = User.objects.filter(email__iexact=data.email).first()
    member = None
    if user is not None:
        if user.is_former_member:
            raise invalid(data.email_attribute, "this address cannot be used.")
        elsewhere = user.institution_memberships.exclude(institution=institution).filter(
            deactivated_at__isnull=True
        )
        if elsewhere.exists():
            raise ScimError(409, f"{data.email} is a member of another institution.", "uniqueness")
        # A member who signed in through the institution's SSO is taken over; one its
        # directory already provisions is a duplicate.
        member = institution.members.filter(user=user).first()
        if member is not None and member.provisioned:
            raise ScimError(409, f"{data.email} is already provisioned.", "uniqueness")
    _check_user_name_free(institution, data.user_name, besides=member)
    _check_external_id_free(institution, data.external_id or "", besides=member)
    if user is None:
        user = User.objects.create_user(
            email=data.email,
            password=None,  # no usable password: the institution's sign-in, or a reset
            name=data.name or "",
        )
    elif data.name and not user.name:
        _set_name(user, data.name)
    _vouch_for(user, data.email)
    if member is None:
        member = InstitutionMember(institution=institution, user=user)
    member.provisioned = True
    member.user_name = "" if data.user_name.lower() == user.email else data.user_name
    member.external_id = data.external_id or ""
    member.save()
    if data.active is False:
        _deactivate(member)
    return member


@transaction.atomic
def scim_user_update(*, member: InstitutionMember, data: UserData) -> InstitutionMember:
    """Apply what a PUT or PATCH says (None: left as it is)."""
    member = InstitutionMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    institution, user = member.institution, member.user
    _check_domain(institution, data)
    if data.user_name is not None:
        _check_user_name_free(institution, data.user_name, besides=member)
    if data.external_id is not None:
        _check_external_id_free(institution, data.external_id, besides=member)
    if data.email is not None and data.email != user.email:
        if User.objects.filter(email__iexact=data.email).exclude(pk=user.pk).exists():
            raise ScimError(409, f"{data.email} belongs to another account.", "uniqueness")
        old = user.email
        user.email = data.email
        user.save(update_fields=["email"])
        EmailAddress.objects.filter(user=user, email__iexact=old).delete()
        _vouch_for(user, data.email)
    if data.name is not None and data.name and data.name != user.name:
        _set_name(user, data.name)
    if data.user_name is not None:
        member.user_name = "" if data.user_name.lower() == user.email else data.user_name
    if data.external_id is not None:
        member.external_id = data.external_id
    member.provisioned = True
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ScimError(409, "externalId is already in use.", "uniqueness") from None
    if data.active is False and member.deactivated_at is None:
        _deactivate(member)
    elif data.active is True and (member.deactivated_at is not None or not user.is_active):
        _reactivate(member)
    return member


def _end_sessions(user: User) -> int:
    """Delete every session of ``user`` (the database session store keeps the id inside
    the signed data, so each live session is read)."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _deactivate(member: InstitutionMember) -> None:
    user = member.user
    member.deactivated_at = timezone.now()
    member.save(update_fields=["deactivated_at", "updated_at"])
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    _end_sessions(user)
    cache.delete(INACTIVE_KEY)  # mentor search drops them now, not in a minute
    profile = Profile.objects.filter(user=user).first()
    if profile is not None and profile.accepting_mentees:
        profile_update(profile=profile, data={"accepting_mentees": False}, by=None)


def _reactivate(member: InstitutionMember) -> None:
    """Log-in back; the mentor pause stays until the person lifts it."""
    member.deactivated_at = None
    member.save(update_fields=["deactivated_at", "updated_at"])
    user = member.user
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        cache.delete(INACTIVE_KEY)


@transaction.atomic
def scim_user_delete(*, member: InstitutionMember) -> None:
    """The same erasure as a person deleting their own account: partners see "Former
    member" where they were."""
    account_delete(user=member.user)


def member_signed_in(*, user: User, provider_id: str) -> InstitutionMember | None:
    """Record that ``user`` proved, through ``provider_id``'s sign-in, that they belong to
    its institution (the programs that require that institution then let them join)."""
    institution = institution_of_app(provider_id)
    if institution is None:
        return None
    member, _created = InstitutionMember.objects.get_or_create(institution=institution, user=user)
    return member
