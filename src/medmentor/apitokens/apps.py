from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiTokensConfig(AppConfig):
    """Personal and program-scoped tokens that let a script call the JSON API as their
    owner, beside the session."""

    name = "medmentor.apitokens"
    label = "apitokens"
    verbose_name = _("API tokens")
