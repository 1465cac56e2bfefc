from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "medmentor.institutions"
    label = "institutions"
    verbose_name = _("Institutions")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in

        user_logged_in.connect(_on_logged_in, dispatch_uid="institutions.member_signed_in")


def _on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from medmentor.institutions.adapter import provider_id_of
    from medmentor.institutions.services import member_signed_in

    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        member_signed_in(user=user, provider_id=provider_id_of(sociallogin))
