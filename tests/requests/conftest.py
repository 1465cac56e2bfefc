"""The persona worlds of the programs tests, for the apps lifted out of programs."""

from tests.programs.conftest import program_creator, rworld, world  # noqa: F401
