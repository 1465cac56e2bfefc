"""factory_boy factories shared across the suite."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.test import Client

from medmentor.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """A verified primary address, as allauth expects of a user who can log in."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


def logged_in_client(user: User | None) -> Client:
    """A test client logged in as ``user`` (None: anonymous)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
