from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.spreadsheet import csv_download
from medmentor.dashboard.selectors import activity_record, dashboard_for
from medmentor.mentorships.timezones import time_zone_of

CSV_COLUMNS = ("date", "activity", "role", "partner", "program", "hours", "reflection")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/home.html")


# Private areas stay out of search engines (they answer a log-in page or 404 anyway).
ROBOTS_DISALLOW = ("/accounts/", "/admin/", "/api/", "/mentorships/", "/notifications/", "/scim/")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('dashboard:sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboard/dashboard.html",
        {"dashboard": dashboard_for(request.user), "my_zone": time_zone_of(request.user)},
    )


@login_required
@require_GET
def activity_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A person's mentoring activity for continuing professional development claims:
    mentoring meetings and office hours they logged, by date."""
    rows = activity_record(request.user)
    return render(
        request,
        "dashboard/activity.html",
        {
            "rows": rows,
            "total_hours": round(sum(row.hours for row in rows), 2),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def activity_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    rows = [
        [
            row.day.isoformat(),
            row.activity,
            row.role,
            row.partner,
            row.program,
            f"{row.hours:.2f}",
            row.reflection,
        ]
        for row in activity_record(request.user)
    ]
    return csv_download("mentoring-activity.csv", [list(CSV_COLUMNS), *rows])
