from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "medmentor.profiles"
    label = "profiles"
    verbose_name = _("Profiles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from medmentor.accounts.export import register_export_section
        from medmentor.profiles import taxonomy
        from medmentor.profiles.selectors import profile_section

        register_export_section("profile", profile_section)
        # The taxonomy's version is looked up once per request, not once per read.
        request_started.connect(taxonomy.request_started, dispatch_uid="taxonomy-request")
        request_finished.connect(taxonomy.request_finished, dispatch_uid="taxonomy-request")
