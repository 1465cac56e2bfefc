"""Who is related to whom through programs, for the profiles app's "programs" visibility
level: fellow members of a program. Registered in ``ProgramsConfig.ready`` (the
"matched" level is registered by the apps that put people in touch: match rounds and
requests)."""

from __future__ import annotations

from collections.abc import Collection

from medmentor.programs.models import OPEN_COMMUNITY_UUID, Membership, Status


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
