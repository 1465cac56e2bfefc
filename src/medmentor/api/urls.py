"""The one API with every app's router mounted; ``medmentor.urls`` serves it at /api/."""

from medmentor.api.base import api
from medmentor.api.directory import router as directory_router
from medmentor.api.mentorships import router as mentorships_router
from medmentor.api.notifications import router as notifications_router
from medmentor.api.officehours import router as officehours_router
from medmentor.api.profiles import router as profiles_router
from medmentor.api.programs import router as programs_router
from medmentor.api.reports import router as reports_router
from medmentor.api.requests import router as requests_router
from medmentor.api.rounds import router as rounds_router

api.add_router("/notifications/", notifications_router)
api.add_router("/directory/", directory_router)
api.add_router("/programs/", programs_router)
api.add_router("/programs/", reports_router)
api.add_router("/mentorships/", mentorships_router)
api.add_router("/profiles/", profiles_router)
api.add_router("/requests/", requests_router)
api.add_router("/rounds/", rounds_router)
api.add_router("/office-hours/", officehours_router)

__all__ = ["api"]
