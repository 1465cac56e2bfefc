"""Demo data for ``make demo``: a few people to log in as, made idempotently."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from medmentor.accounts.models import User
from medmentor.mentorships.demo import demo_mentorship

DEMO_PASSWORD = "medmentor-demo"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str = DEMO_PASSWORD


def _ensure_user(email: str, name: str, *, staff: bool = False, language: str = "en") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        if staff:
            user = User.objects.create_superuser(email, DEMO_PASSWORD, name=name)
        else:
            user = User.objects.create_user(email, DEMO_PASSWORD, name=name, language=language)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def demo_build() -> list[DemoLogin]:
    """Create the demo people (a second run changes nothing) and return their logins."""
    _ensure_user("admin@medmentor.demo", "Site Administrator", staff=True)
    mentee = _ensure_user("mentee@medmentor.demo", "Dr. Amira Haddad")
    mentor = _ensure_user("mentor@medmentor.demo", "Dr. Jean Tremblay", language="fr")
    demo_mentorship(mentor=mentor, mentee=mentee)
    return [
        DemoLogin("staff (admin site)", "admin@medmentor.demo"),
        DemoLogin("mentee", "mentee@medmentor.demo"),
        DemoLogin("mentor", "mentor@medmentor.demo"),
    ]
