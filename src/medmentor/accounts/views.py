from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from medmentor.accounts.forms import AccountDeleteForm
from medmentor.accounts.services import account_delete


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)
        account_delete(user=user)
        messages.success(request, _("Your account and its data have been deleted."))
        return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})
