"""Notes and messages: confidential text, encrypted at rest, never e-mailed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.models import EventKind, Meeting, Message, Note, NoteVisibility
from medmentor.mentorships.models.conversation import MESSAGE_LIMIT, NOTE_LIMIT
from medmentor.mentorships.services.common import activity_touch, event_add, require_writer


def _text(field: str, text: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Write something first.")})
    if len(text) > limit:
        raise ValidationError({field: _("Keep this under %(n)s characters.") % {"n": f"{limit:,}"}})
    return text


@transaction.atomic
def note_write(
    *,
    access: MentorshipAccess,
    body: str,
    visibility: str,
    meeting: Meeting | None = None,
) -> Note:
    require_writer(access)
    body = _text("body", body, NOTE_LIMIT)
    if visibility not in NoteVisibility.values:
        raise ValidationError({"visibility": _("Choose who can read the note.")})
    if meeting is not None and meeting.mentorship_id != access.mentorship.pk:
        raise ValidationError({"meeting": _("Choose a meeting of this mentorship.")})
    now = timezone.now()
    note = Note.objects.create(
        mentorship=access.mentorship,
        author=access.user,
        visibility=visibility,
        meeting=meeting,
        body=body,
        created_at=now,
        updated_at=now,
    )
    if visibility == NoteVisibility.SHARED:
        event_add(mentorship=access.mentorship, kind=EventKind.NOTE_SHARED, actor=access.user)
    activity_touch(access.mentorship)
    return note


@transaction.atomic
def note_update(*, access: MentorshipAccess, note: Note, body: str) -> Note:
    """Only the author edits a note (a shared note too)."""
    require_writer(access)
    if note.author_id != access.user.pk:
        raise PermissionDenied(_("Only the author edits a note."))
    note.body = _text("body", body, NOTE_LIMIT)
    note.updated_at = timezone.now()
    note.save(update_fields=["body", "updated_at"])
    activity_touch(access.mentorship)
    return note


@transaction.atomic
def note_delete(*, access: MentorshipAccess, note: Note) -> None:
    if note.author_id != access.user.pk:
        raise PermissionDenied(_("Only the author deletes a note."))
    note.delete()


@transaction.atomic
def message_send(*, access: MentorshipAccess, body: str) -> Message:
    require_writer(access)
    message = Message.objects.create(
        mentorship=access.mentorship,
        author=access.user,
        body=_text("body", body, MESSAGE_LIMIT),
        created_at=timezone.now(),
    )
    activity_touch(access.mentorship)
    return message


def messages_mark_read(*, access: MentorshipAccess) -> int:
    """The reader has seen every message the partner sent (the read receipt). A group's
    conversation has many readers and no receipts."""
    if not access.is_party or not access.mentorship.is_pair:
        return 0
    return (
        Message.objects.filter(mentorship=access.mentorship, read_at__isnull=True)
        .exclude(author=access.user)
        .update(read_at=timezone.now())
    )
