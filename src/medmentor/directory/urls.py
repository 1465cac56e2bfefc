from django.urls import path

from medmentor.directory import feeds, moderation, owners, views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("fit/", views.fit, name="fit"),
    path("gaps/", views.gaps, name="gaps"),
    path("feed/", feeds.NewListingsFeed(), name="feed"),
    path("export.csv", views.export_csv, name="export"),
    path("submit/", views.submit, name="submit"),
    path("submit/sent/", views.submitted, name="submitted"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("still-current/<str:token>/", owners.listing_confirm, name="listing_confirm"),
    path("claim/<str:token>/", owners.claim_confirm, name="claim_confirm"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/<uuid:submission_uuid>/", moderation.review, name="moderation_review"),
    path(
        "moderation/<uuid:submission_uuid>/approve/", moderation.approve, name="moderation_approve"
    ),
    path("moderation/<uuid:submission_uuid>/reject/", moderation.reject, name="moderation_reject"),
    path(
        "moderation/listings/<uuid:listing_uuid>/verify/", moderation.verify, name="listing_verify"
    ),
    path(
        "moderation/listings/<uuid:listing_uuid>/reports/",
        moderation.resolve_reports,
        name="listing_reports",
    ),
    path("<uuid:listing_uuid>/", views.detail, name="detail"),
    path("<uuid:listing_uuid>/correct/", views.submit, name="correct"),
    path("<uuid:listing_uuid>/report/", views.report, name="report"),
    path("<uuid:listing_uuid>/claim/", owners.claim, name="claim"),
    path("<uuid:listing_uuid>/edit/", owners.owner_edit, name="owner_edit"),
]
