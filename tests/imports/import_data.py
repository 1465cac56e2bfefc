"""Valid participant CSV files of any size, for the import tests and the full-cycle test.

``participants_csv(200)`` is a file of 200 people (two mentees for each mentor... roughly:
every fifth person is a mentor, every tenth both), realistic enough for a match round:
career stages that respect the seniority rule, shared specialties, provinces and
languages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from medmentor.imports.parsing import COLUMN_NAMES

SPECIALTIES = ("family-medicine", "internal-medicine", "pediatrics", "psychiatry", "cardiology")
PROVINCES = ("ON", "QC", "SK", "BC", "NS")
MENTOR_STAGES = ("early-career", "mid-career", "late-career")
MENTEE_STAGES = ("medical-student", "resident-pgy1", "resident-pgy2")
INTERESTS = ("medical-education", "physician-wellness", "research", "leadership")
GOALS = ("career-goals", "work-life-balance", "research", "leadership")
MODALITIES = ("virtual", "in-person", "either")


def participant_rows(
    n: int, *, domain: str = "import.example.org", capacity: int = 2, start: int = 0
) -> list[dict[str, str]]:
    """``n`` valid rows: person ``k`` is ``person{k}@domain``; ``k % 5 == 0`` mentors
    (``k % 10 == 0`` both mentor and mentee), the others mentees."""
    rows = []
    for k in range(start, start + n):
        role = "both" if k % 10 == 0 else "mentor" if k % 5 == 0 else "mentee"
        mentor = role != "mentee"
        rows.append(
            {
                "email": f"person{k}@{domain}",
                "name": f"Dr. Person {k}" if mentor else f"Person {k}",
                "role": role,
                "career_stage": MENTOR_STAGES[k % 3] if mentor else MENTEE_STAGES[k % 3],
                "specialty": SPECIALTIES[k % len(SPECIALTIES)],
                "province": PROVINCES[k % len(PROVINCES)],
                "institution": f"Hospital {k % 7}",
                "capacity": str(capacity) if mentor else "",
                "language": ("en", "fr", "")[k % 3],
                "languages": "en;fr" if k % 3 == 1 else "en",
                "interests": ";".join(INTERESTS[k % 4 : k % 4 + 2]),
                "goals": ";".join(GOALS[k % 4 : k % 4 + 2]),
                "modality": MODALITIES[k % 3],
            }
        )
    return rows


def to_csv(
    rows: Iterable[Mapping[str, str]], *, columns: Iterable[str] = COLUMN_NAMES, bom: bool = False
) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), lineterminator="\r\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def participants_csv(n: int, **options: object) -> bytes:
    """A valid file of ``n`` people (see :func:`participant_rows` for the options)."""
    return to_csv(participant_rows(n, **options))  # type: ignore[arg-type]
