from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchroundsConfig(AppConfig):
    """Match rounds: a coordinator runs the engine over a program's participants, reviews
    the proposals and publishes them; accepted proposals start mentorships. Above
    ``mentorships``; its tables keep the ``programs_`` names they were created with
    (decision 0036)."""

    name = "medmentor.matchrounds"
    label = "matchrounds"
    verbose_name = _("Match rounds")

    def ready(self) -> None:
        from medmentor.accounts.export import register_export_section
        from medmentor.matchrounds.export import matchrounds_export
        from medmentor.matchrounds.selectors.relations import proposal_counterparts_among
        from medmentor.profiles.models import Visibility
        from medmentor.profiles.visibility import register_relation

        # Two people a published round proposed to each other see what profiles show
        # to "matched".
        register_relation(Visibility.MATCHED, proposal_counterparts_among)
        register_export_section("programs", matchrounds_export)
