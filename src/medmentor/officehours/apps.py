from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeHoursConfig(AppConfig):
    """Office hours: a mentor's bookable one-off slots ("flash mentoring") for mentees
    with one question. Above ``requests`` and ``mentorships``: a booking can turn into a
    direct request, and its invitations are written the way meetings' are."""

    name = "medmentor.officehours"
    label = "officehours"
    verbose_name = _("Office hours")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Leaving MedMentor takes a person's questions and reflections; an export gives
        # them back.
        from medmentor.accounts.erasure import register_eraser
        from medmentor.accounts.export import register_export_section
        from medmentor.officehours.selectors import office_hours_export
        from medmentor.officehours.services.erasure import office_hours_erase_person

        register_eraser(office_hours_erase_person)
        # In the export's "programs" section, beside the requests (the format's sections
        # stay as documented): ``programs.office_hours``.
        register_export_section("programs", office_hours_export)
