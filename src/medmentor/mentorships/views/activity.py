"""A person's mentoring activity for continuing professional development claims."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from medmentor.mentorships.selectors import activity_of

CSV_COLUMNS = ("date", "activity", "role", "partner", "program", "hours", "reflection")


@login_required
@require_GET
def activity_page(request: HttpRequest) -> HttpResponse:
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
def activity_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mentoring-activity.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in activity_of(request.user):
        writer.writerow(
            [
                row.day.isoformat(),
                row.activity,
                row.role,
                row.partner,
                row.program,
                f"{row.hours:.2f}",
                row.reflection,
            ]
        )
    return response
