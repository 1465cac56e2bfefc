"""Office hours: a mentor's offer of short one-off slots, the slots, and their bookings.

An offer (:class:`OfficeHours`) repeats weekly (weekdays, a start time, a number of slots
in a row) between two dates, in the mentor's time zone; concrete :class:`Slot` rows (UTC)
exist as far ahead as mentees may book. A slot has at most one live :class:`Booking`
(a partial unique constraint: the database refuses a second). After the slot, each side
keeps their own :class:`BookingRecord`: the time spent, a private reflection, a rating.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.mentorships.models import Modality
from medmentor.programs.models import Program

LENGTH_MIN, LENGTH_MAX = 15, 120  # minutes a slot lasts
ROW_MAX = 16  # slots in a row, one after the other (16 of 2 h run into the next day)
HORIZON_MAX = 90  # days ahead a mentee may book, at most
WEEKLY_MAX = 40  # bookings a week, at most
SPAN_MAX_DAYS = 366  # from the first day to the last
QUESTION_MAX = 500
PLACE_MAX = 500
TOPIC_MAX = 200
REASON_MAX = 500
REFLECTION_MAX = 5_000
COMMENT_MAX = 1_000
WEEKDAYS = (
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
)


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class OfficeHours(models.Model):
    """A mentor's offer: how long, how, when (weekly), how far ahead, how many a week,
    and in which of the mentor's programs."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hours"
    )
    topic = models.CharField(_("what you can help with"), max_length=TOPIC_MAX, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=30,
        validators=[MinValueValidator(LENGTH_MIN), MaxValueValidator(LENGTH_MAX)],
    )
    modality = models.CharField(_("how"), max_length=12, choices=Modality.choices)
    place = models.CharField(_("place or video link"), max_length=PLACE_MAX, blank=True)
    weekdays = models.JSONField(_("weekdays"), default=list)  # 0 (Monday) to 6 (Sunday)
    start_time = models.TimeField(_("first slot starts at"))
    slots_in_row = models.PositiveSmallIntegerField(
        _("slots in a row"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(ROW_MAX)],
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    horizon_days = models.PositiveSmallIntegerField(
        _("bookable up to (days ahead)"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(HORIZON_MAX)],
    )
    max_per_week = models.PositiveSmallIntegerField(
        _("bookings a week, at most"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(WEEKLY_MAX)],
    )
    programs = models.ManyToManyField(
        Program, related_name="office_hours", verbose_name=_("programs")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "id")
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="office_hours_until_after_from"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=LENGTH_MIN, duration_minutes__lte=LENGTH_MAX),
                name="office_hours_length_15_to_120",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} · {self.starts_on:%Y-%m-%d} to {self.ends_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == OfferStatus.OPEN

    @property
    def weekday_labels(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[day]) for day in sorted(self.weekdays)]


class SlotStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CANCELLED = "cancelled", _("Cancelled")


class Slot(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(OfficeHours, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    one_off = models.BooleanField(_("added by hand"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SlotStatus.choices, default=SlotStatus.OPEN
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("starts_at", "id")
        verbose_name = _("office-hours slot")
        verbose_name_plural = _("office-hours slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_it_starts"
            ),
            # A recurrence regenerated over the same days never doubles a slot (nor brings
            # back one the mentor cancelled).
            models.UniqueConstraint(fields=["offer", "starts_at"], name="slot_once_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.offer.mentor} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SlotStatus.CANCELLED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at) / timedelta(minutes=1))

    @property
    def has_begun(self) -> bool:
        return self.starts_at <= timezone.now()


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """A mentee's booking of one slot, with their question. ``sequence`` counts the
    invitation's revisions (RFC 5545): 0 when booked, 1 once cancelled."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hour_bookings"
    )
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("program")
    )
    question = models.TextField(_("your question"), max_length=QUESTION_MAX)
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    sequence = models.PositiveIntegerField(default=0)
    booked_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("why"), max_length=REASON_MAX, blank=True)

    class Meta:
        ordering = ("slot__starts_at", "id")
        verbose_name = _("office-hours booking")
        verbose_name_plural = _("office-hours bookings")
        constraints = [
            # Two mentees booking the same slot at once: the database keeps one.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status="booked"),
                name="booking_one_live_per_slot",
            ),
        ]

    def __str__(self) -> str:
        # Never the question: it is the mentee's words for the mentor.
        return f"{self.slot} · #{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status == BookingStatus.BOOKED

    @property
    def starts_at(self) -> datetime:
        return self.slot.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.slot.ends_at


class BookingRecord(models.Model):
    """One side's own record of a booking that took place: time spent and a private
    reflection (their CPD record), and a rating with a comment. Only its author reads it."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="records")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minutes_spent = models.PositiveSmallIntegerField(
        _("time spent (minutes)"), null=True, blank=True, validators=[MaxValueValidator(1440)]
    )
    reflection = models.TextField(_("reflection"), max_length=REFLECTION_MAX, blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("office-hours record")
        verbose_name_plural = _("office-hours records")
        constraints = [
            models.UniqueConstraint(fields=["booking", "user"], name="booking_record_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="booking_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking} · {self.user}"  # never the reflection nor the comment

    @property
    def is_logged(self) -> bool:
        return self.logged_at is not None

    @property
    def hours(self) -> float:
        return round((self.minutes_spent or 0) / 60, 2)
