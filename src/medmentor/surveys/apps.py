from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Surveys a program's coordinators write and send to a segment of its members;
    answers named or anonymous, results in the program report."""

    name = "medmentor.surveys"
    label = "surveys"
    verbose_name = _("Surveys")
