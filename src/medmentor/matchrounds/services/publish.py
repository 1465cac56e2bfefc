"""Publishing a round, and each side's answer to a proposal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.matchrounds.models import (
    LIVE_PROPOSAL_STATUSES,
    MatchRound,
    Proposal,
    ProposalStatus,
    Response,
    RoundKind,
    RoundStatus,
)
from medmentor.matchrounds.services.groups import groups_publish
from medmentor.matchrounds.services.notify import (
    proposal_notify_declined,
    proposal_notify_failed,
)
from medmentor.matchrounds.tasks import notify_round_published
from medmentor.mentorships.models import Mentorship, Source
from medmentor.mentorships.models.mentorship import LIVE_STATUSES
from medmentor.mentorships.services.lifecycle import mentorship_start
from medmentor.programs.models import Program, Role

REASON_MAX = 1000


@transaction.atomic
def round_publish(*, match_round: MatchRound, by: User) -> MatchRound:
    """Make the round's proposals visible to both people and notify them (on commit); a
    circle or group round starts its circles or groups instead (``groups_publish``).

    A mentee who, since the run, got a live proposal from another published round or a
    mentorship in the program is not proposed twice: that proposal fails with the reason.
    """
    if match_round.kind != RoundKind.PAIRS:
        return groups_publish(match_round=match_round, by=by)
    # One publication per program at a time: the check for mentees already taken below
    # must see the other round's proposals.
    Program.objects.select_for_update().filter(pk=match_round.program_id).first()
    locked = MatchRound.objects.select_for_update().get(pk=match_round.pk)
    if locked.status != RoundStatus.READY:
        raise ValidationError(
            {"round": _("Only a round that ran and is under review can be published.")}
        )
    proposals = Proposal.objects.filter(round=locked, status=ProposalStatus.PROPOSED)
    mentee_ids = set(proposals.values_list("mentee_id", flat=True))
    taken = set(
        Proposal.objects.filter(
            round__program_id=locked.program_id,
            round__status=RoundStatus.PUBLISHED,
            status__in=LIVE_PROPOSAL_STATUSES,
            mentee_id__in=mentee_ids,
        ).values_list("mentee_id", flat=True)
    ) | set(
        Mentorship.objects.filter(
            program_id=locked.program_id, status__in=LIVE_STATUSES, mentee_id__in=mentee_ids
        ).values_list("mentee_id", flat=True)
    )
    if taken:
        proposals.filter(mentee_id__in=taken).update(
            status=ProposalStatus.FAILED,
            failure=_("The mentee already had a proposal or a mentorship when this was published."),
        )
    proposals.filter(status=ProposalStatus.PROPOSED).update(status=ProposalStatus.PUBLISHED)
    locked.status = RoundStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = by
    locked.save(update_fields=["status", "published_at", "published_by"])
    transaction.on_commit(lambda: notify_round_published.enqueue(locked.pk))
    return locked


@transaction.atomic
def proposal_respond(*, proposal: Proposal, user: User, accept: bool, reason: str = "") -> Proposal:
    """``user`` (the mentee or the mentor) accepts or declines; the reason stays private.

    When both have accepted, the mentorship starts (``mentorship_start`` re-checks
    capacity and exclusions; a refusal marks the proposal failed and tells both). A
    decline ends the proposal, tells the other side, and both return to the pool.
    """
    locked = (
        Proposal.objects.select_for_update()
        .select_related("round__program", "mentee", "mentor")
        .get(pk=proposal.pk)
    )
    role = locked.role_of(user.pk)
    if not role:
        raise ValidationError(_("This proposal is not yours."))
    if locked.status != ProposalStatus.PUBLISHED:
        raise ValidationError(
            {
                "decision": _("This proposal is closed (%(status)s).")
                % {"status": locked.get_status_display()}
            }
        )
    if locked.response_of(role) != Response.PENDING:
        raise ValidationError({"decision": _("You have already answered this proposal.")})
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}}
        )
    setattr(locked, f"{role}_response", Response.ACCEPTED if accept else Response.DECLINED)
    setattr(locked, f"{role}_reason", reason)
    setattr(locked, f"{role}_responded_at", timezone.now())
    if not accept:
        locked.status = ProposalStatus.DECLINED
        locked.save()
        proposal_notify_declined(proposal=locked, by=user)
        return locked
    other = Role.MENTOR if role == Role.MENTEE else Role.MENTEE
    if locked.response_of(other) == Response.ACCEPTED:
        try:
            with transaction.atomic():
                locked.mentorship = mentorship_start(
                    mentor=locked.mentor,
                    mentee=locked.mentee,
                    program=locked.round.program,
                    source=Source.ROUND,
                    by=user,
                )
        except ValidationError as refusal:
            locked.status = ProposalStatus.FAILED
            locked.failure = " ".join(refusal.messages)
            locked.save()
            proposal_notify_failed(proposal=locked)
            return locked
        locked.status = ProposalStatus.ACCEPTED
    locked.save()
    return locked
