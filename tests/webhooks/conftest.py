import pytest

from tests.webhooks.support import receiver  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def _private_hosts_allowed(settings):
    """The receiver runs on 127.0.0.1: the tests allow it, as WEBHOOKS_ALLOW_PRIVATE_HOSTS
    does; the refusal of private addresses is tested with it off."""
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
