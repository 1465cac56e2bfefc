"""Office hours: the mentor's offers and slots, the mentee's booking, the booking page
(both sides: the .ics, cancel, log, rate, and "ask to mentor you")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.core.outcomes import act
from medmentor.mentorships.timezones import time_zone_label, time_zone_of
from medmentor.officehours import selectors
from medmentor.officehours.access import (
    BookingAccess,
    get_booking_for,
    get_offer_for,
    get_slot_of_mentor,
    get_slot_to_book,
)
from medmentor.officehours.forms import (
    BookingForm,
    CancelForm,
    LogForm,
    OfficeHoursChangeForm,
    OfficeHoursForm,
    RateForm,
    SlotForm,
)
from medmentor.officehours.ics import CANCEL, REQUEST, booking_calendar
from medmentor.officehours.services.bookings import (
    booking_cancel,
    booking_create,
    booking_log,
    booking_rate,
)
from medmentor.officehours.services.offers import (
    office_hours_change,
    office_hours_close,
    office_hours_open,
    slot_add,
    slot_cancel,
)
from medmentor.profiles.selectors import get_profile_for_viewer
from medmentor.requests.models import MESSAGE_MAX


def _zone(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    zone = time_zone_of(request.user)
    return {"my_zone": zone, "my_zone_label": time_zone_label(zone)}


def _saved(
    request: AuthenticatedHttpRequest,
    form: forms.Form,
    save: Callable[[], object],
    success: str,
) -> bool:
    """Run ``save`` for a valid form; a service's refusal goes beside its field."""
    if not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, success)
    return True


# -- The mentor's side ------------------------------------------------------------------


@login_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My office hours: offers, slots still to come with who booked and their question,
    past ones to log and rate."""
    context = {
        "overview": selectors.mentor_overview(request.user),
        "programs": selectors.mentor_programs(request.user),
        **_zone(request),
    }
    return render(request, "officehours/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offer_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    programs = selectors.mentor_programs(user)
    form = OfficeHoursForm(
        request.POST if request.method == "POST" else None,
        programs=programs,
        tz=time_zone_of(user),
        initial={"programs": [str(p.uuid) for p in programs[:1]]},
    )
    offer = []
    if request.method == "POST" and _saved(
        request,
        form,
        lambda: offer.append(office_hours_open(mentor=user, **form.values())),
        _("Your office hours are open."),
    ):
        return redirect("officehours:offer", offer[0].uuid)
    return render(
        request,
        "officehours/offer_new.html",
        {"form": form, "programs": programs, **_zone(request)},
        status=422 if form.is_bound else 200,
    )


def _offer_page(
    request: AuthenticatedHttpRequest, offer_uuid: UUID, slot_form: SlotForm, status: int = 200
) -> HttpResponse:
    offer = get_offer_for(request.user, offer_uuid)
    slots = selectors.offer_slots(offer)
    return render(
        request,
        "officehours/offer.html",
        {"offer": offer, "slots": slots, "slot_form": slot_form, **_zone(request)},
        status=status,
    )


@login_required
@require_GET
def offer(request: AuthenticatedHttpRequest, offer_uuid: UUID) -> HttpResponse:
    return _offer_page(request, offer_uuid, SlotForm(tz=time_zone_of(request.user)))


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: AuthenticatedHttpRequest, offer_uuid: UUID) -> HttpResponse:
    """Change what open office hours say; their weekly pattern stays."""
    offer_ = get_offer_for(request.user, offer_uuid)
    if not offer_.is_open:
        messages.error(request, _("These office hours are closed."))
        return redirect("officehours:offer", offer_.uuid)
    form = OfficeHoursChangeForm(
        request.POST if request.method == "POST" else None,
        programs=selectors.mentor_programs(request.user),
        tz=time_zone_of(request.user),
        initial=OfficeHoursChangeForm.initial_of(offer_),
    )
    if request.method == "POST" and _saved(
        request,
        form,
        lambda: office_hours_change(offer=offer_, by=request.user, **form.values()),
        _("Your office hours are changed; anyone booked on a slot to come is told."),
    ):
        return redirect("officehours:offer", offer_.uuid)
    return render(
        request,
        "officehours/offer_edit.html",
        {"form": form, "offer": offer_},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_POST
def slot_new(request: AuthenticatedHttpRequest, offer_uuid: UUID) -> HttpResponse:
    """A one-off slot; bad input comes back on the offer's page, beside the field."""
    offer_ = get_offer_for(request.user, offer_uuid)
    form = SlotForm(request.POST, tz=time_zone_of(request.user))
    if _saved(
        request,
        form,
        lambda: slot_add(offer=offer_, by=request.user, starts_at=form.cleaned_data["starts_at"]),
        _("The slot is added."),
    ):
        return redirect("officehours:offer", offer_.uuid)
    return _offer_page(request, offer_uuid, form, status=422)


