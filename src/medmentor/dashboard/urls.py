from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_GET

from medmentor.dashboard import views
from medmentor.dashboard.sitemaps import SITEMAPS

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", require_GET(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # A person's CPD record: mentoring meetings and office hours (where it has always been).
    path("mentorships/activity/", views.activity_page, name="activity"),
    path("mentorships/activity.csv", views.activity_csv, name="activity_csv"),
]
