"""Direct requests: send (to up to three mentors in order), accept, decline, withdraw, and
move a line-up on when a mentor declines or does not answer in time.

Replaces "first mentor to accept wins": only one mentor of a line-up holds the request
at a time. Capacity is the mentorships app's to keep: accepting goes through
``mentorship_start``, which locks the mentor's profile row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship, Source
from medmentor.mentorships.services.lifecycle import mentorship_start
from medmentor.notifications.services import notification_send
from medmentor.profiles.models import Goal
from medmentor.programs.models import Program
from medmentor.requests.models import (
    CASCADE_MAX,
    DECLINE_REASON_MAX,
    GOALS_NOTE_MAX,
    MESSAGE_MAX,
    CascadeStatus,
    CascadeStop,
    Request,
    RequestCascade,
    RequestStatus,
)
from medmentor.requests.rules import (
    MENTOR_FIELDS,
    both_still_in,
    open_request_limit_check,
    request_check,
    takes_one_mentor,
)


def _lock_mentee(mentee_id: int) -> None:
    """Every change to a mentee's requests takes their user row first: sends, answers,
    withdrawals and timeouts of one mentee happen one at a time, always in the same lock
    order (mentee, then request, then the mentor's profile), so they cannot deadlock
    and an accept never misses a request another answer is creating."""
    User.objects.select_for_update().filter(pk=mentee_id).first()


def _clean_text(value: str, *, field: str, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("Keep it to %(limit)s characters (now %(n)s).")
                % {"limit": limit, "n": len(value)}
            }
        )
    return value


def _clean_goals(codes: Sequence[str]) -> list[str]:
    codes = list(dict.fromkeys(code for code in codes if code))
    known = set(Goal.objects.filter(code__in=codes, active=True).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            {"goals": _("“%(code)s” is not a known goal.") % {"code": unknown[0]}}
        )
    return codes


def _mentee_url() -> str:
    return reverse("requests:requests_mine")


def _mentor_url() -> str:
    return reverse("requests:requests_received")


def _request_open(cascade: RequestCascade, stop: CascadeStop, now: datetime) -> Request:
    try:
        with transaction.atomic():
            request = Request.objects.create(
                cascade=cascade,
                position=stop.position,
                program=cascade.program,
                mentee=cascade.mentee,
                mentor=stop.mentor,
                message=cascade.message,
                goals=cascade.goals,
                goals_note=cascade.goals_note,
                sent_at=now,
                due_at=now + timedelta(days=cascade.program.request_cascade_days),
            )
    except IntegrityError as error:  # the same request sent twice at once
        raise ValidationError(
            {
                MENTOR_FIELDS[min(stop.position, CASCADE_MAX - 1)]: _(
                    "You already have a request open with %(name)s."
                )
                % {"name": stop.mentor.get_full_name()}
            }
        ) from error
    cascade.position = stop.position
    cascade.save(update_fields=["position"])
    notification_send(
        recipient=stop.mentor,
        kind="programs.request_received",
        template="requests/email/request_received",
        context={"request": request, "program": cascade.program, "mentee": cascade.mentee},
        url=_mentor_url(),
    )
    return request


@transaction.atomic
def request_send(
    *,
    program: Program,
    mentee: User,
    mentors: Sequence[User],
    message: str,
    goals: Sequence[str] = (),
    goals_note: str = "",
    now: datetime | None = None,
) -> RequestCascade:
    """Ask the first of ``mentors``; the others (up to two) follow in order if the first
    declines or does not answer within the program's days."""
    now = now or timezone.now()
    _lock_mentee(mentee.pk)  # two sends at once cannot both pass the limit
    message = _clean_text(message, field="message", limit=MESSAGE_MAX, required=True)
    goals_note = _clean_text(goals_note, field="goals_note", limit=GOALS_NOTE_MAX, required=False)
    goal_codes = _clean_goals(goals)
    if not goal_codes and not goals_note:
        raise ValidationError({"goals": _("Choose at least one goal, or say it in your words.")})
    mentors = list(mentors)
    if not mentors:
        raise ValidationError({"mentor": _("Choose a mentor.")})
    if len(mentors) > CASCADE_MAX:
        raise ValidationError({"mentor": _("Line up %(n)s mentors at most.") % {"n": CASCADE_MAX}})
    seen: set[int] = set()
    for index, mentor in enumerate(mentors):
        if mentor.pk in seen:
            raise ValidationError(
                {MENTOR_FIELDS[index]: _("This mentor is already in your line-up.")}
            )
        seen.add(mentor.pk)
        request_check(program=program, mentee=mentee, mentor=mentor, field=MENTOR_FIELDS[index])
    open_request_limit_check(program=program, mentee=mentee)
    cascade = RequestCascade.objects.create(
        program=program,
        mentee=mentee,
        message=message,
        goals=goal_codes,
        goals_note=goals_note,
        created_at=now,
    )
    stops = CascadeStop.objects.bulk_create(
        CascadeStop(cascade=cascade, position=i, mentor=m) for i, m in enumerate(mentors)
    )
    _request_open(cascade, stops[0], now)
    return cascade


def _cascade_close(cascade: RequestCascade, status: str, now: datetime) -> None:
    cascade.status = status
    cascade.closed_at = now
    cascade.save(update_fields=["status", "closed_at"])


def _advance(
    cascade: RequestCascade, previous: Request, *, why: str, now: datetime, tell: bool = True
) -> None:
    """Hand the line-up to the next mentor who can still take it, and tell the mentee;
    after the last, tell the mentee no one could and point them to the search.
    ``tell=False`` when the mentee closed the request themselves (by a block)."""
    cascade = RequestCascade.objects.select_for_update().get(pk=cascade.pk)
    if not cascade.is_open:
        return
    context = {
        "program": cascade.program,
        "previous": previous,
        "previous_mentor": previous.mentor,
        "why": why,
        "days": cascade.program.request_cascade_days,
        "search_url": reverse("profiles:mentor_search"),
        "directory_url": reverse("directory:index"),
    }
    stops = cascade.stops.select_related("mentor").filter(position__gt=previous.position)
    for stop in stops:
        try:
            request_check(
                program=cascade.program, mentee=cascade.mentee, mentor=stop.mentor, moving=cascade
            )
        except ValidationError:
            continue  # no longer possible (full, paused, blocked): the next one then
        request = _request_open(cascade, stop, now)
        if not tell:
            return
        notification_send(
            recipient=cascade.mentee,
            kind="programs.request_moved_on",
            template="requests/email/request_moved_on",
            context={**context, "next_mentor": stop.mentor, "request": request},
            url=_mentee_url(),
        )
        return
    _cascade_close(cascade, CascadeStatus.EXHAUSTED, now)
    if not tell:
        return
    kind = "request_declined" if why == RequestStatus.DECLINED else "request_expired"
    notification_send(
        recipient=cascade.mentee,
        kind=f"programs.{kind}",
        template=f"requests/email/{kind}",
        context=context,
        url=_mentee_url(),
    )


def _locked_pending(request: Request) -> Request:
    locked = (
        Request.objects.select_for_update()
        .select_related("cascade", "program", "mentee", "mentor")
        .get(pk=request.pk)
    )
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(
            {
                "status": _("This request is no longer waiting for an answer (%(status)s).")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def _require_mentor(request: Request, by: User) -> None:
    if request.mentor_id != by.pk:
        raise PermissionDenied(_("Only the mentor asked answers this request."))


@transaction.atomic
def request_accept(*, request: Request, by: User, now: datetime | None = None) -> Mentorship:
    """The mentor says yes: the mentorship starts. With no place left, nothing changes
    and the request stays open, so the mentor can make room or decline it."""
    _require_mentor(request, by)
    now = now or timezone.now()
    _lock_mentee(request.mentee_id)
    locked = _locked_pending(request)
    both_still_in(program=locked.program, mentee=locked.mentee, mentor=locked.mentor)
    try:
        mentorship = mentorship_start(
            mentor=locked.mentor,
            mentee=locked.mentee,
            program=locked.program,
            source=Source.REQUEST,
            by=by,
            already_told=(locked.mentee,),
        )
    except ValidationError as error:
        words = [str(m) for m in error.messages]
        if "mentor" in error.message_dict:  # no place left, or no longer mentoring
            words.append(
                _(
                    "The request stays open: make room (raise your capacity in your "
                    "profile, or end a mentorship) or decline it."
                )
            )
        raise ValidationError({"request": " ".join(words)}) from error
    locked.status = RequestStatus.ACCEPTED
    locked.answered_at = now
    locked.mentorship = mentorship
    locked.save(update_fields=["status", "answered_at", "mentorship"])
    cascade = RequestCascade.objects.select_for_update().get(pk=locked.cascade_id)
    _cascade_close(cascade, CascadeStatus.ACCEPTED, now)
    if takes_one_mentor(locked.program):
        # The mentee found their mentor in this program: their other requests here close.
        others = Request.objects.select_for_update().filter(
            mentee=locked.mentee, program=locked.program, status=RequestStatus.PENDING
        )
        other_cascades = list(others.values_list("cascade_id", flat=True))
        others.update(status=RequestStatus.SUPERSEDED, answered_at=now)
        RequestCascade.objects.filter(pk__in=other_cascades, status=CascadeStatus.OPEN).update(
            status=CascadeStatus.SUPERSEDED, closed_at=now
        )
    notification_send(
        recipient=locked.mentee,
        kind="programs.request_accepted",
        template="requests/email/request_accepted",
        context={"request": locked, "program": locked.program, "mentor": locked.mentor},
        url=reverse("mentorships:workspace", args=[mentorship.uuid]),
    )
    return mentorship


@transaction.atomic
def request_decline(
    *, request: Request, by: User, reason: str = "", now: datetime | None = None
) -> Request:
    """The mentor says no, with an optional reason only they will ever see."""
    _require_mentor(request, by)
    now = now or timezone.now()
    reason = _clean_text(reason, field="reason", limit=DECLINE_REASON_MAX, required=False)
    _lock_mentee(request.mentee_id)
    locked = _locked_pending(request)
    locked.status = RequestStatus.DECLINED
    locked.decline_reason = reason
    locked.answered_at = now
    locked.save(update_fields=["status", "decline_reason", "answered_at"])
    _advance(locked.cascade, locked, why=RequestStatus.DECLINED, now=now)
    return locked


@transaction.atomic
def request_withdraw(
    *, cascade: RequestCascade, by: User, now: datetime | None = None
) -> RequestCascade:
    """The mentee takes back the whole line-up: the waiting request and those to come."""
    if cascade.mentee_id != by.pk:
        raise PermissionDenied(_("Only the mentee who sent it withdraws a request."))
    now = now or timezone.now()
    _lock_mentee(cascade.mentee_id)
    pending = list(
        Request.objects.select_for_update().filter(cascade=cascade, status=RequestStatus.PENDING)
    )
    locked = RequestCascade.objects.select_for_update().get(pk=cascade.pk)
    if not locked.is_open:
        raise ValidationError(
            {
                "status": _("This request is no longer open (%(status)s).")
                % {"status": locked.get_status_display()}
            }
        )
    for request in pending:
        request.status = RequestStatus.WITHDRAWN
        request.answered_at = now
        request.save(update_fields=["status", "answered_at"])
        _tell_mentor_closed(request, "request_withdrawn")
    _cascade_close(locked, CascadeStatus.WITHDRAWN, now)
    return locked


def _tell_mentor_closed(request: Request, kind: str) -> None:
    """Tell the mentor that a request waiting for their answer has closed (withdrawn by
    the mentee, or unanswered in time), so it does not just vanish from their list.
    Never after a block: the blocked person is not told."""
    notification_send(
        recipient=request.mentor,
        kind=f"programs.{kind}",
        template=f"requests/email/{kind}",
        context={
            "program": request.program,
            "mentee": request.mentee,
            "days": request.program.request_cascade_days,
        },
        url=_mentor_url(),
    )


@transaction.atomic
def requests_close_between(blocker: User, blocked: User, now: datetime | None = None) -> int:
    """After a block, no request stays waiting between the two (the profiles app's block
    listener, registered in ``RequestsConfig.ready``). A mentor's block
    declines (the mentee's line-up moves on as after any decline); a mentee's block
    withdraws that request and, without telling them, moves to their next mentor.
    Call inside the transaction that makes the block."""
    now = now or timezone.now()
    closed = 0
    for request in Request.objects.filter(
        Q(mentor=blocker, mentee=blocked) | Q(mentor=blocked, mentee=blocker),
        status=RequestStatus.PENDING,
    ):
        _lock_mentee(request.mentee_id)
        locked = _locked_pending(request)
        by_mentor = locked.mentor_id == blocker.pk
        locked.status = RequestStatus.DECLINED if by_mentor else RequestStatus.WITHDRAWN
        locked.answered_at = now
        locked.save(update_fields=["status", "answered_at"])
        _advance(locked.cascade, locked, why=locked.status, now=now, tell=by_mentor)
        closed += 1
    return closed


def requests_cascade_due(*, now: datetime) -> int:
    """Expire every request unanswered past its due time and move its line-up on.

    Called by ``medmentor remind``; each request in its own transaction, re-checked
    under a lock, so an answer given meanwhile wins and a second run finds nothing."""
    due = list(
        Request.objects.filter(status=RequestStatus.PENDING, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("pk", "mentee_id")
    )
    expired = 0
    for pk, mentee_id in due:
        with transaction.atomic():
            _lock_mentee(mentee_id)
            request = (
                Request.objects.select_for_update()
                .select_related("cascade", "mentor")
                .filter(pk=pk, status=RequestStatus.PENDING, due_at__lte=now)
                .first()
            )
            if request is None:
                continue
            request.status = RequestStatus.EXPIRED
            request.save(update_fields=["status"])
            _tell_mentor_closed(request, "request_lapsed")
            _advance(request.cascade, request, why=RequestStatus.EXPIRED, now=now)
            expired += 1
    return expired
