"""The mentorship and everything in its workspace (one module per subdomain)."""

from medmentor.mentorships.models.checkins import (
    Baseline,
    CheckIn,
    Evaluation,
    Moment,
    ReminderSent,
    SelfRating,
)
from medmentor.mentorships.models.conversation import Message, Note, NoteVisibility
from medmentor.mentorships.models.mentorship import (
    AccessAudit,
    ClosureReason,
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
    "Baseline",
    "CheckIn",
    "ClosureReason",
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
    "Moment",
    "Note",
    "NoteVisibility",
    "RecognitionLetter",
    "ReminderSent",
    "SelfRating",
    "Source",
    "StatusChange",
]
