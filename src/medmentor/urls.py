from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from medmentor.api.urls import api
from medmentor.core import views as core_views

admin.site.site_header = "MedMentor"
admin.site.site_title = "MedMentor"
# Staff log in through allauth like everyone else: throttled, and with their second factor.
# (allauth's documented way is to replace the admin site's method, which mypy forbids.)
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("medmentor.dashboard.urls")),
    path("", include("medmentor.profiles.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("medmentor.accounts.urls")),
    path("accounts/", include("medmentor.institutions.urls")),
    path("", include("medmentor.calendars.urls")),  # /accounts/calendar/, /calendar/<secret>.ics
    path("", include("medmentor.apitokens.urls")),  # /accounts/tokens/, .../manage/tokens/
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("medmentor.notifications.urls")),
    path("directory/", include("medmentor.directory.urls")),
    path("programs/", include("medmentor.programs.urls")),
    path("programs/", include("medmentor.requests.urls")),
    path("programs/", include("medmentor.concerns.urls")),
    path("programs/", include("medmentor.matchrounds.urls")),
    path("programs/", include("medmentor.imports.urls")),
    path("programs/", include("medmentor.exports.urls")),
    path("", include("medmentor.announcements.urls")),
    path("", include("medmentor.surveys.urls")),  # /programs/<uuid>/manage/surveys/, /surveys/
    path("", include("medmentor.events.urls")),  # /programs/<uuid>/manage/events/, /events/
    path("", include("medmentor.webhooks.urls")),  # /programs/<uuid>/manage/webhooks/
    path("mentorships/", include("medmentor.mentorships.urls")),
    path("reports/", include("medmentor.reports.urls")),
    path("office-hours/", include("medmentor.officehours.urls")),
    path("scim/v2/", include("medmentor.institutions.scim_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
