from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """The CSV import of a program's participants: upload, a preview that names every bad
    row and column, all-or-nothing commit, invitations in the background. Its table
    keeps the ``programs_`` name it was created with (decision 0036)."""

    name = "medmentor.imports"
    label = "imports"
    verbose_name = _("Participant imports")
