from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.dashboard.selectors import dashboard_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/home.html")


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "dashboard/dashboard.html", {"dashboard": dashboard_for(request.user)})
