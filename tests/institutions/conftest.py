from tests.institutions.oidc import oidc_provider_for

__all__ = ["oidc_provider_for"]
