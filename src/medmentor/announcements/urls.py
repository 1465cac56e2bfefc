from django.urls import path

from medmentor.announcements import views

app_name = "announcements"

urlpatterns = [
    path(
        "programs/<uuid:program_uuid>/manage/announcements/",
        views.announcement_list,
        name="list",
    ),
    path(
        "programs/<uuid:program_uuid>/manage/announcements/new/",
        views.announcement_new,
        name="new",
    ),
    path(
        "programs/<uuid:program_uuid>/manage/announcements/<uuid:announcement_uuid>/",
        views.announcement_detail,
        name="detail",
    ),
    path("announcements/<uuid:announcement_uuid>/", views.announcement_read, name="read"),
    path(
        "announcements/unsubscribe/<str:unsubscribe_token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
]
