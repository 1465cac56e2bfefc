"""A coordinator's wording of the program's own e-mails: saved, or reset to the default."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.programs.emails import EMAILS, FIELDS, EmailKind, wording_errors
from medmentor.programs.models import Program, ProgramEmail


def _kind(key: str) -> EmailKind:
    kind = EMAILS.get(key)
    if kind is None:
        raise ValidationError({"key": _("This program has no such e-mail.")})
    return kind


def _logged(program: Program, by: User, key: str, detail: str) -> None:
    access_log(
        actor=by,
        action=Action.CHANGE,
        what=What.PROGRAM_EMAIL,
        program=program,
        detail=f"{key}: {detail}",
    )


@transaction.atomic
def program_email_save(
    *,
    program: Program,
    key: str,
    by: User,
    subject_en: str = "",
    body_en: str = "",
    subject_fr: str = "",
    body_fr: str = "",
) -> ProgramEmail | None:
    """Keep the coordinator's wording of e-mail ``key`` (a blank field: the default for it).

    Every placeholder must be one of the e-mail's, braces balanced, and the required ones
    (``{link}``) kept in each text written: else a ValidationError naming each wrong
    field, and nothing saved. All four fields blank is the default wording: no row.
    """
    kind = _kind(key)
    texts = {
        "subject_en": subject_en.strip(),
        "body_en": body_en.strip(),
        "subject_fr": subject_fr.strip(),
        "body_fr": body_fr.strip(),
    }
    errors = wording_errors(kind, texts)
    if errors:
        raise ValidationError(errors)
    if not any(texts[field] for field in FIELDS):
        ProgramEmail.objects.filter(program=program, key=key).delete()
        _logged(program, by, key, "reset to the default (all fields blank)")
        return None
    email, _created = ProgramEmail.objects.update_or_create(
        program=program, key=key, defaults={**texts, "updated_by": by}
    )
    _logged(program, by, key, "wording saved")
    return email


@transaction.atomic
def program_email_reset(*, program: Program, key: str, by: User) -> bool:
    """Back to the default wording; True when there was a wording to remove."""
    _kind(key)
    deleted, _by_model = ProgramEmail.objects.filter(program=program, key=key).delete()
    _logged(program, by, key, "reset to the default")
    return bool(deleted)