@login_required
@require_POST
def offer_close(request: AuthenticatedHttpRequest, offer_uuid: UUID) -> HttpResponse:
    offer_ = get_offer_for(request.user, offer_uuid)
    act(
        request,
        lambda: office_hours_close(offer=offer_, by=request.user),
        _("Your office hours are closed; anyone who had booked is told."),
    )
    return redirect("officehours:offer", offer_.uuid)


@login_required
@require_POST
def slot_cancel_view(request: AuthenticatedHttpRequest, slot_uuid: UUID) -> HttpResponse:
    slot = get_slot_of_mentor(request.user, slot_uuid)
    act(
        request,
        lambda: slot_cancel(slot=slot, by=request.user),
        _("The slot is cancelled; anyone who had booked it is told."),
    )
    return redirect("officehours:offer", slot.offer.uuid)


# -- The mentee's side ------------------------------------------------------------------


@login_required
@require_GET
def mentor_slots(request: AuthenticatedHttpRequest, profile_uuid: UUID) -> HttpResponse:
    """A mentor's open slots, to book one."""
    profile = get_profile_for_viewer(request.user, profile_uuid)
    slots = list(selectors.open_slots_of(profile.user)) if profile.is_mentor else []
    return render(
        request,
        "officehours/mentor_slots.html",
        {
            "profile": profile,
            "mentor": profile.user,
            "slots": slots,
            "is_me": profile.user_id == request.user.pk,
            **_zone(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def book(request: AuthenticatedHttpRequest, slot_uuid: UUID) -> HttpResponse:
    slot = get_slot_to_book(slot_uuid)
    offer_ = slot.offer
    mentor = offer_.mentor
    mentor_profile = selectors.profile_uuid_of(mentor)
    if mentor_profile is None:  # a mentor without a profile offers nothing to book
        raise Http404
    # Whoever may not see the mentor's profile (a block, either way) may not book either.
    profile = get_profile_for_viewer(request.user, mentor_profile)
    programs = selectors.booking_programs(request.user, offer_)
    data = request.POST if request.method == "POST" else None
    form = BookingForm(
        data, programs=programs, initial={"program": str(programs[0].uuid) if programs else ""}
    )
    made = []

    def save() -> None:
        chosen = form.cleaned_data["program"]
        program = next((p for p in programs if str(p.uuid) == chosen), None)
        made.append(
            booking_create(
                slot=slot,
                mentee=request.user,
                program=program,
                question=form.cleaned_data["question"],
            )
        )

    if data is not None and _saved(
        request, form, save, _("Booked. You both get a calendar invitation by e-mail.")
    ):
        return redirect("officehours:booking", made[0].uuid)
    return render(
        request,
        "officehours/book.html",
        {
            "slot": slot,
            "offer": offer_,
            "mentor": mentor,
            "profile": profile,
            "programs": programs,
            "form": form,
            **_zone(request),
        },
        status=422 if form.is_bound else 200,
    )


@login_required
@require_GET
def bookings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My bookings (as a mentee): still to come, past, cancelled."""
    return render(
        request,
        "officehours/bookings.html",
        {"mine": selectors.mentee_bookings(request.user), **_zone(request)},
    )


# -- The booking, for its two people ----------------------------------------------------


def _ask_url(access: BookingAccess) -> str:
    """The direct-request form for this mentor, the program and the question filled in."""
    booking = access.booking
    mentor_profile = selectors.profile_uuid_of(booking.slot.offer.mentor)
    if mentor_profile is None or booking.program is None:
        return ""
    query = urlencode(
        {"program": str(booking.program.uuid), "message": booking.question[:MESSAGE_MAX]}
    )
    return f"{reverse('requests:request_new', args=[mentor_profile])}?{query}"


def _booking_page(
    request: AuthenticatedHttpRequest,
    access: BookingAccess,
    *,
    log_form: LogForm | None = None,
    rate_form: RateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    booking = access.booking
    record = selectors.own_record(booking, request.user)
    held = booking.is_live and booking.slot.has_begun
    context = {
        "access": access,
        "booking": booking,
        "slot": booking.slot,
        "offer": booking.slot.offer,
        "partner": access.partner,
        "record": record,
        "held": held,
        "cancel_form": CancelForm(),
        "log_form": log_form
        or LogForm(
            initial={
                "minutes_spent": (record.minutes_spent if record and record.is_logged else None)
                or booking.slot.duration_minutes,
                "reflection": record.reflection if record else "",
            }
        ),
        "rate_form": rate_form
        or RateForm(initial={"score": record.score, "comment": record.comment} if record else None),
        "ask_url": _ask_url(access) if access.is_mentee and held else "",
        **_zone(request),
    }
    return render(request, "officehours/booking.html", context, status=status)


@login_required
@require_GET
def booking(request: AuthenticatedHttpRequest, booking_uuid: UUID) -> HttpResponse:
    return _booking_page(request, get_booking_for(request.user, booking_uuid))


@login_required
@require_POST
def booking_cancel_view(request: AuthenticatedHttpRequest, booking_uuid: UUID) -> HttpResponse:
    access = get_booking_for(request.user, booking_uuid)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else request.POST.get("reason", "")
    act(
        request,
        lambda: booking_cancel(access=access, reason=reason),
        _("The booking is cancelled; you both get the cancellation."),
    )
    return redirect("officehours:booking", access.booking.uuid)


@login_required
@require_POST
def booking_log_view(request: AuthenticatedHttpRequest, booking_uuid: UUID) -> HttpResponse:
    access = get_booking_for(request.user, booking_uuid)
    form = LogForm(request.POST)
    if _saved(
        request,
        form,
        lambda: booking_log(
            access=access,
            minutes_spent=form.cleaned_data["minutes_spent"],
            reflection=form.cleaned_data["reflection"],
        ),
        _("Logged. It is in your activity record."),
    ):
        return redirect("officehours:booking", access.booking.uuid)
    return _booking_page(request, access, log_form=form, status=422)


@login_required
@require_POST
def booking_rate_view(request: AuthenticatedHttpRequest, booking_uuid: UUID) -> HttpResponse:
    access = get_booking_for(request.user, booking_uuid)
    form = RateForm(request.POST)
    if _saved(
        request,
        form,
        lambda: booking_rate(
            access=access,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        ),
        _("Thank you for rating it."),
    ):
        return redirect("officehours:booking", access.booking.uuid)
    return _booking_page(request, access, rate_form=form, status=422)


@login_required
@require_GET
def booking_ics(request: AuthenticatedHttpRequest, booking_uuid: UUID) -> HttpResponse:
    access = get_booking_for(request.user, booking_uuid)
    booking_ = access.booking
    method = REQUEST if booking_.is_live else CANCEL
    response = HttpResponse(
        booking_calendar(booking_, request.user, method),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="office-hours-{booking_.uuid}.ics"'
    return response
