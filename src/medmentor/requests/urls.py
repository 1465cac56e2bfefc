from django.urls import path

from medmentor.requests import views

app_name = "requests"

# Under /programs/, where direct requests have always been.
urlpatterns = [
    path("requests/", views.requests_mine, name="requests_mine"),
    path("requests/received/", views.requests_received, name="requests_received"),
    path("requests/ask/<uuid:profile_uuid>/", views.request_new, name="request_new"),
    path(
        "requests/lineups/<uuid:cascade_uuid>/withdraw/",
        views.cascade_withdraw,
        name="request_withdraw",
    ),
    path("requests/<uuid:request_uuid>/accept/", views.request_accept_view, name="request_accept"),
    path(
        "requests/<uuid:request_uuid>/decline/", views.request_decline_view, name="request_decline"
    ),
]
