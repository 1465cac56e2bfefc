"""Reading a participants CSV: every problem by row and column, or clean rows.

Rows are numbered as a spreadsheet numbers them: the header is row 1, the first person
row 2. A problem with the whole file (empty, not UTF-8, too big) has no column.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.core.spreadsheet import csv_lines
from medmentor.profiles.models import (
    COORDINATOR_KINDS,
    MAX_CAPACITY,
    MIN_CAPACITY,
    Profile,
    ReportingLine,
    Term,
)
from medmentor.profiles.taxonomy import Vocabulary, taxonomy
from medmentor.programs.codes import career_stage_group, career_stage_label
from medmentor.programs.models import Program, Role

MAX_ROWS = 5000
LIST_SEPARATOR = ";"
ROLE_VALUES = {
    "mentor": (Role.MENTOR,),
    "mentee": (Role.MENTEE,),
    "both": (Role.MENTOR, Role.MENTEE),
}
EMAIL_LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str | Promise
    example: str
    vocabulary: str = ""  # taxonomy vocabulary whose codes the cell holds


COLUMNS: tuple[Column, ...] = (
    Column(
        "email",
        True,
        _("The person's e-mail address; it identifies them."),
        "a.tremblay@example.org",
    ),
    Column(
        "name", True, _("The name others will see, with the title if any."), "Dr. Alex Tremblay"
    ),
    Column("role", True, _("mentor, mentee or both."), "mentor"),
    Column("career_stage", True, _("Career stage code."), "mid-career", vocabulary="career-stages"),
    Column("specialty", False, _("Specialty code."), "family-medicine", vocabulary="specialties"),
    Column("province", False, _("Province or territory code."), "ON", vocabulary="provinces"),
    Column("institution", False, _("Institution, in words."), "The Ottawa Hospital"),
    Column(
        "capacity",
        False,
        _("Mentors only, required for them: mentees at once, 1 to 10."),
        "2",
    ),
    Column(
        "language",
        False,
        _("Language of MedMentor's e-mails: en or fr (blank: both)."),
        "fr",
    ),
    Column(
        "languages",
        False,
        _("Languages spoken, codes separated by “;”."),
        "en;fr",
        vocabulary="languages",
    ),
    Column(
        "interests",
        False,
        _("Interest areas, codes separated by “;”."),
        "medical-education;physician-wellness",
        vocabulary="interests",
    ),
    Column(
        "goals",
        False,
        _("Goals sought (mentees) or offered (mentors), codes separated by “;”."),
        "career-goals;work-life-balance",
        vocabulary="goals",
    ),
    Column(
        "modality", False, _("in-person, virtual or either."), "virtual", vocabulary="modalities"
    ),
    Column(
        "reporting_lines",
        False,
        _(
            "Reporting lines and conflicts you know of, entries kind:e-mail separated by “;”: "
            "the other person is this person's supervisor, program_director or assessor, or "
            "they have a conflict of interest (conflict). Someone not on MedMentor yet is "
            "kept by address and counted as soon as they join. The person never sees who "
            "the other is."
        ),
        "supervisor:dr.lee@example.org; conflict:x@example.org",
    ),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
LIST_COLUMNS = ("languages", "interests", "goals")
LINES_COLUMN = "reporting_lines"
LINE_KINDS = tuple(COORDINATOR_KINDS)  # supervisor, program_director, assessor, conflict


CODES_LISTED = 12  # a vocabulary this small is named whole in the error; a bigger one is not


def unknown_code(value: str, vocabulary: Vocabulary[Term]) -> str:
    """Say what the valid codes are: all of them for a short list, the nearest ones and where
    to find the rest for a long one (70 specialties)."""
    codes = [str(term.code) for term in vocabulary.active()]
    message = _("“%(code)s” is not a known code.") % {"code": value}
    if len(codes) <= CODES_LISTED:
        return f"{message} " + _("Use one of: %(codes)s.") % {"codes": ", ".join(codes)}
    near = difflib.get_close_matches(value.lower(), codes, n=3, cutoff=0.75)
    suggestion = _("Did you mean %(codes)s? ") % {"codes": " / ".join(near)} if near else ""
    hint = _("The codes are listed below the form.")
    return f"{message} {suggestion}{hint}"


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: the whole file
    column: str
    message: str


class ImportProblems(Exception):
    """The file cannot be imported; ``problems`` says every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def template_csv() -> str:
    """The template a coordinator downloads: the header alone. An example row would be a
    person someone forgets to delete and imports; the import page shows the examples."""
    return "".join(csv_lines([COLUMN_NAMES]))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = data.rfind(b"\n", 0, error.start) + 1
        row = data.count(b"\n", 0, error.start) + 1
        before = data[start : error.start].decode("utf-8", "replace")
        header = data.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
        cells = next(csv.reader([header]), [])
        index = max(len(next(csv.reader([before]), [])) - 1, 0)
        column = cells[index].strip().lower() if 0 <= index < len(cells) else ""
        raise ImportProblems(
            [
                Problem(
                    row,
                    column,
                    str(
                        _(
                            "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 "
                            "(comma delimited)”."
                        )
                    ),
                )
            ]
        ) from error


