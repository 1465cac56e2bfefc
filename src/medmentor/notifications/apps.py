from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "medmentor.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from medmentor.accounts.erasure import register_eraser
        from medmentor.notifications.services import notifications_erase_person

        register_eraser(notifications_erase_person)
        from medmentor.accounts.export import register_export_section
        from medmentor.notifications.selectors import notifications_export

        register_export_section("notifications", notifications_export)
