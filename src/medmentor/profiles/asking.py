"""Whether a reader may ask each mentor a page shows, said by the app that owns requests.

The profile page and the mentor search show an "Ask" button, or why not and which
program to join. Who may ask whom is the requests app's rule, and that app sits above
this one: it registers its answer here in ``AppConfig.ready``. Until one is registered
(the profiles app alone), nobody is offered an "Ask".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from medmentor.accounts.models import User

# Reader, mentors' user ids -> each mentor's option (an object the "ask" templates read).
AskOptions = Callable[[User, Iterable[int]], Mapping[int, Any]]
_provider: list[AskOptions] = []


def register_ask_options(provider: AskOptions) -> None:
    _provider[:] = [provider]


def ask_options(reader: User, mentor_ids: Iterable[int]) -> Mapping[int, Any]:
    """Each mentor's option for ``reader``, as the registered provider says; none without."""
    if not _provider:
        return {}
    return _provider[0](reader, mentor_ids)
