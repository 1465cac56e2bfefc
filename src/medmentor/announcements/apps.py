from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    """Messages a program's coordinators send to a segment of its members, in-site and by
    e-mail, with a sent log."""

    name = "medmentor.announcements"
    label = "announcements"
    verbose_name = _("Announcements")
