from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipsConfig(AppConfig):
    name = "medmentor.mentorships"
    label = "mentorships"
    verbose_name = _("Mentorships")
    default_auto_field = "django.db.models.BigAutoField"
