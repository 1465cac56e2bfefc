"""The directory's public pages: search, the fit path, gaps, a listing, submission,
confirmation and reports of outdated listings."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from medmentor.core.http import HtmxHttpRequest
from medmentor.core.spreadsheet import csv_download
from medmentor.directory import selectors, services
from medmentor.directory.forms import FitForm, ReportForm, SearchForm, SubmissionForm
from medmentor.directory.models import CONTENT_FIELDS
from medmentor.directory.structured_data import listing_json_ld, listing_summary

PAGE_SIZE = 20


def client_ip(request: HttpRequest) -> str:
    # The address allauth's own rate limits use: behind a proxy, it trusts forwarded
    # headers only as far as ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER say.
    return str(get_account_adapter(request).get_client_ip(request))


@require_GET
def index(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.listing_search(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filters": filters,
        "physicians_unserved": selectors.physicians_unserved(filters=filters),
    }
    template = "directory/index.html#results" if request.htmx else "directory/index.html"
    return render(request, template, context)


@require_GET
def detail(request: HttpRequest, listing_uuid: uuid.UUID) -> HttpResponse:
    listing = selectors.listing_get_public(listing_uuid=listing_uuid)
    french = (get_language() or "en").startswith("fr")
    return render(
        request,
        "directory/detail.html",
        {
            "listing": listing,
            "json_ld": listing_json_ld(request, listing),
            "summary": listing_summary(listing),
            "page_url": request.build_absolute_uri(listing.get_absolute_url()),
            "og_locale": "fr_CA" if french else "en_CA",
            "og_image": request.build_absolute_uri(static("img/og-card.png")),
        },
    )


@require_GET
def fit(request: HttpRequest) -> HttpResponse:
    """Which program fits me: three questions, then the ranked list with its reasons."""
    form = FitForm(request.GET or None)
    fits = None
    if form.is_bound and form.is_valid():
        fits = selectors.listings_fitting(**form.cleaned_data)
    return render(request, "directory/fit.html", {"form": form, "fits": fits})


@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    """Where programs are missing: programs by region and career stage."""
    return render(request, "directory/gaps.html", {"gaps": selectors.directory_gaps()})


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, listing_uuid: uuid.UUID) -> HttpResponse:
    """A visitor reports an outdated listing to the moderators."""
    listing = selectors.listing_get_correctable(listing_uuid=listing_uuid)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_report(
                listing=listing,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                ip_address=client_ip(request),
            )
        except services.Throttled as throttled:
            form.add_error(None, str(throttled.message))
            status = 429
        else:
            messages.success(request, _("Thank you: a moderator will check the listing."))
            return redirect(listing)
    return render(
        request, "directory/report.html", {"form": form, "listing": listing}, status=status
    )


CSV_COLUMNS = (*CONTENT_FIELDS, "last_verified", "source", "url")


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The directory (or the searched part of it) as CSV, both languages side by side."""
    filters = SearchForm(request.GET or None).filters()

    def rows() -> Iterator[list[object]]:
        yield list(CSV_COLUMNS)
        for listing in selectors.listing_search(filters=filters).iterator():
            values = [getattr(listing, column, None) for column in CSV_COLUMNS[:-1]]
            url = request.build_absolute_uri(listing.get_absolute_url())
            yield [*(" ".join(v) if isinstance(v, list) else v for v in values), url]

    return csv_download(f"medmentor-directory-{timezone.localdate().isoformat()}.csv", rows())


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, listing_uuid: uuid.UUID | None = None) -> HttpResponse:
    """Propose a program, or (with a listing) a correction to it."""
    listing = selectors.listing_get_correctable(listing_uuid=listing_uuid) if listing_uuid else None
    status = 200
    if request.method == "POST":
        form = SubmissionForm(request.POST)
        if form.is_spam:
            # Answer a bot as if it had worked, and keep nothing.
            return redirect("directory:submitted")
        if form.is_valid():
            try:
                services.submission_create(
                    content=form.cleaned_data,
                    language=get_language() or "en",
                    ip_address=client_ip(request),
                    listing=listing,
                )
            except services.Throttled as throttled:
                form.add_error(None, str(throttled.message))
                status = 429
            else:
                return redirect("directory:submitted")
    elif listing:
        form = SubmissionForm(initial=SubmissionForm.initial_for(listing))
    else:
        # The gaps page links here with the career stage and region it found empty.
        form = SubmissionForm(initial=SubmissionForm.initial_from_query(request.GET))
    return render(
        request, "directory/submit.html", {"form": form, "listing": listing}, status=status
    )


@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/submitted.html")


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: a mail scanner following the link confirms nothing."""
    try:
        submission = services.submission_from_token(token=token)
    except services.InvalidConfirmation:
        return render(request, "directory/confirm_invalid.html", status=400)
    if request.method == "POST":
        services.submission_confirm(token=token)
        messages.success(
            request, _("Thank you: your submission is confirmed and waits for a moderator.")
        )
        return redirect("directory:index")
    return render(request, "directory/confirm.html", {"submission": submission})
