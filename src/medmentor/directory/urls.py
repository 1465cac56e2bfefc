from django.urls import path

from medmentor.directory import feeds, moderation, views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", feeds.NewListingsFeed(), name="feed"),
    path("export.csv", views.export_csv, name="export"),
    path("submit/", views.submit, name="submit"),
    path("submit/sent/", views.submitted, name="submitted"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/<uuid:submission_uuid>/", moderation.review, name="moderation_review"),
    path(
        "moderation/<uuid:submission_uuid>/approve/", moderation.approve, name="moderation_approve"
    ),
    path("moderation/<uuid:submission_uuid>/reject/", moderation.reject, name="moderation_reject"),
    path(
        "moderation/listings/<uuid:listing_uuid>/verify/", moderation.verify, name="listing_verify"
    ),
    path("<uuid:listing_uuid>/", views.detail, name="detail"),
    path("<uuid:listing_uuid>/correct/", views.submit, name="correct"),
]
