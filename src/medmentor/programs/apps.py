from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "medmentor.programs"
    label = "programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        # Fellow members of a program see what profiles show to that level.
        from medmentor.profiles.models import Visibility
        from medmentor.profiles.visibility import register_relation
        from medmentor.programs.selectors.relations import fellow_members_among

        register_relation(Visibility.PROGRAMS, fellow_members_among)
        from medmentor.accounts.export import register_export_section
        from medmentor.programs.selectors.export import programs_export

        register_export_section("programs", programs_export)
