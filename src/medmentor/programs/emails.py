"""The program's own e-mails, which its coordinator may reword.

``EMAILS`` is the one registry: for each e-mail, when it is sent, its placeholders, the
default wording and sample values for the preview. The default wording lives only here
(built from the translated sentences, so each language has its own); every one of these
e-mails is rendered by :func:`program_wording`, edited or not.

A text is plain: placeholders are names in braces, ``{name}``, and ``{{`` or ``}}`` write a
brace itself. Placeholders are substituted by name only (never ``str.format``: no
attribute or index access, ``{name.__class__}`` is an unknown placeholder). The HTML part
is made from the text: everything escaped, blank lines between paragraphs, line breaks
kept, links clickable.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medmentor.core.email import RenderedEmail
from medmentor.programs.models import EmailKey, Program, ProgramEmail, Role
from medmentor.programs.models.emails import BODY_MAX, SUBJECT_MAX

# The templates that show a rendered wording (as a notification, in any language).
WORDING_TEMPLATE = "programs/email/wording"
LANGUAGES = ("en", "fr")
FIELDS = tuple(f"{part}_{language}" for language in LANGUAGES for part in ("subject", "body"))

_FORMATTER = string.Formatter()

# A default's wording, chosen by variant (the recipient's role) and the values at hand.
Default = Callable[[str, Mapping[str, str]], tuple[str, str]]


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str | Promise

    @property
    def token(self) -> str:
        return "{" + self.name + "}"


@dataclass(frozen=True)
class EmailKind:
    key: str
    when: str | Promise
    placeholders: tuple[Placeholder, ...]
    default: Default
    samples: Callable[[Program], dict[str, object]]
    variants: tuple[tuple[str, str | Promise], ...] = (("", ""),)
    required: tuple[str, ...] = ("link",)

    @property
    def label(self) -> str:
        return str(EmailKey(self.key).label)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(placeholder.name for placeholder in self.placeholders)


# The default wording: translated sentences whose %(x)s become placeholders.


def _plain(text: str) -> str:
    """A translated sentence as wording: its braces are braces."""
    return text.replace("{", "{{").replace("}", "}}")


def _sentence(text: str, **placeholders: str) -> str:
    return _plain(text) % {key: "{" + name + "}" for key, name in placeholders.items()}


def _invitation_default(variant: str, values: Mapping[str, str]) -> tuple[str, str]:
    if variant == Role.MENTOR:
        invites = _("%(person)s invites you to join %(name)s as a mentor.")
    else:
        invites = _("%(person)s invites you to join %(name)s as a mentee.")
    body = "\n\n".join(
        [
            _sentence(invites, person="inviter", name="program"),
            _sentence(_("Accept the invitation before %(date)s:"), date="deadline") + " {link}",
        ]
    )
    return _sentence(_("You are invited to %(name)s"), name="program"), body


def _round_published_default(variant: str, values: Mapping[str, str]) -> tuple[str, str]:
    if variant == Role.MENTOR:
        proposes = _("%(name)s proposes that you mentor %(other)s.")
    else:
        proposes = _("%(name)s proposes %(other)s as your mentor.")
    parts = [_sentence(proposes, name="program", other="other")]
    if values.get("reasons"):
        parts.append(_plain(_("Why this pair:")) + " {reasons}")
    parts.append(
        _plain(_("Accept or decline (your reason, if you give one, stays private):")) + " {link}"
    )
    subject = _sentence(_("A mentorship proposal in %(name)s"), name="program")
    return subject, "\n\n".join(parts)


def _checkin_reminder_default(variant: str, values: Mapping[str, str]) -> tuple[str, str]:
    body = "\n\n".join(
        [
            _sentence(_("Hello %(name)s,"), name="name"),
            _sentence(
                _(
                    "It is time for your check-in on your mentorship with %(partner)s: "
                    "three short questions."
                ),
                partner="partner",
            ),
            "{link}",
        ]
    )
    return _plain(_("Your mentorship check-in is due")), body


# Sample values for the preview: the program's own name, made-up people.


def _sample_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def role_label(role: str) -> Callable[[], str]:
    return lambda: str(Role(role).label).lower()


def _program_name(program: Program | None) -> Callable[[], str]:
    return lambda: program.name if program is not None else ""


def _invitation_samples(program: Program) -> dict[str, object]:
    return {
        "program": _program_name(program),
        "inviter": "Dr. Claire Martin",
        "role": role_label(Role.MENTEE),
        "deadline": timezone.localdate() + timedelta(days=14),
        "link": _sample_link("/programs/invitation/example/"),
    }


def _round_published_samples(program: Program) -> dict[str, object]:
    return {
        "name": "Dr. Amira Haddad",
        "program": _program_name(program),
        "other": "Dr. Jean Tremblay",
        "role": role_label(Role.MENTEE),
        "reasons": lambda: _("same specialty; shared goals"),
        "link": _sample_link("/rounds/proposals/example/"),
    }


def _checkin_reminder_samples(program: Program) -> dict[str, object]:
    return {
        "name": "Dr. Amira Haddad",
        "program": _program_name(program),
        "partner": "Dr. Jean Tremblay",
        "link": _sample_link("/mentorships/example/"),
    }


_NAME = Placeholder("name", gettext_lazy("the recipient's name"))
_PROGRAM = Placeholder("program", gettext_lazy("the program's name"))

EMAILS: dict[str, EmailKind] = {
    kind.key: kind
    for kind in (
        EmailKind(
            key=EmailKey.INVITATION,
            when=gettext_lazy("Sent when you invite someone by e-mail to join the program."),
            placeholders=(
                _PROGRAM,
                Placeholder("inviter", gettext_lazy("the name of the coordinator who invites")),
                Placeholder("role", gettext_lazy("the role offered: mentor or mentee")),
                Placeholder("deadline", gettext_lazy("the last day to accept")),
                Placeholder("link", gettext_lazy("the invitation link (required)")),
            ),
            default=_invitation_default,
            samples=_invitation_samples,
            variants=(
                (Role.MENTEE, gettext_lazy("To a mentee")),
                (Role.MENTOR, gettext_lazy("To a mentor")),
            ),
        ),
        EmailKind(
            key=EmailKey.ROUND_PUBLISHED,
            when=gettext_lazy(
                "Sent to both people of each proposed pair when you publish a match round."
            ),
            placeholders=(
                _NAME,
                _PROGRAM,
                Placeholder("other", gettext_lazy("the other person of the proposed pair")),
                Placeholder("role", gettext_lazy("the recipient's role in the pair")),
                Placeholder("reasons", gettext_lazy("why this pair was proposed")),
                Placeholder(
                    "link", gettext_lazy("the proposal, to accept or decline it (required)")
                ),
            ),
            default=_round_published_default,
            samples=_round_published_samples,
            variants=(
                (Role.MENTEE, gettext_lazy("To the mentee")),
                (Role.MENTOR, gettext_lazy("To the mentor")),
            ),
        ),
        EmailKind(
            key=EmailKey.CHECKIN_REMINDER,
            when=gettext_lazy(
                "Sent to each person of a mentorship of the program when a check-in is due."
            ),
            placeholders=(
                _NAME,
                _PROGRAM,
                Placeholder("partner", gettext_lazy("the other person of the mentorship")),
                Placeholder("link", gettext_lazy("the mentorship's workspace (required)")),
            ),
            default=_checkin_reminder_default,
            samples=_checkin_reminder_samples,
        ),
    )
}


# Checking a text.


def text_error(kind: EmailKind, text: str, *, body: bool) -> str | None:
    """What is wrong with ``text`` as a subject or body of ``kind``, or None."""
    try:
        pieces = list(_FORMATTER.parse(text))
    except ValueError:
        return _(
            "A brace is not closed or not opened: a placeholder is written {name}, "
            "and a brace itself {{ or }}."
        )
    used: set[str] = set()
    for _literal, name, spec, conversion in pieces:
        if name is None:
            continue
        if name not in kind.names or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            return _("%(placeholder)s is not a placeholder of this e-mail. Use: %(known)s.") % {
                "placeholder": shown,
                "known": ", ".join(p.token for p in kind.placeholders),
            }
        used.add(name)
    if body:
        missing = [name for name in kind.required if name not in used]
        if missing:
            return _("Keep %(placeholder)s in the text: without it the e-mail is of no use.") % {
                "placeholder": ", ".join("{" + name + "}" for name in missing)
            }
    if len(text) > (BODY_MAX if body else SUBJECT_MAX):
        return _("Keep it under %(n)s characters.") % {"n": BODY_MAX if body else SUBJECT_MAX}
    return None


def wording_errors(kind: EmailKind, texts: Mapping[str, str]) -> dict[str, str]:
    """Each field of ``texts`` (``subject_en``, ``body_fr``, ...) that is wrong, with why.
    A blank field is right: it takes the default wording."""
    errors = {}
    for field in FIELDS:
        text = texts.get(field, "")
        if text.strip():
            error = text_error(kind, text, body=field.startswith("body"))
            if error:
                errors[field] = error
    return errors


# Rendering.


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each placeholder replaced by its value (by name, nothing else)."""
    out = []
    for literal, name, _spec, _conversion in _FORMATTER.parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)


