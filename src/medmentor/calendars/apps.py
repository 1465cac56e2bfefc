from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """Each person's calendar feed: a private, revocable address any calendar app can
    subscribe to, with their meetings, office hours and events in their own time zone.
    At the top of the layers: it reads the mentorships', office hours' and events' apps
    and writes each one's events with that app's own builder (its ``ics`` module)."""

    name = "medmentor.calendars"
    label = "calendars"
    verbose_name = _("Calendar feeds")
    default_auto_field = "django.db.models.BigAutoField"
