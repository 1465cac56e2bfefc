from django.urls import path

from medmentor.accounts import views

app_name = "accounts"

urlpatterns = [
    path("delete/", views.delete, name="delete"),
    path("data/", views.data, name="data"),
    path("data/access/", views.access, name="access"),
    path("data/<uuid:export_uuid>/", views.data_read, name="data_read"),
    path("data/<uuid:export_uuid>/download.json", views.data_download, name="data_download"),
]
