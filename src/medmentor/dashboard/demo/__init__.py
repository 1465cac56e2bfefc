"""Demo data for ``make demo``: a few people to log in as, with complete profiles, and a
few hundred realistic others to search through, made idempotently."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from medmentor.accounts.models import User
from medmentor.dashboard.demo.circles import demo_circles
from medmentor.dashboard.demo.mentorship import demo_mentorship
from medmentor.dashboard.demo.oneoff import demo_event, demo_office_hours
from medmentor.dashboard.demo.program import demo_program
from medmentor.profiles.seed import seed_people
from medmentor.profiles.services import profile_get_or_create, profile_update_by_codes

DEMO_PASSWORD = "medmentor-demo"
DEMO_PEOPLE = 300


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


def _demo_profile(user: User, **fields: object) -> None:
    """A complete profile: family medicine, English and French, sexual and public health."""
    data = {
        "display_name": user.name,
        "specialty": "family-medicine",
        "department": "Family Medicine",
        "practice_setting": "academic",
        "province": "ON",
        "languages": ["en", "fr"],
        "interests": ["sexual-health", "public-health"],
        "cadence": "monthly",
        "modality": "either",
        "time_zone": "America/Toronto",
        **fields,
    }
    profile_update_by_codes(profile=profile_get_or_create(user=user), data=data)


@transaction.atomic
def demo_build() -> list[DemoLogin]:
    """Create the demo people (a second run changes nothing) and return their logins."""
    _ensure_user("admin@medmentor.demo", "Site Administrator", staff=True)
    coordinator = _ensure_user("coordinator@medmentor.demo", "Dr. Claire Bouchard")
    mentee = _ensure_user("mentee@medmentor.demo", "Dr. Amira Haddad")
    mentor = _ensure_user("mentor@medmentor.demo", "Dr. Jean Tremblay", language="fr")
    _demo_profile(
        mentee,
        career_stage="resident-pgy2",
        city="Ottawa",
        institution="University of Ottawa",
        bio="Second-year family medicine resident in Ottawa, drawn to sexual health.",
        is_mentee=True,
        goals_sought=["career-goals", "work-life-balance", "clinical-skills"],
        seeking="Choosing between a community practice and an academic career.",
    )
    _demo_profile(
        mentor,
        career_stage="mid-career",
        province="QC",
        city="Montréal",
        institution="McGill University",
        bio="Médecin de famille depuis 15 ans, clinique de santé sexuelle et enseignement.",
        is_mentor=True,
        goals_offered=["career-goals", "work-life-balance", "clinical-skills", "teaching"],
        offering="Career choices in family medicine, sexual health, balancing clinic and family.",
        mentor_capacity=3,
    )
    seed_people(DEMO_PEOPLE)
    demo_mentorship(mentor=mentor, mentee=mentee)
    program = demo_program(coordinator=coordinator, mentee=mentee, mentor=mentor)
    demo_office_hours(program=program, mentor=mentor, mentee=mentee)
    demo_event(program=program, coordinator=coordinator, mentee=mentee, mentor=mentor)
    demo_circles(coordinator=coordinator, mentor=mentor)
    return [
        DemoLogin("staff (admin site)", "admin@medmentor.demo"),
        DemoLogin(
            "coordinator of two programs (a pair round published, a circle round published)",
            "coordinator@medmentor.demo",
        ),
        DemoLogin("mentee (a proposal to answer, a mentorship)", "mentee@medmentor.demo"),
        DemoLogin(
            "mentor (proposals to answer, a mentorship, a peer circle)", "mentor@medmentor.demo"
        ),
    ]
