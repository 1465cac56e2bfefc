from django.urls import path

from medmentor.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.rollup, name="rollup"),
    path("csv/<slug:table>.csv", views.rollup_csv, name="rollup_csv"),
    path("programs/<uuid:program_uuid>/", views.program_report, name="program"),
    path(
        "programs/<uuid:program_uuid>/csv/<slug:table>.csv",
        views.program_report_csv,
        name="program_csv",
    ),
]
