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


def navigation(request: HttpRequest) -> dict[str, object]:
    """The main links, and the secondary ones a logged-in person finds under "Account"
    (so that the busiest header, a coordinator who mentors and is mentored, fits one line
    at 1280 px)."""
    items = [
        NavItem(_("Find a mentor"), reverse("profiles:mentor_search")),
        NavItem(_("Programs"), reverse("programs:list")),
        NavItem(_("Program directory"), reverse("directory:index")),
    ]
    account: list[NavItem] = []
    user = request.user
    if user.is_authenticated:
        items.insert(0, NavItem(_("Dashboard"), reverse("dashboard:dashboard")))
        items.append(NavItem(_("My mentorships"), reverse("mentorships:mine")))
        items.append(NavItem(_("My programs"), reverse("programs:mine")))
        items.append(
            NavItem(_("Notifications"), reverse("notifications:list"), badge=unread_count(user))
        )
        account.append(NavItem(_("My profile"), reverse("profiles:me")))
        account.append(NavItem(_("My office hours"), reverse("officehours:mine")))
        account.append(NavItem(_("My bookings"), reverse("officehours:bookings")))
        account.append(NavItem(_("Account settings"), reverse("account_email")))
        if user.is_staff:
            account.append(NavItem(_("Moderation"), reverse("directory:moderation")))
            account.append(NavItem(_("Administration"), reverse("admin:index")))
    # The current item is the most specific one the path falls under (/programs/mine/
    # is "My programs", not "Programs").
    matching = [item for item in items + account if request.path.startswith(item.url)]
    current = max(matching, key=lambda item: len(item.url), default=None)
    return {
        "nav_items": [(item, item is current) for item in items],
        "account_items": [(item, item is current) for item in account],
    }
