"""What the programs app holds about one person, for their export of their own data:
memberships and intake answers, picks, requests sent and received, proposals, concerns."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from medmentor.accounts.models import User
from medmentor.profiles.selectors import display_name_of
from medmentor.programs.models import (
    Concern,
    IntakeQuestion,
    Membership,
    Pick,
    Proposal,
    Request,
    RequestCascade,
)


def programs_export(user: User) -> dict[str, Any]:
    return {
        "memberships": _memberships(user),
        "picks": [
            {
                "program": pick.program.name,
                "as": pick.role,
                "person": display_name_of(pick.chosen),
                "rank": pick.rank,
                "created_at": pick.created_at,
            }
            for pick in Pick.objects.filter(chooser=user).select_related("program", "chosen")
        ],
        "requests_sent": _requests_sent(user),
        "requests_received": [
            {
                "program": request.program.name,
                "from": display_name_of(request.mentee),
                "message": request.message,
                "goals": request.goals,
                "goals_in_their_words": request.goals_note,
                "status": request.status,
                "sent_at": request.sent_at,
                "answered_at": request.answered_at,
                "my_private_reason": request.decline_reason,
            }
            for request in Request.objects.filter(mentor=user).select_related("program", "mentee")
        ],
        "proposals": _proposals(user),
        "concerns_raised": [
            {
                "program": concern.program.name,
                "about": display_name_of(concern.about) if concern.about else "",
                "text": concern.text,
                "status": concern.status,
                "created_at": concern.created_at,
            }
            for concern in Concern.objects.filter(reporter=user).select_related("program", "about")
        ],
    }


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
                labels = dict(question.choice_pairs())
                answers.append(
                    {"question": question.text, "answer": [labels.get(c, c) for c in codes]}
                )
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


def _requests_sent(user: User) -> list[dict[str, Any]]:
    rows = []
    cascades = RequestCascade.objects.filter(mentee=user).select_related("program")
    for cascade in cascades.prefetch_related("requests__mentor"):
        rows.append(
            {
                "program": cascade.program.name,
                "message": cascade.message,
                "goals": cascade.goals,
                "goals_in_my_words": cascade.goals_note,
                "status": cascade.status,
                "sent_at": cascade.created_at,
                "closed_at": cascade.closed_at,
                "mentors_asked": [
                    {
                        "mentor": display_name_of(request.mentor),
                        "status": request.mentee_status_label,
                        "sent_at": request.sent_at,
                        "answered_at": request.answered_at,
                    }
                    for request in cascade.requests.order_by("position")
                ],
            }
        )
    return rows


def _proposals(user: User) -> list[dict[str, Any]]:
    rows = []
    mine = Proposal.objects.filter(Q(mentee=user) | Q(mentor=user)).select_related(
        "round__program", "mentee", "mentor"
    )
    for proposal in mine.exclude(status="proposed"):
        role = proposal.role_of(user.pk)
        other = proposal.mentor if role == "mentee" else proposal.mentee
        rows.append(
            {
                "program": proposal.round.program.name,
                "published_at": proposal.round.published_at,
                "as": role,
                "with": display_name_of(other),
                "score": proposal.score,
                "reasons": proposal.reasons,
                "status": proposal.status,
                "my_answer": proposal.response_of(role),
                "my_private_reason": getattr(proposal, f"{role}_reason"),
            }
        )
    return rows
