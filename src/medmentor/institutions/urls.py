from django.urls import path

from medmentor.institutions import views

app_name = "institutions"

urlpatterns = [
    path("institution/", views.sign_in, name="sign_in"),
]
