"""A person's mentoring activity for continuing professional development claims."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.spreadsheet import csv_download
from medmentor.mentorships.selectors import activity_of

CSV_COLUMNS = ("date", "activity", "role", "partner", "program", "hours", "reflection")


@login_required
@require_GET
def activity_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = activity_of(request.user)
    return render(
        request,
        "mentorships/activity.html",
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
        for row in activity_of(request.user)
    ]
    return csv_download("mentoring-activity.csv", [list(CSV_COLUMNS), *rows])