def text_to_html(text: str) -> SafeString:
    """Plain text as HTML: escaped, paragraphs and line breaks, links clickable."""
    paragraphs = [part.strip() for part in re.split(r"\n[ \t]*\n", text) if part.strip()]
    # urlize escapes everything that is not a link.
    return mark_safe(
        "\n".join(
            "<p>" + urlize(paragraph, autoescape=True).replace("\n", "<br>\n") + "</p>"
            for paragraph in paragraphs
        )
    )


def _resolve(value: object) -> str:
    """A value in the current language: dates formatted, lazy texts translated."""
    if callable(value) and not isinstance(value, Promise):
        value = value()
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    return "" if value is None else str(value)


def _language(language: str | None) -> str:
    code = (language or "en")[:2]
    return code if code in LANGUAGES else "en"


class Wording:
    """One program e-mail for one recipient, renderable in each language: ``render()``,
    or ``subject``, ``text`` and ``html`` in the current language (for the templates of
    a notification, which are rendered in every language)."""

    def __init__(
        self,
        kind: EmailKind,
        edited: ProgramEmail | None,
        values: Mapping[str, object],
        *,
        variant: str = "",
    ) -> None:
        self.kind = kind
        self.edited = edited
        self.values = dict(values)
        self.variant = variant
        self._rendered: dict[str, RenderedEmail] = {}

    def _text(self, field: str, language: str, default: str) -> str:
        text = self.edited.text(field, language) if self.edited is not None else ""
        # A text saved before a placeholder was retired falls back to the default.
        if not text.strip() or text_error(self.kind, text, body=field == "body"):
            return default
        return text

    def render(self, language: str | None = None) -> RenderedEmail:
        code = _language(language or translation.get_language())
        if code not in self._rendered:
            with translation.override(code):
                values = {name: _resolve(value) for name, value in self.values.items()}
                subject, body = self.kind.default(self.variant, values)
                subject = fill(self._text("subject", code, subject), values)
                text = fill(self._text("body", code, body), values).strip()
            self._rendered[code] = RenderedEmail(
                subject=" ".join(subject.split())[:SUBJECT_MAX], text=text, html=text_to_html(text)
            )
        return self._rendered[code]

    @property
    def subject(self) -> str:
        return self.render().subject

    @property
    def text(self) -> str:
        return self.render().text

    @property
    def html(self) -> str:
        return self.render().html


