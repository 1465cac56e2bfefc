"""Reporting a concern to a program's coordinators, and the coordinators following it up."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.concerns.models import CONCERN_TEXT_MAX, Concern, ConcernStatus
from medmentor.concerns.selectors import takes_part
from medmentor.notifications.services import notification_send
from medmentor.profiles.services import block_add
from medmentor.programs.models import Program
from medmentor.programs.selectors import coordinators_of
from medmentor.requests.models import Request


@transaction.atomic
def concern_report(
    *,
    program: Program,
    reporter: User,
    about: User,
    text: str,
    request: Request | None = None,
    also_block: bool = False,
) -> Concern:
    """Record a confidential concern and tell the coordinators (a link, never the text).
    ``also_block`` blocks the person too, through the profiles service."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Tell the coordinators what happened.")})
    if len(text) > CONCERN_TEXT_MAX:
        raise ValidationError(
            {"text": _("Keep it to %(limit)s characters.") % {"limit": CONCERN_TEXT_MAX}}
        )
    if about.pk == reporter.pk:
        raise ValidationError({"about": _("A concern is about someone else.")})
    if request is not None:
        if request.program_id != program.pk or {request.mentee_id, request.mentor_id} != {
            reporter.pk,
            about.pk,
        }:
            raise ValidationError({"request": _("This request is not between you two.")})
    elif not (takes_part(program, reporter) and takes_part(program, about)):
        raise ValidationError({"about": _("You can report only people of a program you are in.")})
    now = timezone.now()
    concern = Concern.objects.create(
        program=program,
        reporter=reporter,
        about=about,
        request=request,
        text=text,
        also_blocked=also_block,
        created_at=now,
        updated_at=now,
    )
    if also_block:
        block_add(blocker=reporter, blocked=about)
    url = reverse("concerns:concern_manage", args=[program.uuid, concern.uuid])
    coordinators = list(coordinators_of(program).exclude(pk=about.pk))
    for coordinator in coordinators:
        notification_send(
            recipient=coordinator,
            kind="programs.concern_received",
            template="concerns/email/request_concern_received",
            context={"program": program},
            url=url,
        )
    if not coordinators:
        # Nobody coordinates the program (the open community, say): the site's staff
        # appoint someone, who then reads it; staff do not read concerns themselves.
        for member in User.objects.filter(is_staff=True, is_active=True).exclude(pk=about.pk):
            notification_send(
                recipient=member,
                kind="programs.concern_unassigned",
                template="concerns/email/concern_unassigned",
                context={"program": program},
                url=reverse("admin:programs_membership_add"),
            )
    return concern


@transaction.atomic
def concern_status_set(*, concern: Concern, by: User, status: str) -> Concern:
    if status not in ConcernStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    if locked.status == status:
        return locked
    locked.status = status
    locked.updated_at = timezone.now()
    locked.updated_by = by
    locked.save(update_fields=["status", "updated_at", "updated_by"])
    access_log(
        actor=by,
        action=Action.DECIDE,
        what=What.CONCERN,
        subjects=[locked.reporter],  # never the person it is about: they are not told
        program=locked.program,
        detail=status,
    )
    # The reporter follows their concern: tell them it moved (the status only).
    notification_send(
        recipient=locked.reporter,
        kind="programs.concern_status",
        template="concerns/email/concern_status",
        context={"program": locked.program, "status": locked.get_status_display()},
        url=reverse("concerns:concerns_mine"),
    )
    return locked
