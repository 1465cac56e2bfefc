from __future__ import annotations

import pytest

from tests.factories import UserFactory


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def program_form() -> dict[str, object]:
    """What a visitor types into the submission form for a real-looking program."""
    return {
        "name_en": "Rural Physicians Peer Mentoring",
        "name_fr": "Mentorat entre pairs des médecins ruraux",
        "organisation_en": "Manitoba Rural Physicians Network",
        "organisation_fr": "",
        "description_en": "Peer mentoring for physicians in rural practice.",
        "description_fr": "",
        "audiences": ["physicians"],
        "specialties": ["family-medicine"],
        "region": "MB",
        "formats": ["peer"],
        "languages": ["en", "fr"],
        "cost": "free",
        "website_url": "https://example.org/rural-mentoring",
        "join_url": "https://example.org/rural-mentoring/apply",
        "contact_email": "",
        "status": "active",
        "submitter_email": "Visitor@Example.org",
        "message": "Saw it at a conference.",
        "website": "",
    }
