"""Writing an announcement (recorded and queued; the worker delivers it) and a reader's
choice about the program's non-essential announcement e-mails."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.announcements.models import BODY_MAX, SUBJECT_MAX, Announcement, OptOut
from medmentor.announcements.tasks import deliver_announcement
from medmentor.matchrounds.models import MatchRound
from medmentor.programs.models import Program
from medmentor.segments.selectors import ROUND_SEGMENTS, Segment, segment_label, segment_rounds

# At most this many announcements per program in any 24 hours.
ANNOUNCEMENTS_PER_DAY = 5


def _text_errors(*, subject_en: str, body_en: str, subject_fr: str, body_fr: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not subject_en:
        errors["subject_en"] = _("Write a subject.")
    if not body_en:
        errors["body_en"] = _("Write the message.")
    if subject_fr and not body_fr:
        errors["body_fr"] = _("Write the French message too, or leave both French fields empty.")
    if body_fr and not subject_fr:
        errors["subject_fr"] = _("Write the French subject too, or leave both French fields empty.")
    for name, value, limit in (
        ("subject_en", subject_en, SUBJECT_MAX),
        ("subject_fr", subject_fr, SUBJECT_MAX),
        ("body_en", body_en, BODY_MAX),
        ("body_fr", body_fr, BODY_MAX),
    ):
        if len(value) > limit and name not in errors:
            errors[name] = _("Keep it to %(limit)s characters.") % {"limit": limit}
    return errors


@transaction.atomic
def announcement_queue(
    *,
    program: Program,
    author: User,
    segment: str,
    subject_en: str,
    body_en: str,
    subject_fr: str = "",
    body_fr: str = "",
    essential: bool = False,
    match_round: MatchRound | None = None,
) -> Announcement:
    """Record an announcement and queue its delivery (on commit). Who it reaches is the
    segment when the worker delivers it. Refused, with nothing saved: an empty subject or
    message, half a French version, an unknown segment, a round that is not one of the
    program's published rounds, or more than ``ANNOUNCEMENTS_PER_DAY`` in 24 hours."""
    subject_en, body_en = subject_en.strip(), body_en.strip()
    subject_fr, body_fr = subject_fr.strip(), body_fr.strip()
    errors = _text_errors(
        subject_en=subject_en, body_en=body_en, subject_fr=subject_fr, body_fr=body_fr
    )
    if segment not in Segment.values:
        errors["segment"] = _("Choose who receives it from the list.")
    elif segment in ROUND_SEGMENTS:
        if match_round is None:
            errors["match_round"] = _("Choose the match round this group is cut from.")
        elif not segment_rounds(program).filter(pk=match_round.pk).exists():
            errors["match_round"] = _("Choose one of this program's published match rounds.")
    else:
        match_round = None
    # One writer at a time per program, so that two sends at once cannot both pass the limit.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    since = timezone.now() - timedelta(hours=24)
    if Announcement.objects.filter(program=program, created_at__gt=since).count() >= (
        ANNOUNCEMENTS_PER_DAY
    ):
        errors[NON_FIELD_ERRORS] = _(
            "This program has sent %(limit)s announcements in the last 24 hours, the most "
            "allowed. Try again later."
        ) % {"limit": ANNOUNCEMENTS_PER_DAY}
    if errors:
        raise ValidationError(errors)
    announcement = Announcement.objects.create(
        program=program,
        author=author,
        segment=segment,
        match_round=match_round,
        subject_en=subject_en,
        body_en=body_en,
        subject_fr=subject_fr,
        body_fr=body_fr,
        essential=essential,
    )
    access_log(
        actor=author,
        action=Action.CHANGE,
        what=What.ANNOUNCEMENT,
        program=program,
        detail=f"queued for {segment_label(segment, match_round)}"
        + (" (essential)" if essential else ""),
    )
    announcement_id = announcement.pk
    transaction.on_commit(lambda: deliver_announcement.enqueue(announcement_id))
    return announcement


@transaction.atomic
def announcement_emails_stop(*, user: User, program: Program) -> OptOut:
    """No more non-essential announcement e-mails from ``program`` for ``user``."""
    opt_out, _created = OptOut.objects.get_or_create(user=user, program=program)
    return opt_out


@transaction.atomic
def announcement_emails_resume(*, user: User, program: Program) -> None:
    OptOut.objects.filter(user=user, program=program).delete()
