"""Kept for the directory's first migrations, which name this path: the validator itself
is shared by every app (``medmentor.core.validators``)."""

from medmentor.core.validators import no_markup

__all__ = ["no_markup"]
