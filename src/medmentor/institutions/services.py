"""What an institution's sign-in changes."""

from __future__ import annotations

from medmentor.accounts.models import User
from medmentor.institutions.models import InstitutionMember
from medmentor.institutions.selectors import institution_of_app


def member_signed_in(*, user: User, provider_id: str) -> InstitutionMember | None:
    """Record that ``user`` proved, through ``provider_id``'s sign-in, that they belong to
    its institution (the programs that require that institution then let them join)."""
    institution = institution_of_app(provider_id)
    if institution is None:
        return None
    member, _created = InstitutionMember.objects.get_or_create(institution=institution, user=user)
    return member
