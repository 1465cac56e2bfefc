from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentsConfig(AppConfig):
    """Segments: the parts of a program's membership a coordinator writes to or surveys
    (mentees, a round's cohort, people in active pairs, ...). Read-only, no models."""

    name = "medmentor.segments"
    label = "segments"
    verbose_name = _("Segments")
