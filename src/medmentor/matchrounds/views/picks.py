"""A participant's picks: up to five preferred people, in order, before a match round.
Plain forms and redirects: it all works without JavaScript."""

from __future__ import annotations

import contextlib
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.accounts.models import User
from medmentor.matchrounds.models import MAX_PICKS
from medmentor.matchrounds.selectors.picks import (
    SHOWN,
    Picker,
    get_picker,
    picks_count,
    picks_of,
    ranked_candidates,
)
from medmentor.matchrounds.services.picks import pick_add, pick_move, pick_remove

ACTIONS = ("add", "remove", "up", "down")


def _page(
    request: HttpRequest, picker: Picker, *, error: str = "", status: int = 200
) -> HttpResponse:
    picks = picks_of(picker)
    candidates = ranked_candidates(picker, leave_out={p.chosen_id for p in picks})
    return render(
        request,
        "matchrounds/picks/list.html",
        {
            "program": picker.program,
            "picker": picker,
            "picks": picks,
            "candidates": candidates[:SHOWN],
            "more": max(len(candidates) - SHOWN, 0),
            "full": picks_count(picker) >= MAX_PICKS,
            "max_picks": MAX_PICKS,
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def pick_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    picker = get_picker(request.user, program_uuid, request.GET.get("as", ""))
    return _page(request, picker)


@login_required
@require_POST
def pick_change(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    picker = get_picker(request.user, program_uuid, request.POST.get("as", ""))
    action = request.POST.get("action", "")
    chosen = None
    with contextlib.suppress(ValueError):
        chosen = User.objects.filter(uuid=UUID(request.POST.get("person", ""))).first()
    if action not in ACTIONS or chosen is None:
        return _page(request, picker, error=_("Choose a person from the list."), status=422)
    try:
        if action == "add":
            pick_add(picker=picker, chosen=chosen)
        elif action == "remove":
            pick_remove(picker=picker, chosen=chosen)
        else:
            pick_move(picker=picker, chosen=chosen, up=action == "up")
    except ValidationError as problem:
        return _page(request, picker, error=" ".join(problem.messages), status=422)
    if action == "add":
        messages.success(request, _("%(person)s is on your list.") % {"person": chosen})
    return redirect(f"{reverse('matchrounds:picks', args=[picker.program.uuid])}?as={picker.role}")
