from django.urls import path

from medmentor.imports import views

app_name = "imports"

# Under /programs/, where the import has always been.
urlpatterns = [
    path("welcome/<str:uidb36>/<str:key>/", views.import_welcome, name="import_welcome"),
    path("<uuid:program_uuid>/manage/import/", views.import_start, name="import"),
    path(
        "<uuid:program_uuid>/manage/import/template.csv",
        views.import_template,
        name="import_template",
    ),
    path(
        "<uuid:program_uuid>/manage/import/<uuid:import_uuid>/",
        views.import_preview,
        name="import_preview",
    ),
    path(
        "<uuid:program_uuid>/manage/import/<uuid:import_uuid>/confirm/",
        views.import_commit,
        name="import_confirm",
    ),
]
