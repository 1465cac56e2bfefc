from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    """Concerns: a participant tells a program's coordinators about someone they met
    through a request or a mentorship; coordinators follow it up. Its table keeps the
    ``programs_`` name it was created with (decision 0036)."""

    name = "medmentor.concerns"
    label = "concerns"
    verbose_name = _("Concerns")

    def ready(self) -> None:
        from medmentor.accounts.export import register_export_section
        from medmentor.concerns.export import concerns_export

        register_export_section("programs", concerns_export)
