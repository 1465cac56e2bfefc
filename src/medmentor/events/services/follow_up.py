"""After the event: each participant says whom they would like to continue with, among
the people they met. A choice made by both is mutual: both see it, and the mentee can ask
the mentor for a mentorship in one click (the requests app's form)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.events.models import EventFollowUp
from medmentor.events.selectors import EventAccess, met_by


@transaction.atomic
def event_follow_up_set(
    *, access: EventAccess, chosen: Iterable[User], now: datetime | None = None
) -> None:
    """Replace whom ``access.user`` would like to continue with."""
    event = access.event
    if access.place is None:
        raise ValidationError(_("Only the event's participants say whom they would continue with."))
    if not event.was_published or not event.is_over(now or timezone.now()):
        raise ValidationError(_("Say whom you would like to continue with once the event is over."))
    met = {user.pk for user in met_by(event, access.user)}
    people = list(chosen)
    if any(person.pk not in met for person in people):
        raise ValidationError({"people": _("Choose among the people you met at the event.")})
    EventFollowUp.objects.filter(event=event, chooser=access.user).delete()
    EventFollowUp.objects.bulk_create(
        EventFollowUp(event=event, chooser=access.user, chosen=person)
        for person in {p.pk: p for p in people}.values()
    )
