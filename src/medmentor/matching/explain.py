"""Short human reasons for a pair, built from the caller's labels (code -> label)."""

from __future__ import annotations

from collections.abc import Mapping

from medmentor.matching.inputs import Mentee, Mentor, Problem

MAX_REASONS = 5
LIST_LIMIT = 3  # codes named in one phrase
UNMATCHED_MESSAGES = {
    "no_eligible_mentor": "no eligible mentor",
    "mentors_full": "all eligible mentors are full",
    "ranked_none_accepted": "ranked nobody who accepted",
}


class Explainer:
    """Turns a (mentee, mentor) pair into phrases such as "both family medicine"."""

    def __init__(self, problem: Problem) -> None:
        self.labels: Mapping[str, str] = problem.labels
        self.questions = problem.questions
        self._lists: dict[frozenset[str], str] = {}  # the same sets recur across pairs

    def label(self, code: object) -> str:
        text = str(code)
        return self.labels.get(text, text)

    def _list(self, codes: frozenset[str]) -> str:
        text = self._lists.get(codes)
        if text is None:
            names = sorted(self.label(c) for c in codes)
            if len(names) > LIST_LIMIT:
                names = [*names[:LIST_LIMIT], f"{len(names) - LIST_LIMIT} more"]
            text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            self._lists[codes] = text
        return text

    def reasons(self, e: Mentee, t: Mentor) -> tuple[str, ...]:
        out: list[str] = []
        if e.specialty and e.specialty == t.specialty:
            out.append(f"both {self.label(e.specialty)}")
        elif e.specialty and t.specialty:
            fe, ft = e.specialty_parent or e.specialty, t.specialty_parent or t.specialty
            if fe == ft:
                out.append(f"related specialties ({self.label(fe)})")
        common = e.interests & t.interests
        if common:
            word = "interest" if len(common) == 1 else "interests"
            out.append(f"shared {word}: {self._list(common)}")
        offered = e.goals & t.goals
        if offered:
            out.append(f"offers {self._list(offered)}")
        for pref in e.preferences:
            if pref.attribute == "gender" and t.gender in pref.values:
                out.append(f"{self.label(t.gender)} mentor, as preferred")
            elif pref.attribute == "province" and t.province in pref.values:
                out.append(f"in {self.label(t.province)}, as preferred")
            elif pref.attribute == "language" and pref.values & t.languages:
                out.append(f"speaks {self._list(pref.values & t.languages)}, as preferred")
        out.extend(self._consideration(e, t))
        if e.career_path and e.career_path == t.career_path:
            out.append(f"same career path: {self.label(e.career_path)}")
        if e.province and e.province == t.province:
            out.append(f"both in {self.label(e.province)}")
        asked = e.confidentiality
        if asked == "institution" and e.institution and t.institution not in (None, e.institution):
            out.append("from another institution, as asked")
        if asked == "department" and e.department and t.department:  # noqa: SIM102
            if (e.institution, e.department) != (t.institution, t.department):
                out.append("from another department, as asked")
        out.extend(self._questions(e, t))
        langs = e.languages & t.languages
        if langs:
            out.append(f"both speak {self._list(langs)}")
        return tuple(out[:MAX_REASONS]) or ("little stated in common",)

    def _consideration(self, e: Mentee, t: Mentor) -> list[str]:
        out: list[str] = []
        if e.modality and e.modality == t.modality:
            out.append(f"both prefer {self.label(e.modality)}")
        if e.cadence and e.cadence == t.cadence:
            out.append(f"same meeting rhythm: {self.label(e.cadence)}")
        if e.utc_offset is not None and t.utc_offset is not None:
            gap = abs(e.utc_offset - t.utc_offset)
            if gap == 0:
                out.append("same time zone")
            elif gap <= 1:
                out.append(f"time zones {gap:g} h apart")
        slots = e.availability & t.availability
        if slots:
            out.append(f"both available {self._list(slots)}")
        return out

    def _questions(self, e: Mentee, t: Mentor) -> list[str]:
        out: list[str] = []
        for q in self.questions:
            a, b = e.answers.get(q.code), t.answers.get(q.code)
            if not a or not b:
                continue
            name = q.label or self.label(q.code)
            if q.rule == "same" and a == b:
                out.append(f"same answer on {name}: {self._list(a)}")
            elif q.rule == "different" and not a & b:
                out.append(f"different answers on {name}")
            elif q.rule == "covers" and a <= b:
                out.append(f"covers {name}: {self._list(a)}")
        return out
