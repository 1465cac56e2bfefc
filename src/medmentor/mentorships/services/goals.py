"""Goals: either side proposes, the other agrees; steps, progress and comments."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.models import (
    EventKind,
    Goal,
    GoalComment,
    GoalMilestone,
    GoalStatus,
)
from medmentor.mentorships.models.work import TEXT_LIMIT, TITLE_LIMIT
from medmentor.mentorships.services.common import (
    activity_touch,
    event_add,
    notify,
    require_writer,
)
from medmentor.profiles.models import Goal as ProfileGoal

GOAL_FIELDS = ("title", "description", "measure", "area", "due_on", "progress")
# Where a goal may go next, and who moves it there.
NEXT_STATUSES = {
    GoalStatus.PROPOSED: (GoalStatus.ACTIVE, GoalStatus.DROPPED),
    GoalStatus.ACTIVE: (GoalStatus.ACHIEVED, GoalStatus.DROPPED),
    GoalStatus.ACHIEVED: (GoalStatus.ACTIVE,),
    GoalStatus.DROPPED: (GoalStatus.PROPOSED,),
}


def goal_errors(values: dict[str, Any]) -> dict[str, str]:
    """The rules a form and the API share; an empty dict when all is well."""
    errors: dict[str, str] = {}
    title = (values.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the goal a title.")
    elif len(title) > TITLE_LIMIT:
        errors["title"] = _("Keep the title under %(n)s characters.") % {"n": TITLE_LIMIT}
    if len(values.get("description") or "") > TEXT_LIMIT:
        errors["description"] = _("Keep this under %(n)s characters.") % {"n": TEXT_LIMIT}
    progress = values.get("progress")
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = _("Progress is between 0 and 100%.")
    area = values.get("area") or ""
    if area and not ProfileGoal.objects.filter(code=area).exists():
        errors["area"] = _("Choose what the goal serves from the list.")
    due_on = values.get("due_on")
    if isinstance(due_on, date) and values.get("_new") and due_on < timezone.localdate():
        errors["due_on"] = _("A new goal cannot be due in the past.")
    return errors


@transaction.atomic
def goal_propose(*, access: MentorshipAccess, **values: Any) -> Goal:
    require_writer(access)
    errors = goal_errors({**values, "_new": True})
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    goal = Goal(
        mentorship=access.mentorship,
        proposed_by=access.user,
        created_at=now,
        updated_at=now,
    )
    for name in GOAL_FIELDS:
        if name in values:
            setattr(goal, name, values[name] if values[name] is not None else "")
    goal.title = goal.title.strip()
    if goal.due_on == "":
        goal.due_on = None
    goal.progress = goal.progress or 0
    goal.full_clean(exclude=["mentorship", "proposed_by"])
    goal.save()
    event_add(mentorship=access.mentorship, kind=EventKind.GOAL_PROPOSED, actor=access.user)
    activity_touch(access.mentorship)
    notify(recipients=access.others, kind="goal_proposed", mentorship=access.mentorship)
    return goal


@transaction.atomic
def goal_update(*, access: MentorshipAccess, goal: Goal, **values: Any) -> Goal:
    require_writer(access)
    unknown = set(values) - {*GOAL_FIELDS, "status"}
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    if values.get("progress", 0) is None:
        values.pop("progress")  # left blank (a goal not yet agreed): unchanged
    for name in ("title", "description", "measure", "area"):
        if name in values and values[name] is None:
            values[name] = ""  # the API's null clears a text (and a title must then be given)
    merged = {name: getattr(goal, name) for name in GOAL_FIELDS} | values
    errors = goal_errors(merged)
    status = values.get("status", goal.status)
    if status != goal.status:
        if status not in NEXT_STATUSES.get(GoalStatus(goal.status), ()):
            errors["status"] = _("A goal cannot go from %(old)s to %(new)s.") % {
                "old": goal.get_status_display(),
                "new": GoalStatus(status).label if status in GoalStatus.values else status,
            }
        elif (
            status == GoalStatus.ACTIVE
            and goal.status == GoalStatus.PROPOSED
            and goal.proposed_by_id == access.user.pk
        ):
            errors["status"] = _("Your partner agrees to a goal you proposed.")
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(goal, name, value)
    goal.title = goal.title.strip()
    if goal.status == GoalStatus.ACHIEVED:
        goal.progress = 100
    goal.updated_at = timezone.now()
    goal.full_clean(exclude=["mentorship", "proposed_by"])
    goal.save()
    event_add(
        mentorship=access.mentorship,
        kind=EventKind.GOAL_UPDATED,
        actor=access.user,
        detail=goal.status,  # a code: the timeline names it in each reader's language
    )
    activity_touch(access.mentorship)
    return goal


@transaction.atomic
def goal_step_add(
    *, access: MentorshipAccess, goal: Goal, title: str, due_on: date | None = None
) -> GoalMilestone:
    require_writer(access)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Name the step.")})
    if len(title) > TITLE_LIMIT:
        raise ValidationError(
            {"title": _("Keep the title under %(n)s characters.") % {"n": TITLE_LIMIT}}
        )
    step = GoalMilestone.objects.create(goal=goal, title=title, due_on=due_on)
    activity_touch(access.mentorship)
    return step


@transaction.atomic
def goal_step_toggle(*, access: MentorshipAccess, step: GoalMilestone) -> GoalMilestone:
    require_writer(access)
    step.done_at = None if step.done_at else timezone.now()
    step.save(update_fields=["done_at"])
    goal = step.goal
    steps = list(goal.milestones.all())
    if steps:
        goal.progress = round(100 * sum(1 for s in steps if s.done_at) / len(steps))
        goal.updated_at = timezone.now()
        goal.save(update_fields=["progress", "updated_at"])
    activity_touch(access.mentorship)
    return step


@transaction.atomic
def goal_comment_add(*, access: MentorshipAccess, goal: Goal, text: str) -> GoalComment:
    require_writer(access)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment first.")})
    if len(text) > TEXT_LIMIT:
        raise ValidationError({"text": _("Keep this under %(n)s characters.") % {"n": TEXT_LIMIT}})
    comment = GoalComment.objects.create(
        goal=goal, author=access.user, text=text, created_at=timezone.now()
    )
    activity_touch(access.mentorship)
    return comment
