"""The concerns app's part of a person's export of their own data (in the ``programs``
section): the concerns they raised, with their own words."""

from __future__ import annotations

from typing import Any

from medmentor.accounts.models import User
from medmentor.concerns.models import Concern
from medmentor.profiles.selectors import display_name_of


def concerns_export(user: User) -> dict[str, Any]:
    return {
        "concerns_raised": [
            {
                "program": concern.program.name,
                "about": display_name_of(concern.about) if concern.about else "",
                "text": concern.text,
                "status": concern.status,
                "created_at": concern.created_at,
            }
            for concern in Concern.objects.filter(reporter=user).select_related("program", "about")
        ],
    }
