"""The navigation of the site's shell, by role."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from medmentor.notifications.selectors import unread_count


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    badge: int = 0  # a count shown beside the label, e.g. unread notifications

    def is_current(self, path: str) -> bool:
        return path == self.url or (self.url != "/" and path.startswith(self.url))


def navigation(request: HttpRequest) -> dict[str, object]:
    items = [
        NavItem(_("Home"), reverse("core:home")),
        NavItem(_("Programs"), reverse("programs:list")),
        NavItem(_("Program directory"), reverse("directory:index")),
    ]
    user = request.user
    if user.is_authenticated:
        items.append(NavItem(_("My programs"), reverse("programs:mine")))
        items.append(
            NavItem(_("Notifications"), reverse("notifications:list"), badge=unread_count(user))
        )
        if user.is_staff:
            items.append(NavItem(_("Moderation"), reverse("directory:moderation")))
            items.append(NavItem(_("Administration"), reverse("admin:index")))
    path = request.path
    return {"nav_items": [(item, item.is_current(path)) for item in items]}
