from django.urls import path

from medmentor.programs.views import (
    concerns,
    enrolment,
    imports,
    manage,
    picks,
    proposals,
    public,
    requests,
    rounds,
)

app_name = "programs"

urlpatterns = [
    path("", public.program_list, name="list"),
    path("mine/", public.my_programs, name="mine"),
    path("new/", public.program_new, name="create"),
    path("invitation/<str:token>/", enrolment.invitation_accept, name="invitation"),
    path(
        "memberships/<uuid:membership_uuid>/withdraw/",
        enrolment.membership_leave,
        name="withdraw",
    ),
    path("welcome/<str:uidb36>/<str:key>/", imports.import_welcome, name="import_welcome"),
    # Direct requests and concerns.
    path("requests/", requests.requests_mine, name="requests_mine"),
    path("requests/received/", requests.requests_received, name="requests_received"),
    path("requests/ask/<uuid:profile_uuid>/", requests.request_new, name="request_new"),
    path(
        "requests/lineups/<uuid:cascade_uuid>/withdraw/",
        requests.cascade_withdraw,
        name="request_withdraw",
    ),
    path(
        "requests/<uuid:request_uuid>/accept/", requests.request_accept_view, name="request_accept"
    ),
    path(
        "requests/<uuid:request_uuid>/decline/",
        requests.request_decline_view,
        name="request_decline",
    ),
    path("concerns/", concerns.concerns_mine, name="concerns_mine"),
    path("concerns/new/", concerns.concern_new, name="concern_new"),
    path("<uuid:program_uuid>/manage/concerns/", concerns.concern_list, name="concerns"),
    path(
        "<uuid:program_uuid>/manage/concerns/<uuid:concern_uuid>/",
        concerns.concern_manage,
        name="concern_manage",
    ),
    path("proposals/", proposals.my_proposals, name="proposals"),
    path("proposals/<uuid:proposal_uuid>/", proposals.proposal_detail, name="proposal"),
    path(
        "proposals/<uuid:proposal_uuid>/<str:decision>/",
        proposals.proposal_answer,
        name="proposal_answer",
    ),
    path("<uuid:program_uuid>/", public.program_detail, name="detail"),
    path("<uuid:program_uuid>/picks/", picks.pick_list, name="picks"),
    path("<uuid:program_uuid>/picks/change/", picks.pick_change, name="pick_change"),
    path("<uuid:program_uuid>/join/<str:role>/", enrolment.program_join, name="join"),
    # The coordinator's area.
    path("<uuid:program_uuid>/manage/", manage.program_settings, name="settings"),
    path("<uuid:program_uuid>/manage/milestones/", manage.milestone_plan, name="milestones"),
    path("<uuid:program_uuid>/manage/questions/", manage.question_list, name="questions"),
    path(
        "<uuid:program_uuid>/manage/questions/<uuid:question_uuid>/",
        manage.question_edit,
        name="question_edit",
    ),
    path(
        "<uuid:program_uuid>/manage/questions/<uuid:question_uuid>/delete/",
        manage.question_delete,
        name="question_delete",
    ),
    path("<uuid:program_uuid>/manage/members/", manage.member_list, name="members"),
    path(
        "<uuid:program_uuid>/manage/members/<uuid:membership_uuid>/remove/",
        manage.member_remove,
        name="member_remove",
    ),
    path(
        "<uuid:program_uuid>/manage/members/<uuid:membership_uuid>/<str:decision>/",
        manage.member_decide,
        name="member_decide",
    ),
    path("<uuid:program_uuid>/manage/queue/", manage.approval_queue, name="queue"),
    path("<uuid:program_uuid>/manage/invitations/", manage.invitation_links, name="invitations"),
    path(
        "<uuid:program_uuid>/manage/invitations/revoke/",
        manage.invitations_revoke,
        name="invitations_revoke",
    ),
    path("<uuid:program_uuid>/manage/duplicate/", manage.program_duplicate, name="duplicate"),
    path("<uuid:program_uuid>/manage/import/", imports.import_start, name="import"),
    path(
        "<uuid:program_uuid>/manage/import/template.csv",
        imports.import_template,
        name="import_template",
    ),
    path(
        "<uuid:program_uuid>/manage/import/<uuid:import_uuid>/",
        imports.import_preview,
        name="import_preview",
    ),
    path(
        "<uuid:program_uuid>/manage/import/<uuid:import_uuid>/confirm/",
        imports.import_commit,
        name="import_confirm",
    ),
    # Match rounds (coordinators).
    path("<uuid:program_uuid>/manage/rounds/", rounds.round_list, name="rounds"),
    path("<uuid:program_uuid>/manage/rounds/run/", rounds.round_run, name="round_run"),
    path("<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/", rounds.round_detail, name="round"),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/pair/",
        rounds.round_pair,
        name="round_pair",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/rerun/",
        rounds.round_rerun,
        name="round_rerun",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/compare/",
        rounds.round_compare,
        name="round_compare",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/publish/",
        rounds.round_publish,
        name="round_publish",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/export.csv",
        rounds.round_export,
        name="round_export",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/<uuid:proposal_uuid>/lock/",
        rounds.round_lock,
        name="round_lock",
    ),
    path(
        "<uuid:program_uuid>/manage/rounds/<uuid:round_uuid>/<uuid:proposal_uuid>/break/",
        rounds.round_break,
        name="round_break",
    ),
]
