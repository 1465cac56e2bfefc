"""The persona world of the workspace serves the tests of a person's own data too."""

from tests.mentorships.conftest import world

__all__ = ["world"]
