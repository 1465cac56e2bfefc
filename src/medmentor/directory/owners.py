"""The pages of the people who run a listed program: the yearly "is this still current?"
link (no account needed: the signed link proves the contact address) and claiming a
listing with an address at the program's domain, then proposing changes to it."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.directory import selectors, services
from medmentor.directory.forms import ClaimForm, ListingContentForm, SubmissionForm
from medmentor.directory.models import Listing
from medmentor.directory.views import client_ip


def _changes_form(request: HttpRequest, listing: Listing) -> ListingContentForm:
    if request.method == "POST" and "confirm" not in request.POST:
        return ListingContentForm(request.POST)
    return ListingContentForm(initial=SubmissionForm.initial_for(listing))


def _changes_sent(
    request: HttpRequest, form: ListingContentForm, listing: Listing, address: str
) -> bool:
    """Sends the program's valid changes to the moderators; False leaves the form with
    its errors to show again."""
    if not (request.method == "POST" and form.is_valid()):
        return False
    try:
        services.listing_correct_from_program(
            listing=listing,
            address=address,
            content=form.cleaned_data,
            language=get_language() or "en",
            ip_address=client_ip(request),
        )
    except services.Throttled as throttled:
        form.add_error(None, str(throttled.message))
        return False
    messages.success(request, _("Thank you: a moderator will apply your changes."))
    return True


@require_http_methods(["GET", "POST"])
def listing_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The program's contact, from the yearly e-mail: confirm the listing as it is (it
    counts as checked today), or propose changes (straight to the moderators). GET only
    shows the page, so that a mail scanner following the link confirms nothing."""
    try:
        listing = services.listing_from_confirmation_token(token=token)
    except services.InvalidConfirmation:
        return render(request, "directory/link_invalid.html", status=400)
    form = _changes_form(request, listing)
    if request.method == "POST" and "confirm" in request.POST:
        services.listing_mark_verified(listing=listing)
        messages.success(request, _("Thank you: the listing counts as checked today."))
        return redirect(listing)
    if _changes_sent(request, form, listing, address=listing.contact_email):
        return redirect(listing)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "directory/listing_confirm.html",
        {"listing": listing, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: AuthenticatedHttpRequest, listing_uuid: uuid.UUID) -> HttpResponse:
    """Someone who runs the program gives an address at its domain; a link goes there."""
    listing = selectors.listing_get_correctable(listing_uuid=listing_uuid)
    form = ClaimForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_start(
                listing=listing,
                user=request.user,
                email=form.cleaned_data["email"],
                language=get_language() or "en",
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = 400
        except services.Throttled as throttled:
            form.add_error(None, str(throttled.message))
            status = 429
        else:
            return render(
                request,
                "directory/claim_sent.html",
                {"listing": listing, "email": form.cleaned_data["email"]},
            )
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "directory/claim.html",
        {"listing": listing, "form": form, "domain": selectors.listing_domain(listing)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_confirm(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """The link from the program's address: POST (a button) makes the claim good."""
    if request.method == "GET":
        return render(request, "directory/claim_confirm.html")
    try:
        claim = services.claim_confirm(token=token, user=request.user)
    except services.InvalidConfirmation:
        return render(request, "directory/link_invalid.html", status=400)
    messages.success(request, _("Confirmed: you can now propose changes to the listing."))
    return redirect("directory:owner_edit", listing_uuid=claim.listing.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def owner_edit(request: AuthenticatedHttpRequest, listing_uuid: uuid.UUID) -> HttpResponse:
    """The owner proposes changes; the moderators check them before they show."""
    claim = selectors.claim_get_confirmed(listing_uuid=listing_uuid, user_id=request.user.pk)
    form = _changes_form(request, claim.listing)
    if _changes_sent(request, form, claim.listing, address=claim.email):
        return redirect(claim.listing)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "directory/owner_edit.html",
        {
            "listing": claim.listing,
            "claim": claim,
            "form": form,
            # The program's own creation page, starting from the listing.
            "create_url": f"{reverse('programs:create')}?listing={claim.listing.uuid}",
        },
        status=status,
    )
