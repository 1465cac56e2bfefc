from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "medmentor.directory"
    label = "directory"
    verbose_name = _("Program directory")

    def ready(self) -> None:
        from medmentor.accounts.export import register_export_section
        from medmentor.directory.selectors import claims_export

        register_export_section("directory", claims_export)
