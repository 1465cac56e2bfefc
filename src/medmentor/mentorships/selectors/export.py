"""What the mentorships app holds about one person, for their export of their own data:
each of their mentorships with what the pair shares (agreement, goals, meetings, the
conversation), the notes they wrote, what they answered (check-ins, ratings, evaluations)
and who opened the mentorship as a coordinator. Never the partner's private notes."""

from __future__ import annotations

from typing import Any

from medmentor.accounts.models import User
from medmentor.mentorships.models import (
    CheckIn,
    Evaluation,
    Meeting,
    MeetingRating,
    Mentorship,
    Message,
    Note,
    SelfRating,
)
from medmentor.mentorships.models.mentorship import involving
from medmentor.profiles.selectors import display_name_of


def mentorships_export(user: User) -> list[dict[str, Any]]:
    mentorships = Mentorship.objects.filter(involving(user)).select_related(
        "program", "mentor", "mentee", "agreement"
    )
    return [_one(mentorship, user) for mentorship in mentorships]


def _one(mentorship: Mentorship, user: User) -> dict[str, Any]:
    names = {person.pk: display_name_of(person) for person in mentorship.others_of(user)}
    them = names[next(iter(names))] if mentorship.is_pair else str(mentorship)

    def who(person_id: int | None) -> str:
        return "me" if person_id == user.pk else names.get(person_id or 0, "")

    agreement = getattr(mentorship, "agreement", None)
    return {
        "uuid": mentorship.uuid,
        "program": mentorship.program.name if mentorship.program else "",
        "format": mentorship.kind,
        "my_role": mentorship.role_of(user),
        "with": them,
        "status": mentorship.status,
        "started_on": mentorship.started_on,
        "planned_end_on": mentorship.planned_end_on,
        "ended_at": mentorship.ended_at,
        "why_it_ended": mentorship.closure_reason,
        "status_history": [
            {"from": c.from_status, "to": c.to_status, "at": c.at, "why": c.reason}
            for c in mentorship.status_changes.all()
        ],
        "agreement": {
            "text": agreement.text,
            "version": agreement.version,
            "mentor_signed_at": agreement.mentor_signed_at,
            "mentee_signed_at": agreement.mentee_signed_at,
            "my_signature_at": agreement.signed_at_of(user),
        }
        if agreement
        else None,
        "goals": [
            {
                "title": goal.title,
                "description": goal.description,
                "measure": goal.measure,
                "due_on": goal.due_on,
                "status": goal.status,
                "progress": goal.progress,
                "proposed_by": who(goal.proposed_by_id),
                "steps": [
                    {"title": step.title, "due_on": step.due_on, "done_at": step.done_at}
                    for step in goal.milestones.all()
                ],
                "comments": [
                    {"by": who(c.author_id), "text": c.text, "at": c.created_at}
                    for c in goal.comments.all()
                ],
            }
            for goal in mentorship.goals.prefetch_related("milestones", "comments")
        ],
        "meetings": [
            {
                "starts_at": meeting.starts_at,
                "minutes": meeting.duration_minutes,
                "modality": meeting.modality,
                "place": meeting.place,
                "agenda": meeting.agenda,
                "status": meeting.status,
                "discussed": meeting.discussed,
                "next_steps": meeting.next_steps,
                "time_spent_minutes": meeting.minutes_spent,
                "logged_by": who(meeting.logged_by_id),
                "my_rating": MeetingRating.objects.filter(meeting=meeting, user=user)
                .values_list("score", flat=True)
                .first(),
            }
            for meeting in Meeting.objects.filter(mentorship=mentorship)
        ],
        "my_notes": [
            {
                "visibility": note.visibility,
                "text": note.body,
                "meeting": note.meeting.starts_at if note.meeting else None,
                "written_at": note.created_at,
            }
            for note in Note.objects.filter(mentorship=mentorship, author=user).select_related(
                "meeting"
            )
        ],
        "conversation": [
            {"by": who(message.author_id), "text": message.body, "at": message.created_at}
            for message in Message.objects.filter(mentorship=mentorship)
        ],
        "my_check_ins": [
            {
                "number": c.number,
                "due_on": c.due_on,
                "answered_at": c.submitted_at,
                "score": c.score,
                "meetings_held": c.meetings_held,
                "note_for_the_coordinator": c.note_for_coordinator,
                "shared_with_the_coordinator": c.shared_with_coordinator,
                "asked_for_support": c.wants_support,
            }
            for c in CheckIn.objects.filter(mentorship=mentorship, user=user)
        ],
        "my_self_ratings": [
            {"when": r.moment, "dimension": r.dimension, "score": r.score, "at": r.given_at}
            for r in SelfRating.objects.filter(mentorship=mentorship, user=user)
        ],
        "my_evaluation": [
            {
                "would_recommend": e.would_recommend,
                "comments": e.comments,
                "wants_a_new_mentor": e.wants_rematch,
                "given_at": e.submitted_at,
            }
            for e in Evaluation.objects.filter(mentorship=mentorship, user=user)
        ],
        "opened_by_coordinators": [
            {"by": audit.viewer_name, "why": audit.reason, "at": audit.at}
            for audit in mentorship.access_audits.all()
        ],
    }
