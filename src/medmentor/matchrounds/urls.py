from django.urls import path

from medmentor.matchrounds.views import picks as picks_views
from medmentor.matchrounds.views import proposals as proposals_views
from medmentor.matchrounds.views import rounds as rounds_views

app_name = "matchrounds"

# Under /programs/, where rounds, proposals and picks have always been.
urlpatterns = [
    path("proposals/", proposals_views.my_proposals, name="proposals"),
    path("proposals/<uuid:proposal_uuid>/", proposals_views.proposal_detail, name="proposal"),
    path(
        "proposals/<uuid:proposal_uuid>/<str:decision>/",
        proposals_views.proposal_answer,
        name="proposal_answer",
    ),
    path("<uuid:program_uuid>/picks/", picks_views.pick_list, name="picks"),
    path("<uuid:program_uuid>/picks/change/", picks_views.pick_change, name="pick_change"),
    path("<uuid:program_uuid>/manage/rounds/", rounds_views.round_list, name="rounds"),
    path("<uuid:program_uuid>/manage/rounds/run/", rounds_views.round_run, name="round_run"),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/",
        rounds_views.round_detail,
        name="round",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/pair/",
        rounds_views.round_pair,
        name="round_pair",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/rerun/",
        rounds_views.round_rerun,
        name="round_rerun",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/compare/",
        rounds_views.round_compare,
        name="round_compare",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/publish/",
        rounds_views.round_publish,
        name="round_publish",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/export.csv",
        rounds_views.round_export,
        name="round_export",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/<uuid:proposal_uuid>/lock/",
        rounds_views.round_lock,
        name="round_lock",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/<uuid:proposal_uuid>/break/",
        rounds_views.round_break,
        name="round_break",
    ),
]
