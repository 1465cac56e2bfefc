from django.urls import path

from medmentor.institutions import views

app_name = "institutions"

urlpatterns = [
    path("institution/", views.sign_in, name="sign_in"),
    # Before allauth's own route of the same address, which it wraps.
    path("saml/<organization_slug>/acs/finish/", views.saml_finish_acs, name="saml_finish_acs"),
]
