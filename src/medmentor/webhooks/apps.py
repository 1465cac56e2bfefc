from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Signed POSTs to a program's own systems when people join, mentorships start or end
    and surveys are answered, retried by the worker, with a delivery log."""

    name = "medmentor.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from medmentor.mentorships.signals import mentorship_ended, mentorship_started
        from medmentor.programs.signals import member_enrolled
        from medmentor.surveys.signals import survey_answered
        from medmentor.webhooks import receivers

        uid = "medmentor.webhooks"
        member_enrolled.connect(receivers.on_member_enrolled, dispatch_uid=f"{uid}.enrolled")
        mentorship_started.connect(receivers.on_mentorship_started, dispatch_uid=f"{uid}.started")
        mentorship_ended.connect(receivers.on_mentorship_ended, dispatch_uid=f"{uid}.ended")
        survey_answered.connect(receivers.on_survey_answered, dispatch_uid=f"{uid}.answered")
