from django.urls import path

from medmentor.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("preferences/", views.preference_edit, name="preferences"),
    path("<uuid:notification_uuid>/read/", views.notification_read, name="read"),
]
