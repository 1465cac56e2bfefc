from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "medmentor.profiles"
    label = "profiles"
    verbose_name = _("Profiles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medmentor.accounts.export import register_export_section
        from medmentor.profiles.selectors import profile_section

        register_export_section("profile", profile_section)
