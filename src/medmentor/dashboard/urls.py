from django.urls import path

from medmentor.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # A person's CPD record: mentoring meetings and office hours (where it has always been).
    path("mentorships/activity/", views.activity_page, name="activity"),
    path("mentorships/activity.csv", views.activity_csv, name="activity_csv"),
]
