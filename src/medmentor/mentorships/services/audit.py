"""The coordinator's reasoned view: each one is written where the pair can read it, and in
each person's access log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.models import AccessAudit, EventKind
from medmentor.mentorships.services.common import event_add

REASON_MIN, REASON_MAX = 10, 500


@transaction.atomic
def coordinator_view_record(*, access: MentorshipAccess, reason: str) -> AccessAudit:
    if not access.is_coordinator:
        raise PermissionDenied
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN:
        raise ValidationError(
            {
                "reason": _("Say why you open this mentorship (at least %(n)s characters).")
                % {"n": REASON_MIN}
            }
        )
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}}
        )
    audit = AccessAudit.objects.create(
        mentorship=access.mentorship,
        viewer=access.user,
        viewer_name=str(access.user),
        reason=reason,
        at=timezone.now(),
    )
    event_add(mentorship=access.mentorship, kind=EventKind.COORDINATOR_VIEW, actor=access.user)
    mentorship = access.mentorship
    access_log(
        actor=access.user,
        action=Action.VIEW,
        what=What.MENTORSHIP,
        subjects=[mentorship.mentee_id, mentorship.mentor_id],
        program=mentorship.program,
        detail=reason,
    )
    return audit
