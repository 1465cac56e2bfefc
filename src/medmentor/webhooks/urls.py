from django.urls import path

from medmentor.webhooks import views

app_name = "webhooks"

M = "programs/<uuid:program_uuid>/manage/webhooks/"
E = M + "<uuid:endpoint_uuid>/"

urlpatterns = [
    path(M, views.endpoint_list, name="endpoints"),
    path(M + "new/", views.endpoint_new, name="endpoint_new"),
    path(E, views.endpoint_detail, name="endpoint"),
    path(E + "edit/", views.endpoint_edit, name="endpoint_edit"),
    path(E + "active/", views.endpoint_active, name="endpoint_active"),
    path(E + "secret/", views.endpoint_secret, name="endpoint_secret"),
    path(E + "test/", views.endpoint_test, name="endpoint_test"),
    path(E + "deliveries/<uuid:delivery_uuid>/retry/", views.delivery_retry, name="retry"),
]
