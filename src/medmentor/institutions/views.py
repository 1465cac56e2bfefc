from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.saml import views as saml_views
from allauth.socialaccount.providers.saml.utils import get_app_or_404
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from medmentor.institutions.adapter import logger
from medmentor.institutions.forms import InstitutionEmailForm
from medmentor.institutions.selectors import sign_in_origin


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """ "Log in with your institution": the address names the institution, whose own
    sign-in page comes next (a POST to allauth's provider login, as allauth requires)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = InstitutionEmailForm(request.POST or None, initial={"email": request.GET.get("email")})
    if request.method == "POST" and form.is_valid():
        institution = form.institution
        provider = get_adapter().get_provider(request, institution.sso_provider_id)
        login_url = provider.get_login_url(
            request, process="login", **({"next": next_url} if next_url else {})
        )
        response = render(
            request,
            "institutions/continue.html",
            {"institution": institution, "login_url": login_url},
        )
        # The button posts here, and the answer sends the browser on to the institution:
        # a redirect after a form that the page's form-action must allow (as 'self' is).
        response._csp_update = {"form-action": [sign_in_origin(provider.app)]}  # type: ignore[attr-defined]
        return response
    return render(request, "institutions/sign_in.html", {"form": form, "next": next_url})


def saml_finish_acs(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """allauth's end of a SAML sign-in (acs/finish/), logging the refusal allauth leaves
    silent: a valid answer to no sign-in request pending in this browser (replayed, or
    come too late), which allauth refuses with a bare 403."""
    try:
        return saml_views.finish_acs(request, organization_slug=organization_slug)
    except PermissionDenied:
        app = get_app_or_404(request, organization_slug)
        logger.warning(
            "SSO sign-in refused: app %r, answer to no sign-in request pending in this "
            "browser (replayed or too late)",
            app.provider_id or app.client_id,
        )
        raise
