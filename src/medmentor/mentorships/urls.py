from django.urls import path

from medmentor.mentorships.views import (
    conversation,
    coordinator,
    followup,
    goals,
    meetings,
    workspace,
)

app_name = "mentorships"

M = "<uuid:mentorship_uuid>/"

urlpatterns = [
    path("", workspace.my_mentorships, name="mine"),
    path("program/<uuid:program_uuid>/", coordinator.program_dashboard, name="program"),
    path("program/<uuid:program_uuid>/groups/new/", coordinator.group_new, name="group_new"),
    path(
        "program/<uuid:program_uuid>/letters/<uuid:user_uuid>/",
        coordinator.letter_new,
        name="letter_new",
    ),
    path("letters/<uuid:letter_uuid>/", coordinator.letter, name="letter"),
    path("verify/<str:code>/", coordinator.verify, name="verify"),
    path(M, workspace.workspace, name="workspace"),
    path(M + "oversight/", coordinator.oversight, name="oversight"),
    path(M + "agreement/", workspace.agreement, name="agreement"),
    path(M + "agreement/sign/", workspace.agreement_sign, name="agreement_sign"),
    path(M + "pause/", workspace.pause, name="pause"),
    path(M + "resume/", workspace.resume, name="resume"),
    path(M + "goals/new/", goals.goal_new, name="goal_new"),
    path(M + "goals/<uuid:goal_uuid>/", goals.goal_detail, name="goal"),
    path(M + "goals/<uuid:goal_uuid>/status/", goals.goal_status, name="goal_status"),
    path(M + "goals/<uuid:goal_uuid>/steps/", goals.goal_step_add, name="goal_step_add"),
    path(M + "goals/<uuid:goal_uuid>/comments/", goals.goal_comment, name="goal_comment"),
    path(M + "steps/<uuid:step_uuid>/toggle/", goals.goal_step_toggle, name="goal_step_toggle"),
    path(M + "meetings/new/", meetings.meeting_new, name="meeting_new"),
    path(M + "meetings/<uuid:meeting_uuid>/", meetings.meeting_edit, name="meeting"),
    path(
        M + "meetings/<uuid:meeting_uuid>/cancel/", meetings.meeting_cancel, name="meeting_cancel"
    ),
    path(M + "meetings/<uuid:meeting_uuid>/log/", meetings.meeting_log, name="meeting_log"),
    path(M + "meetings/<uuid:meeting_uuid>/rate/", meetings.meeting_rate, name="meeting_rate"),
    path(
        M + "meetings/<uuid:meeting_uuid>/invitation.ics", meetings.meeting_ics, name="meeting_ics"
    ),
    path(M + "messages/", conversation.message_thread, name="messages"),
    path(M + "notes/", conversation.note_list, name="notes"),
    path(M + "notes/<uuid:note_uuid>/", conversation.note_edit, name="note"),
    path(M + "notes/<uuid:note_uuid>/delete/", conversation.note_delete, name="note_delete"),
    path(M + "checkins/new/", followup.checkin_new, name="checkin_new"),
    path(M + "checkins/<uuid:checkin_uuid>/", followup.checkin, name="checkin"),
    path(M + "baseline/", followup.baseline, name="baseline"),
    path(M + "baseline/no/", followup.baseline_no, name="baseline_no"),
    path(M + "end/", followup.end, name="end"),
    path(M + "evaluation/", followup.evaluation, name="evaluation"),
]
