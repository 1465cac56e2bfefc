from django.urls import path

from medmentor.officehours import views

app_name = "officehours"

B = "bookings/<uuid:booking_uuid>/"

# Under /office-hours/.
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.offer_new, name="offer_new"),
    path("offers/<uuid:offer_uuid>/", views.offer, name="offer"),
    path("offers/<uuid:offer_uuid>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<uuid:offer_uuid>/slots/", views.slot_new, name="slot_new"),
    path("offers/<uuid:offer_uuid>/close/", views.offer_close, name="offer_close"),
    path("slots/<uuid:slot_uuid>/cancel/", views.slot_cancel_view, name="slot_cancel"),
    path("slots/<uuid:slot_uuid>/book/", views.book, name="book"),
    path("mentors/<uuid:profile_uuid>/", views.mentor_slots, name="mentor_slots"),
    path("bookings/", views.bookings, name="bookings"),
    path(B, views.booking, name="booking"),
    path(B + "cancel/", views.booking_cancel_view, name="booking_cancel"),
    path(B + "log/", views.booking_log_view, name="booking_log"),
    path(B + "rate/", views.booking_rate_view, name="booking_rate"),
    path(B + "invitation.ics", views.booking_ics, name="booking_ics"),
]
