from django.urls import path

from medmentor.programs.views import emails, enrolment, lines, manage, public

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
    path("<uuid:program_uuid>/", public.program_detail, name="detail"),
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
    # Reporting lines and conflicts the coordinators know (issue 18).
    path("<uuid:program_uuid>/manage/lines/", lines.line_list, name="lines"),
    path(
        "<uuid:program_uuid>/manage/lines/<uuid:line_uuid>/remove/",
        lines.line_remove,
        name="line_remove",
    ),
    path("<uuid:program_uuid>/manage/emails/", emails.email_list, name="emails"),
    path(
        "<uuid:program_uuid>/manage/emails/<str:email_key>/", emails.email_edit, name="email_edit"
    ),
    path(
        "<uuid:program_uuid>/manage/emails/<str:email_key>/reset/",
        emails.email_reset,
        name="email_reset",
    ),
]