def _header(row: int, cells: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in cells]
    problems = []
    for position, name in enumerate(names):
        if name not in COLUMN_NAMES:
            problems.append(
                Problem(
                    row,
                    name or str(_("column %(n)d") % {"n": position + 1}),
                    str(
                        _("Unknown column. The columns are: %(columns)s.")
                        % {"columns": ", ".join(COLUMN_NAMES)}
                    ),
                )
            )
        elif names.index(name) != position:
            problems.append(Problem(row, name, str(_("This column appears twice."))))
    for column in COLUMNS:
        if column.required and column.name not in names:
            problems.append(Problem(row, column.name, str(_("This column is missing."))))
    if problems:
        raise ImportProblems(problems)
    return names


class _RowReader:
    """Checks one row's cells; problems pile up in ``problems``."""

    def __init__(self, program: Program, vocab: dict[str, Vocabulary[Term]]) -> None:
        self.program = program
        self.vocab = vocab
        self.problems: list[Problem] = []
        self.seen: dict[str, int] = {}

    def fail(self, row: int, column: str, message: str | Promise) -> None:
        self.problems.append(Problem(row, column, str(message)))

    def field(self, row: int, column: str, value: str, field: Any) -> None:
        """The model field's own validators, as every other way in applies them."""
        try:
            field.run_validators(value)
        except ValidationError as error:
            self.fail(row, column, " ".join(error.messages))

    def code(self, row: int, column: Column, value: str) -> str:
        if not value:
            return ""
        terms = self.vocab[column.vocabulary].by_code
        term = terms.get(value) or terms.get(value.lower()) or terms.get(value.upper())
        if term is None or not term.active:
            self.fail(row, column.name, unknown_code(value, self.vocab[column.vocabulary]))
            return ""
        return str(term.code)

    def codes(self, row: int, column: Column, value: str) -> list[str]:
        parts = [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
        return list(dict.fromkeys(c for c in (self.code(row, column, p) for p in parts) if c))

    def lines(self, row: int, value: str, own_email: str) -> list[dict[str, str]]:
        """The ``reporting_lines`` cell: ``kind:e-mail`` entries separated by ";"."""
        entries: list[dict[str, str]] = []
        email_max = ReportingLine._meta.get_field("other_email").max_length or 254
        for part in (p.strip() for p in value.split(LIST_SEPARATOR)):
            if not part:
                continue
            kind, separator, address = part.partition(":")
            kind, address = kind.strip().lower(), address.strip().lower()
            if not separator:
                self.fail(
                    row,
                    LINES_COLUMN,
                    _("“%(entry)s” is not kind:e-mail (for example supervisor:dr.lee@example.org).")
                    % {"entry": part},
                )
                continue
            if kind not in COORDINATOR_KINDS:
                self.fail(
                    row,
                    LINES_COLUMN,
                    _("“%(kind)s” is not a kind of line. Use one of: %(kinds)s.")
                    % {"kind": kind, "kinds": ", ".join(LINE_KINDS)},
                )
                continue
            try:
                validate_email(address)
                if len(address) > email_max:
                    raise ValidationError("too long")
            except ValidationError:
                self.fail(
                    row,
                    LINES_COLUMN,
                    _("“%(email)s” is not a valid e-mail address.") % {"email": address},
                )
                continue
            if address == own_email:
                self.fail(
                    row,
                    LINES_COLUMN,
                    _("A line is between two different people; %(email)s is this row's own.")
                    % {"email": address},
                )
                continue
            entry = {"kind": kind, "email": address}
            if entry not in entries:
                entries.append(entry)
        return entries

    def read(self, row: int, cells: dict[str, str]) -> dict[str, Any]:
        by_name = {c.name: c for c in COLUMNS}
        email = cells.get("email", "").lower()
        if not email:
            self.fail(row, "email", _("An e-mail address is required."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                self.fail(
                    row, "email", _("“%(email)s” is not a valid e-mail address.") % {"email": email}
                )
            else:
                if email in self.seen:
                    self.fail(
                        row,
                        "email",
                        _("%(email)s is already on row %(row)d.")
                        % {"email": email, "row": self.seen[email]},
                    )
                else:
                    self.seen[email] = row
        name = cells.get("name", "")
        if not name:
            self.fail(row, "name", _("A name is required."))
        elif len(name) > 150:
            self.fail(row, "name", _("A name has at most 150 characters."))
        else:
            self.field(row, "name", name, User._meta.get_field("name"))
        role = cells.get("role", "").lower()
        roles: tuple[str, ...] = ROLE_VALUES.get(role, ())
        if not roles:
            self.fail(row, "role", _("Write mentor, mentee or both."))
        stage = cells.get("career_stage", "")
        if not stage:
            self.fail(row, "career_stage", _("A career stage is required."))
        stage = self.code(row, by_name["career_stage"], stage)
        if stage:
            for each in roles:
                allowed = self.program.stages_for(each)
                if allowed and career_stage_group(stage) not in allowed:
                    self.fail(
                        row,
                        "career_stage",
                        _("This program takes %(role)s at these career stages only: %(stages)s.")
                        % {
                            "role": _("mentors") if each == Role.MENTOR else _("mentees"),
                            "stages": ", ".join(str(career_stage_label(c)) for c in allowed),
                        },
                    )
        capacity = None
        raw_capacity = cells.get("capacity", "")
        if Role.MENTOR in roles:
            try:
                capacity = int(raw_capacity)
            except ValueError:
                capacity = None
            if capacity is None or not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
                self.fail(
                    row,
                    "capacity",
                    _("A mentor takes %(low)d to %(high)d mentees at once, not “%(value)s”.")
                    % {"low": MIN_CAPACITY, "high": MAX_CAPACITY, "value": raw_capacity},
                )
                capacity = None
        language = cells.get("language", "").lower()
        if language and language not in EMAIL_LANGUAGES:
            self.fail(row, "language", _("Write en, fr, or leave it blank."))
            language = ""
        institution = cells.get("institution", "")
        if len(institution) > 200:
            self.fail(row, "institution", _("An institution has at most 200 characters."))
        else:
            self.field(row, "institution", institution, Profile._meta.get_field("institution"))
        return {
            "row": row,
            "email": email,
            "name": name,
            "roles": list(roles),
            "career_stage": stage,
            "specialty": self.code(row, by_name["specialty"], cells.get("specialty", "")),
            "province": self.code(row, by_name["province"], cells.get("province", "")),
            "institution": institution[:200],
            "capacity": capacity,
            "language": language,
            "modality": self.code(row, by_name["modality"], cells.get("modality", "")),
            **{n: self.codes(row, by_name[n], cells.get(n, "")) for n in LIST_COLUMNS},
            LINES_COLUMN: self.lines(row, cells.get(LINES_COLUMN, ""), email),
        }


def participants_parse(data: bytes, *, program: Program) -> list[dict[str, Any]]:
    """The file's people as clean rows, or :class:`ImportProblems` listing every problem.

    Accepts UTF-8 with or without the byte-order mark Excel writes.
    """
    text = _decode(data)
    if not text.strip():
        raise ImportProblems([Problem(None, "", str(_("The file is empty.")))])
    try:
        # Numbered by record, as a spreadsheet numbers rows (a blank row still counts).
        lines = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as error:
        raise ImportProblems(
            [
                Problem(
                    None,
                    "",
                    str(_("The file is not a readable CSV file: %(error)s") % {"error": error}),
                )
            ]
        ) from error
    lines = [(number, cells) for number, cells in lines if any(c.strip() for c in cells)]
    names = _header(*lines[0])
    people = lines[1:]
    if not people:
        raise ImportProblems([Problem(None, "", str(_("The file has a header but nobody in it.")))])
    if len(people) > MAX_ROWS:
        raise ImportProblems(
            [
                Problem(
                    None,
                    "",
                    str(_("A file holds at most %(max)d people; split it.") % {"max": MAX_ROWS}),
                )
            ]
        )
    reader = _RowReader(program, taxonomy())
    rows = []
    for number, cells in people:
        if len(cells) != len(names):
            reader.fail(
                number,
                "",
                _("This row has %(cells)d cells; the header has %(columns)d.")
                % {"cells": len(cells), "columns": len(names)},
            )
            continue
        rows.append(reader.read(number, {n: c.strip() for n, c in zip(names, cells, strict=True)}))
    if reader.problems:
        raise ImportProblems(reader.problems)
    return rows
