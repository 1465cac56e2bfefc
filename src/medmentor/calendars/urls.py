from django.urls import path

from medmentor.calendars import views

app_name = "calendars"

urlpatterns = [
    path("accounts/calendar/", views.page, name="page"),
    path("accounts/calendar/reset/", views.reset, name="reset"),
    path("accounts/calendar/stop/", views.stop, name="stop"),
    path("calendar/<str:secret>.ics", views.feed, name="feed"),
]