def program_email_of(program: Program | None, key: str) -> ProgramEmail | None:
    if program is None or program.pk is None:
        return None
    return ProgramEmail.objects.filter(program=program, key=key).first()


def program_wording(
    program: Program | None, key: str, values: Mapping[str, object], *, variant: str = ""
) -> Wording:
    """The e-mail ``key`` of ``program`` (its coordinator's wording, else the default) with
    ``values`` for its placeholders. A value may be text, a date, or a function called in
    the language rendered; a ``link`` given as a path becomes a full address.
    ``variant`` chooses the default wording by the recipient's role."""
    kind = EMAILS[key]
    filled = dict(values)
    link = filled.get("link")
    if isinstance(link, str) and link.startswith("/"):
        filled["link"] = f"{settings.SITE_URL}{link}"
    filled.setdefault("program", _program_name(program))
    return Wording(kind, program_email_of(program, key), filled, variant=variant)


def wording_preview(
    program: Program, key: str, texts: Mapping[str, str]
) -> dict[str, RenderedEmail]:
    """The e-mail as ``texts`` would make it, with sample values, in each language."""
    kind = EMAILS[key]
    draft = ProgramEmail(program=program, key=key, **{f: texts.get(f, "") for f in FIELDS})
    samples = kind.samples(program)
    return {
        language: Wording(kind, draft, samples, variant=kind.variants[0][0]).render(language)
        for language in LANGUAGES
    }


@dataclass(frozen=True)
class DefaultText:
    variant: str | Promise
    language: str
    subject: str
    body: str


def default_texts(program: Program, key: str) -> list[DefaultText]:
    """The default wording, with its placeholders, per variant and language: what a
    blank field or a reset gives."""
    kind = EMAILS[key]
    samples = kind.samples(program)
    texts = []
    for variant, label in kind.variants:
        for language in LANGUAGES:
            with translation.override(language):
                values = {name: _resolve(value) for name, value in samples.items()}
                subject, body = kind.default(variant, values)
                texts.append(DefaultText(label, language, subject, body))
    return texts


@dataclass(frozen=True)
class ProgramEmailRow:
    kind: EmailKind
    edited: ProgramEmail | None


def program_emails(program: Program) -> list[ProgramEmailRow]:
    """Each e-mail of the program, with its coordinator's wording if any."""
    edited = {
        row.key: row
        for row in ProgramEmail.objects.filter(program=program).select_related("updated_by")
    }
    return [ProgramEmailRow(kind, edited.get(key)) for key, kind in EMAILS.items()]
