from django.urls import path

from medmentor.exports import views

app_name = "exports"

urlpatterns = [
    path("<uuid:program_uuid>/manage/exports/", views.export_list, name="list"),
    path("<uuid:program_uuid>/manage/exports/<slug:key>.csv", views.export_csv, name="csv"),
]
