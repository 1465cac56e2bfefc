from django.urls import path

from medmentor.apitokens import views

app_name = "apitokens"

urlpatterns = [
    path("accounts/tokens/", views.token_list, name="list"),
    path(
        "accounts/tokens/<uuid:token_uuid>/revoke/",
        views.token_revoke_confirm,
        name="revoke",
    ),
    path("programs/<uuid:program_uuid>/manage/tokens/", views.program_tokens, name="program"),
    path(
        "programs/<uuid:program_uuid>/manage/tokens/<uuid:token_uuid>/revoke/",
        views.program_token_revoke,
        name="program_revoke",
    ),
]
