"""The one API with every app's router mounted; ``medmentor.urls`` serves it at /api/."""

from medmentor.api.base import api
from medmentor.api.profiles import router as profiles_router

api.add_router("/profiles/", profiles_router)

__all__ = ["api"]
