"""What the programs app holds about one person, for their export of their own data:
memberships and intake answers (requests, picks, proposals and concerns are their apps'
parts of the same section)."""

from __future__ import annotations

from typing import Any

from medmentor.accounts.models import User
from medmentor.programs.models import IntakeQuestion, Membership


def programs_export(user: User) -> dict[str, Any]:
    return {"memberships": _memberships(user)}


def _memberships(user: User) -> list[dict[str, Any]]:
    memberships = list(Membership.objects.filter(user=user).select_related("program"))
    questions = {
        str(q.uuid): q
        for q in IntakeQuestion.objects.filter(program__in=[m.program for m in memberships])
    }
    rows = []
    for membership in memberships:
        answers = []
        for key, codes in (membership.answers or {}).items():
            question = questions.get(key)
            if question is not None:
                answers.append({"question": question.text, "answer": question.answer_labels(codes)})
        rows.append(
            {
                "program": membership.program.name,
                "role": membership.role,
                "status": membership.status,
                "career_stage": membership.career_stage,
                "self_identified": membership.self_identified,
                "intake_answers": answers,
                "requested_at": membership.requested_at,
                "activated_at": membership.activated_at,
                "withdrawn_at": membership.withdrawn_at,
                "declined_at": membership.declined_at,
            }
        )
    return rows
