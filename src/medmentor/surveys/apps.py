from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Surveys a program's coordinators write and send to a segment of its members;
    answers named or anonymous, results in the program report."""

    name = "medmentor.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from medmentor.accounts.export import register_export_section
        from medmentor.mentorships.evaluation import register_evaluation_links
        from medmentor.surveys.export import surveys_export
        from medmentor.surveys.selectors import closure_survey_links

        register_evaluation_links(closure_survey_links)
        register_export_section("programs", surveys_export)
