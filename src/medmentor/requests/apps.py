from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    """Direct requests: a mentee asks a mentor (or a line-up of mentors in turn) and an
    accepted request starts a mentorship. Above ``mentorships``; its tables keep the
    ``programs_`` names they were created with (decision 0036)."""

    name = "medmentor.requests"
    label = "requests"
    verbose_name = _("Direct requests")

    def ready(self) -> None:
        from medmentor.accounts.export import register_export_section
        from medmentor.profiles.asking import register_ask_options
        from medmentor.profiles.models import Visibility
        from medmentor.profiles.services import register_block_listener
        from medmentor.profiles.visibility import register_relation
        from medmentor.requests.export import requests_export
        from medmentor.requests.selectors import ask_options, request_counterparts_among
        from medmentor.requests.services import requests_close_between

        # A block closes any request waiting between the two, in the block's transaction.
        register_block_listener(requests_close_between)
        # Profiles and the mentor search offer "Ask" by this app's rule.
        register_ask_options(ask_options)
        register_export_section("programs", requests_export)
        # A mentee and a mentor they asked see what profiles show to "matched".
        register_relation(Visibility.MATCHED, request_counterparts_among)
