"""The mentorship and everything in its workspace (one module per subdomain)."""

from medmentor.mentorships.models.checkins import CheckIn, Evaluation, ReminderSent
from medmentor.mentorships.models.conversation import Message, Note, NoteVisibility
from medmentor.mentorships.models.mentorship import (
    AccessAudit,
    EventKind,
    Mentorship,
    MentorshipEvent,
    MentorshipMilestone,
    MentorshipStatus,
    Source,
    StatusChange,
)
from medmentor.mentorships.models.recognition import RecognitionLetter
from medmentor.mentorships.models.work import (
    Agreement,
    Goal,
    GoalComment,
    GoalMilestone,
    GoalStatus,
    Meeting,
    MeetingRating,
    MeetingStatus,
    Modality,
)

__all__ = [
    "AccessAudit",
    "Agreement",
    "CheckIn",
    "Evaluation",
    "EventKind",
    "Goal",
    "GoalComment",
    "GoalMilestone",
    "GoalStatus",
    "Meeting",
    "MeetingRating",
    "MeetingStatus",
    "Mentorship",
    "MentorshipEvent",
    "MentorshipMilestone",
    "MentorshipStatus",
    "Message",
    "Modality",
    "Note",
    "NoteVisibility",
    "RecognitionLetter",
    "ReminderSent",
    "Source",
    "StatusChange",
]
