from django.urls import path

from medmentor.profiles import views

app_name = "profiles"

urlpatterns = [
    path("mentors/", views.mentor_search, name="mentor_search"),
    path("profile/", views.me, name="me"),
    path("profile/start/", views.onboarding, name="onboarding"),
    path("profile/edit/<slug:step>/", views.edit, name="edit"),
    path("profile/become-a-mentor/", views.become_mentor, name="become_mentor"),
    path("profile/export.json", views.export, name="export"),
    path("profile/reporting-lines/", views.reporting_lines, name="reporting_lines"),
    path(
        "profile/reporting-lines/<uuid:line_uuid>/delete/",
        views.reporting_line_delete,
        name="reporting_line_delete",
    ),
    path("profile/blocked/", views.blocks, name="blocks"),
    path("profile/blocked/<uuid:block_uuid>/unblock/", views.unblock, name="unblock"),
    path("people/<uuid:profile_uuid>/", views.detail, name="detail"),
    path("people/<uuid:profile_uuid>/photo", views.photo, name="photo"),
    path("people/<uuid:profile_uuid>/block/", views.block, name="block"),
    path("people/<uuid:profile_uuid>/reporting-line/", views.declare_line, name="declare_line"),
]
