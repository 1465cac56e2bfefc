from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Speed-mentoring events: a program's session of several short rotations in which each
    mentee meets several mentors; its schedule, the personal schedules and what follows."""

    name = "medmentor.events"
    label = "events"
    verbose_name = _("Events")
