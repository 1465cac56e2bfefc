from __future__ import annotations

import json
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from medmentor.accounts.export import readable
from medmentor.accounts.forms import AccountDeleteForm
from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.accounts.selectors import access_log_of, get_data_export_for
from medmentor.accounts.services import account_delete, data_export_request


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)
        account_delete(user=user)
        messages.success(request, _("Your account and its data have been deleted."))
        return redirect("dashboard:home")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Export my data: ask for it, then download it or read it, for a few days."""
    user = request.user
    if request.method == "POST":
        data_export_request(user=user)
        messages.success(
            request, _("We are preparing your data. We will e-mail you when it is ready.")
        )
        return redirect("accounts:data")
    return render(
        request,
        "accounts/data.html",
        {
            "exports": user.data_exports.all()[:20],
            "retention_days": settings.EXPORT_RETENTION_DAYS,
        },
    )


@login_required
@require_GET
def data_read(request: AuthenticatedHttpRequest, export_uuid: UUID) -> HttpResponse:
    export = get_data_export_for(request.user, export_uuid)
    # get_data_export_for returns only an export that is ready, whose data is there.
    assert export.data is not None
    sections = readable(export.data["sections"])
    return render(request, "accounts/data_read.html", {"export": export, "sections": sections})


@login_required
@require_GET
def data_download(request: AuthenticatedHttpRequest, export_uuid: UUID) -> HttpResponse:
    export = get_data_export_for(request.user, export_uuid)
    body = json.dumps(export.data, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = export.requested_at.date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="medmentor-my-data-{stamp}.json"'
    return response


@login_required
@require_GET
def access(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Access to my data: who looked at, exported or changed it, newest first."""
    page = Paginator(access_log_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/access.html", {"page": page})
