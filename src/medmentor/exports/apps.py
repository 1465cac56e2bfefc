from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """A program's lists as CSV for its coordinators: members, mentor requests,
    mentorships (never a word of pair text)."""

    name = "medmentor.exports"
    label = "exports"
    verbose_name = _("Exports")
