from django.urls import path

from medmentor.events.views import manage, participant

app_name = "events"

M = "programs/<uuid:program_uuid>/manage/events/"
E = M + "<uuid:event_uuid>/"
P = "events/<uuid:event_uuid>/"

urlpatterns = [
    # The coordinator's pages.
    path(M, manage.event_list, name="events"),
    path(M + "new/", manage.event_new, name="event_new"),
    path(E, manage.event_edit, name="event"),
    path(E + "people/", manage.event_people, name="people"),
    path(E + "people/add/", manage.event_enrol_view, name="enrol"),
    path(E + "people/upload/", manage.event_enrol_csv_view, name="enrol_csv"),
    path(
        E + "people/<uuid:event_participant_uuid>/remove/",
        manage.event_unenrol_view,
        name="unenrol",
    ),
    path(E + "schedule/", manage.event_schedule, name="schedule"),
    path(E + "schedule/build/", manage.event_build, name="build"),
    path(E + "schedule/swap/", manage.event_swap, name="swap"),
    path(E + "schedule/move/", manage.event_move, name="move"),
    path(E + "schedule/<uuid:event_meeting_uuid>/lock/", manage.event_lock, name="lock"),
    path(E + "schedule/publish/", manage.event_publish_view, name="publish"),
    path(E + "room-sheet/", manage.event_room_sheet, name="room_sheet"),
    path(E + "schedule.csv", manage.event_schedule_csv, name="schedule_csv"),
    # The participants' pages and the public one.
    path("events/", participant.my_events, name="mine"),
    path("events/upcoming/", participant.upcoming, name="upcoming"),
    path(P, participant.event_detail, name="detail"),
    path(P + "sign-up/", participant.event_sign_up_view, name="sign_up"),
    path(P + "withdraw/", participant.event_withdraw_view, name="withdraw"),
    path(P + "choices/", participant.event_choices_view, name="choices"),
    path(P + "follow-up/", participant.event_follow_up_view, name="follow_up"),
    path(P + "schedule/", participant.my_schedule, name="my_schedule"),
    path(P + "schedule.ics", participant.my_schedule_ics, name="my_schedule_ics"),
]
