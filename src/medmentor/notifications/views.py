from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.notifications import selectors, services
from medmentor.notifications.forms import PreferenceForm
from medmentor.notifications.models import Channel, Preference


@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, notification_uuid: UUID) -> HttpResponse:
    notification = selectors.get_notification_for(request.user, notification_uuid)
    services.notification_mark_read(notification=notification)
    if request.htmx:
        return render(request, "notifications/list.html#notification", {"item": notification})
    if notification.url:
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preference_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = Preference.objects.filter(user=request.user).first() or Preference(
        user=request.user, channel=Channel.EMAIL
    )
    form = PreferenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, channel=form.cleaned_data["channel"])
        messages.success(request, _("Your notification preference is saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
