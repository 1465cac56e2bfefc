"""``{% office_hours_link user %}``: a link to a mentor's office hours when they have a
slot open to book (for the profile page, which knows nothing of office hours)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.officehours.selectors import has_open_slots, profile_uuid_of

register = template.Library()


@register.simple_tag
def office_hours_link(user: User) -> SafeString | str:
    if not has_open_slots(user):
        return ""
    uuid = profile_uuid_of(user)
    if uuid is None:
        return ""
    return format_html(
        '<section class="panel" aria-labelledby="office-hours-title">'
        '<h2 id="office-hours-title">{}</h2><p>{} <a href="{}">{}</a></p></section>',
        _("Office hours"),
        _("One question? Book a short one-off conversation."),
        reverse("officehours:mentor_slots", args=[uuid]),
        _("See the open slots"),
    )
