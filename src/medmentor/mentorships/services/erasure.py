"""A person leaves MedMentor: what of their mentorships goes with them, and what stays with
their partners.

Goes: their notes, messages, comments and meeting logs (their words), their check-ins,
ratings and evaluations, their letters of recognition; a mentorship whose partner has
already left, whole. Stays, for the partner: the
mentorship and its history, the agreement, the goals, the meetings and their hours, the
partner's own words, with a "former member" where the person was. A mentorship still
running ends, as if they had ended it, and the partner is told. A group or a circle goes on
without them (a group they lead ends, and its members are told).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.mentorships.models import (
    ClosureReason,
    GoalComment,
    Meeting,
    Mentorship,
    MentorshipKind,
    MentorshipMember,
    MentorshipStatus,
)
from medmentor.mentorships.models.mentorship import LIVE_STATUSES
from medmentor.mentorships.services.closure import evaluation_url
from medmentor.mentorships.services.common import notify
from medmentor.mentorships.services.lifecycle import status_change


def mentorships_erase_person(person: User, former: User) -> None:
    theirs = Mentorship.objects.filter(Q(mentor=person) | Q(mentee=person))
    ended = []
    for mentorship in theirs.filter(status__in=LIVE_STATUSES).select_related("mentor", "mentee"):
        if mentorship.mentor_id == person.pk:
            reason, category = _("Ended: the mentor left MedMentor"), ClosureReason.MENTOR_ENDED
        else:
            reason, category = _("Ended: the mentee left MedMentor"), ClosureReason.MENTEE_ENDED
        mentorship.closure_reason = category
        status_change(mentorship=mentorship, to=MentorshipStatus.ENDED, by=None, reason=reason)
        ended.append(mentorship.pk)
    # A mentorship whose other side has already left is nobody's record any more.
    theirs.filter(Q(mentor=former) | Q(mentee=former), kind=MentorshipKind.PAIR).delete()
    # A group or a circle goes on without them (one led by them has ended above).
    MentorshipMember.objects.filter(user=person).delete()
    GoalComment.objects.filter(author=person).delete()
    Meeting.objects.filter(logged_by=person).update(discussed="", next_steps="", logged_by=None)
    Meeting.objects.filter(organizer=person).update(organizer=None)
    theirs.filter(mentor=person).update(mentor=former)
    theirs.filter(mentee=person).update(mentee=former)
    for mentorship in Mentorship.objects.filter(pk__in=ended).select_related("mentor", "mentee"):
        notify(
            recipients=[p for p in mentorship.people() if p.pk not in (former.pk, person.pk)],
            kind="ended",
            mentorship=mentorship,
            url=evaluation_url(mentorship),
        )
