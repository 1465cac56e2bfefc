"""Match rounds: the coordinator's pages, each through ``get_round_for`` (other people get
404, the program's participants 403). The participants' side is ``views.proposals``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.core.spreadsheet import csv_download
from medmentor.matchrounds.forms import HandPairForm, RoundRunForm
from medmentor.matchrounds.models import MatchRound, Proposal, RoundKind, RoundStatus
from medmentor.matchrounds.roundinputs import circle_pool_of, pool_of
from medmentor.matchrounds.selectors import rounds as selectors_rounds
from medmentor.matchrounds.services import adjust, publish, run
from medmentor.programs import selectors
from medmentor.programs.models import Program

PAGE_SIZE = 50
UNMATCHED_PAGE_SIZE = 100


def _render(
    request: HttpRequest,
    template: str,
    program: Program,
    *,
    status: int = 200,
    **context: object,
) -> HttpResponse:
    return render(
        request,
        f"matchrounds/rounds/{template}",
        {"program": program, "tab": "rounds", **context},
        status=status,
    )


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _run_form(program: Program, data: QueryDict | None = None) -> RoundRunForm:
    return RoundRunForm(
        data,
        kinds=selectors_rounds.round_kinds(program),
        size_range=(program.group_size_min, program.group_size_max),
    )


def _list_page(
    request: HttpRequest, program: Program, form: RoundRunForm, *, status: int = 200
) -> HttpResponse:
    """The rounds page: the pool of each kind of round the program runs, the form, the
    rounds so far."""
    kinds = form.kinds
    pool = pool_of(program) if {RoundKind.PAIRS, RoundKind.GROUPS} & set(kinds) else None
    circle_pool = circle_pool_of(program) if RoundKind.CIRCLES in kinds else None
    return _render(
        request,
        "list.html",
        program,
        status=status,
        pool=pool,
        circle_pool=circle_pool,
        can_run=bool(pool and pool.mentee_ids and pool.mentor_places)
        or bool(circle_pool and len(circle_pool.people) >= program.group_size_min),
        rounds=selectors_rounds.rounds_of(program)[:50],
        form=form,
    )


@login_required
@require_GET
def round_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    return _list_page(request, program, _run_form(program))


@login_required
@require_POST
def round_run(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    form = _run_form(program, request.POST)
    if form.is_valid():
        try:
            match_round = run.round_start(
                program=program,
                by=request.user,
                kind=form.cleaned_data["kind"],
                algorithm=form.cleaned_data["algorithm"],
                seed=form.cleaned_data["seed"] or 0,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round is running."))
            return redirect("matchrounds:round", program.uuid, match_round.uuid)
    return _list_page(request, program, form, status=422)


def _proposal_rows(proposals: Iterable[Proposal]) -> list[dict[str, Any]]:
    return [
        {
            "proposal": p,
            "reasons": selectors_rounds.localized(p.reasons),
            "warnings": selectors_rounds.localized(p.warnings),
        }
        for p in proposals
    ]


@login_required
@require_GET
def round_detail(
    request: AuthenticatedHttpRequest, program_uuid: UUID, round_uuid: UUID
) -> HttpResponse:
    match_round = selectors_rounds.get_round_for(request.user, program_uuid, round_uuid)
    program = match_round.program
    if request.htmx:
        if match_round.is_running:
            return render(
                request,
                "matchrounds/rounds/detail.html#progress",
                {"program": program, "round": match_round},
            )
        # Finished: the whole page now has results to show.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    if match_round.forms_groups:
        return _groups_detail(request, match_round)
    order = request.GET.get("order", "score")
    page = Paginator(selectors_rounds.proposals_of(match_round, order=order), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unmatched = Paginator(selectors_rounds.unmatched_of(match_round), UNMATCHED_PAGE_SIZE).get_page(
        request.GET.get("upage")
    )
    shown = [uid for p in page.object_list for uid in (p.mentee_id, p.mentor_id)]
    _logged(request, match_round, Action.VIEW, [*shown, *(u.user_id for u in unmatched)])
    return _render(
        request,
        "detail.html",
        program,
        round=match_round,
        page=page,
        rows=_proposal_rows(page.object_list),
        order=order,
        unmatched=unmatched,
        others=(  # rounds of pairs only: circles are not compared
            selectors_rounds.rounds_of(program)
            .filter(kind=RoundKind.PAIRS)
            .exclude(pk=match_round.pk)[:20]
        ),
    )


def _groups_detail(request: AuthenticatedHttpRequest, match_round: MatchRound) -> HttpResponse:
    """A circle or group round under review: each circle or group with its members (and
    mentor) by name, score and reasons, and the people left out with the reason."""
    circles = list(selectors_rounds.circles_of(match_round))
    unmatched = Paginator(selectors_rounds.unmatched_of(match_round), UNMATCHED_PAGE_SIZE).get_page(
        request.GET.get("upage")
    )
    shown = [row.user_id for circle in circles for row in circle.rows.all()]
    shown += [circle.mentor_id for circle in circles if circle.mentor_id]
    _logged(request, match_round, Action.VIEW, [*shown, *(u.user_id for u in unmatched)])
    return _render(
        request,
        "detail.html",
        match_round.program,
        round=match_round,
        circles=[{"circle": c, "reasons": selectors_rounds.localized(c.reasons)} for c in circles],
        unmatched=unmatched,
    )


def _logged(
    request: AuthenticatedHttpRequest, match_round: MatchRound, action: str, people: Iterable[int]
) -> None:
    access_log(
        actor=request.user,
        action=action,
        what=What.MATCH_ROUND,
        subjects=people,
        program=match_round.program,
        detail=f"{match_round.created_at:%Y-%m-%d %H:%M}",
    )


def _pair_round(
    request: AuthenticatedHttpRequest, program_uuid: UUID, round_uuid: UUID
) -> MatchRound:
    """A round of pairs: locks, breaks, hand pairs and comparisons mean nothing for
    circles (404)."""
    return selectors_rounds.get_round_for(
        request.user, program_uuid, round_uuid, kind=RoundKind.PAIRS
    )


def _back(match_round: MatchRound, request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    url = f"?page={page}" if page.isdigit() else ""
    return redirect(f"{_round_url(match_round)}{url}#proposals" if url else _round_url(match_round))


def _round_url(match_round: MatchRound) -> str:
    return reverse("matchrounds:round", args=[match_round.program.uuid, match_round.uuid])


@login_required
@require_POST
def round_lock(
    request: AuthenticatedHttpRequest, program_uuid: UUID, round_uuid: UUID, proposal_uuid: UUID
) -> HttpResponse:
    match_round = _pair_round(request, program_uuid, round_uuid)
    proposal = selectors_rounds.get_proposal_of(match_round, proposal_uuid)
    lock = request.POST.get("locked") == "1"
    try:
        adjust.proposal_lock(proposal=proposal, locked=lock, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            (
                _("%(mentee)s and %(mentor)s are locked.")
                if lock
                else _("%(mentee)s and %(mentor)s are unlocked.")
            )
            % {
                "mentee": proposal.mentee.get_full_name(),
                "mentor": proposal.mentor.get_full_name(),
            },
        )
    return _back(match_round, request)


@login_required
@require_POST
def round_break(
    request: AuthenticatedHttpRequest, program_uuid: UUID, round_uuid: UUID, proposal_uuid: UUID
) -> HttpResponse:
    match_round = _pair_round(request, program_uuid, round_uuid)
    proposal = selectors_rounds.get_proposal_of(match_round, proposal_uuid)
    try:
        adjust.proposal_break(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("%(mentee)s and %(mentor)s are no longer paired.")
            % {
                "mentee": proposal.mentee.get_full_name(),
                "mentor": proposal.mentor.get_full_name(),
            },
        )
    return _back(match_round, request)


@login_required
@require_http_methods(["GET", "POST"])
def round_pair(
    request: AuthenticatedHttpRequest, program_uuid: UUID, round_uuid: UUID
) -> HttpResponse:
    match_round = _pair_round(request, program_uuid, round_uuid)
    program = match_round.program
    mentees, mentors = selectors_rounds.hand_pair_choices(match_round)
    posted = request.method == "POST"
    form = HandPairForm(request.POST if posted else None, mentees=mentees, mentors=mentors)
    check = None
    if not match_round.is_editable:
        messages.error(request, _("This round can no longer be changed."))
        return redirect(_round_url(match_round))
    if posted and form.is_valid():
        mentee, mentor = form.cleaned_data["mentee"], form.cleaned_data["mentor"]
        try:
            adjust.proposal_hand_pair(
                match_round=match_round,
                mentee=mentee,
                mentor=mentor,
                by=request.user,
                confirmed=bool(form.cleaned_data["confirm"]),
            )
        except ValidationError as error:
            if getattr(error, "error_dict", {}).keys() == {"confirm"}:
                # Only a confirmation is missing: show what the pair breaks.
                check = adjust.hand_pair_check(
                    match_round=match_round, mentee=mentee, mentor=mentor
                )
            else:
                add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(mentee)s and %(mentor)s are paired by hand.")
                % {"mentee": mentee.get_full_name(), "mentor": mentor.get_full_name()},
            )
            return redirect(_round_url(match_round))
    return _render(
        request,
        "pair.html",
        program,
        status=422 if posted else 200,
        round=match_round,
        form=form,
        check=check,
        warnings=selectors_rounds.localized(check.warnings) if check else [],
        reasons=selectors_rounds.localized(check.reasons) if check else [],
    )


@login_required
@require_POST
def round_rerun(
    request: AuthenticatedHttpRequest, program_uuid: UUID, round_uuid: UUID
) -> HttpResponse:
    match_round = selectors_rounds.get_round_for(request.user, program_uuid, round_uuid)
    algorithm = request.POST.get("algorithm", "")
    try:
        again = run.round_rerun(match_round=match_round, by=request.user, algorithm=algorithm)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(_round_url(match_round))
    messages.success(request, _("The round runs again around its locked pairs."))
    return redirect(_round_url(again))


@login_required
@require_GET
def round_compare(
    request: AuthenticatedHttpRequest, program_uuid: UUID, round_uuid: UUID
) -> HttpResponse:
    match_round = _pair_round(request, program_uuid, round_uuid)
    other_uuid = request.GET.get("with", "")
    try:
        other = _pair_round(request, program_uuid, UUID(other_uuid))
    except ValueError as error:
        raise Http404 from error
    comparison = selectors_rounds.rounds_compare(match_round, other)
    pairs = [*comparison.both, *comparison.only_a, *comparison.only_b]
    _logged(request, match_round, Action.VIEW, [person.pk for pair in pairs for person in pair])
    return _render(
        request,
        "compare.html",
        match_round.program,
        round=match_round,
        other=other,
        comparison=comparison,
    )


@login_required
@require_POST
def round_publish(
    request: AuthenticatedHttpRequest, program_uuid: UUID, round_uuid: UUID
) -> HttpResponse:
    """Publishing e-mails everyone and cannot be undone: the first click asks to confirm,
    saying how many people will be told."""
    match_round = selectors_rounds.get_round_for(request.user, program_uuid, round_uuid)
    if request.POST.get("confirm") != "yes" and match_round.status == RoundStatus.READY:
        return render(
            request,
            "matchrounds/rounds/publish.html",
            {
                "program": match_round.program,
                "round": match_round,
                "tab": "rounds",
                "audience": selectors_rounds.publication_audience(match_round),
            },
        )
    try:
        publish.round_publish(match_round=match_round, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("The round is published: every circle has started and its members are told.")
            if match_round.is_circles
            else _("The round is published: every group has started and its members are told.")
            if match_round.forms_groups
            else _("The round is published: both people of each pair are told now."),
        )
    return redirect(_round_url(match_round))


@login_required
@require_GET
def round_export(
    request: AuthenticatedHttpRequest, program_uuid: UUID, round_uuid: UUID
) -> StreamingHttpResponse:
    match_round = selectors_rounds.get_round_for(request.user, program_uuid, round_uuid)
    _logged(request, match_round, Action.EXPORT, selectors_rounds.people_in(match_round))
    name = slugify(match_round.program.name_en) or "program"
    return csv_download(
        f"{name}-round-{match_round.created_at:%Y%m%d-%H%M}.csv",
        selectors_rounds.round_export_rows(match_round),
    )
