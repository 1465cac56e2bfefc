from django.urls import path

from medmentor.concerns import views

app_name = "concerns"

# Under /programs/, where concerns have always been.
urlpatterns = [
    path("concerns/", views.concerns_mine, name="concerns_mine"),
    path("concerns/new/", views.concern_new, name="concern_new"),
    path("<uuid:program_uuid>/manage/concerns/", views.concern_list, name="concerns"),
    path(
        "<uuid:program_uuid>/manage/concerns/<uuid:concern_uuid>/",
        views.concern_manage,
        name="concern_manage",
    ),
]
