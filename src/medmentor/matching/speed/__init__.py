"""Speed-mentoring schedules (placeholder docstring, see below)."""

from medmentor.matching.speed.exact import ExactSchedule, exact_schedule, greedy_schedule
from medmentor.matching.speed.model import (
    UNMET_MESSAGES,
    SpeedMeeting,
    SpeedSchedule,
    UnmetMentee,
)
from medmentor.matching.speed.schedule import schedule_event, schedule_violations

__all__ = [
    "UNMET_MESSAGES",
    "ExactSchedule",
    "SpeedMeeting",
    "SpeedSchedule",
    "UnmetMentee",
    "exact_schedule",
    "greedy_schedule",
    "schedule_event",
    "schedule_violations",
]
