from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipsConfig(AppConfig):
    name = "medmentor.mentorships"
    label = "mentorships"
    verbose_name = _("Mentorships")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Partners see the personal fields shown to "my mentors and mentees".
        from medmentor.mentorships.selectors import partners_among
        from medmentor.profiles.models import Visibility
        from medmentor.profiles.visibility import register_relation

        register_relation(Visibility.MATCHED, partners_among)
        # Leaving MedMentor takes a person's words and keeps their partners' records.
        from medmentor.accounts.erasure import register_eraser
        from medmentor.mentorships.services.erasure import mentorships_erase_person

        register_eraser(mentorships_erase_person)
        from medmentor.accounts.export import register_export_section
        from medmentor.mentorships.selectors.export import mentorships_export

        register_export_section("mentorships", mentorships_export)
