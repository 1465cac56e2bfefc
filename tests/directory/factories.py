"""Factories for the directory: a public listing, and a submission in any state."""

from __future__ import annotations

import factory
from django.utils import timezone

from medmentor.directory.models import Listing, Submission, SubmissionState


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing

    name_en = factory.Sequence(lambda n: f"Mentorship Program {n}")
    name_fr = factory.Sequence(lambda n: f"Programme de mentorat {n}")
    organisation_en = "Ontario Medical Association"
    organisation_fr = "Association médicale de l'Ontario"
    audiences = factory.LazyFunction(lambda: ["residents"])
    region = "ON"
    formats = factory.LazyFunction(lambda: ["one-to-one"])
    languages = factory.LazyFunction(lambda: ["en"])
    website_url = "https://example.org/mentoring"
    join_url = "https://example.org/join"
    status = "active"
    is_public = True
    published_at = factory.LazyFunction(timezone.now)
    last_verified = factory.LazyFunction(timezone.localdate)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A confirmed submission, waiting for a moderator."""

    class Meta:
        model = Submission

    name_en = factory.Sequence(lambda n: f"Submitted Program {n}")
    organisation_en = "Nova Scotia Health"
    audiences = factory.LazyFunction(lambda: ["physicians"])
    region = "NS"
    contact_email = "program@example.org"
    submitter_email = factory.Sequence(lambda n: f"submitter{n}@example.org")
    submitter_language = "en"
    state = SubmissionState.PENDING
    confirmed_at = factory.LazyFunction(timezone.now)
