"""Who is related to whom through programs, for the profiles app's visibility levels:
the people a mentor or mentee has been put in touch with ("matched"), and fellow members
of a program ("programs"). Registered in ``ProgramsConfig.ready``."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q

from medmentor.programs.models import (
    OPEN_COMMUNITY_UUID,
    Membership,
    Proposal,
    Request,
    RoundStatus,
    Status,
)


def counterparts_among(viewer_id: int, owner_ids: Collection[int]) -> set[int]:
    """The owners the viewer was proposed to in a published round, or who asked the
    viewer for mentorship or were asked by them: each needs to see who the other is."""
    between = Q(mentee_id=viewer_id, mentor_id__in=owner_ids) | Q(
        mentor_id=viewer_id, mentee_id__in=owner_ids
    )
    proposals = Proposal.objects.filter(between, round__status=RoundStatus.PUBLISHED)
    requests = Request.objects.filter(between)
    found = set()
    for queryset in (proposals, requests):
        for mentee_id, mentor_id in queryset.values_list("mentee_id", "mentor_id"):
            found |= {mentee_id, mentor_id}
    return found & set(owner_ids)


def fellow_members_among(viewer_id: int, owner_ids: Collection[int]) -> set[int]:
    """The owners active in a program the viewer is active in (coordinators included).
    The open community, which takes everyone, does not make its members related."""
    programs = (
        Membership.objects.filter(user_id=viewer_id, status=Status.ACTIVE)
        .exclude(program__uuid=OPEN_COMMUNITY_UUID)
        .values("program_id")
    )
    return set(
        Membership.objects.filter(
            program_id__in=programs, user_id__in=owner_ids, status=Status.ACTIVE
        ).values_list("user_id", flat=True)
    )
