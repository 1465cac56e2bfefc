"""SCIM 2.0 for institutions' directories, under /scim/v2/ (docs/scim.md)."""

from django.urls import path

from medmentor.institutions import scim_views as views

app_name = "scim"

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="service_provider_config"),
    path("ResourceTypes", views.resource_types, name="resource_types"),
    path("Schemas", views.schemas, name="schemas"),
    path("Users", views.users, name="users"),
    path("Users/<str:member_id>", views.user, name="user"),
]
