from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The top of the stack: the signed-in home that gathers what every app says is
    waiting, the site's navigation, the periodic ``remind`` job and the demo. Nothing
    imports it; it may import every app."""

    name = "medmentor.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")
