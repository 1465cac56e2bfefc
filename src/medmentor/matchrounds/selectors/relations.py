"""Who a published round put in touch, for the profiles app's "matched" visibility
level (registered in ``MatchroundsConfig.ready``)."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q

from medmentor.matchrounds.models import Proposal, RoundStatus


def proposal_counterparts_among(viewer_id: int, owner_ids: Collection[int]) -> set[int]:
    """The owners the viewer was proposed to in a published round: each needs to see
    who the other is."""
    proposals = Proposal.objects.filter(
        Q(mentee_id=viewer_id, mentor_id__in=owner_ids)
        | Q(mentor_id=viewer_id, mentee_id__in=owner_ids),
        round__status=RoundStatus.PUBLISHED,
    )
    found = {person for pair in proposals.values_list("mentee_id", "mentor_id") for person in pair}
    return found & set(owner_ids)
