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
