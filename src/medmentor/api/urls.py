"""The one API with every app's router mounted; ``medmentor.urls`` serves it at /api/."""

from medmentor.api.base import api

__all__ = ["api"]
