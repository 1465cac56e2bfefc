"""What a button did, said on the next page: the one pattern of the views that run a
service on POST and go back to where the person was."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def act(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run ``action``; say ``success``, or every reason it was refused (the service
    changed nothing). Whether it was done."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True
