"""A survey a program's coordinator writes, whom it went to, and what came back.

Anonymity is a property of the tables, not of a flag read later: for an anonymous survey
a ``Response`` and its ``Answer`` rows hold no person, no mentorship and no time finer
than the day, and the ``Invitation`` that records who was asked (to stop a second answer
and to aim reminders) holds no response and no time of answer. Nothing in the database
joins an anonymous answer to the person who gave it.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from medmentor.matchrounds.models import MatchRound
from medmentor.mentorships.models import Mentorship
from medmentor.programs.models import Program, localized
from medmentor.segments.selectors import SURVEY_SEGMENTS, Segment

TITLE_MAX = 200
QUESTION_MAX = 300
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 4000


class QuestionKind(models.TextChoices):
    SCALE_5 = "scale_5", _("Scale from 1 to 5")
    SCALE_10 = "scale_10", _("Scale from 0 to 10")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    YES_NO = "yes_no", _("Yes or no")


# The values a scale takes, lowest first.
SCALES: dict[str, tuple[int, ...]] = {
    QuestionKind.SCALE_5: tuple(range(1, 6)),
    QuestionKind.SCALE_10: tuple(range(0, 11)),
}
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
YES_NO_CODES = (("yes", pgettext_lazy("answer", "Yes")), ("no", pgettext_lazy("answer", "No")))


class SendMode(models.TextChoices):
    NOW = "now", _("Now")
    ON_DATE = "on_date", _("On a date")
    AFTER_START = "after_start", _("A number of days after each mentorship starts")
    AT_CLOSURE = "at_closure", _("When each mentorship closes")


TRIGGER_MODES = (SendMode.AFTER_START, SendMode.AT_CLOSURE)
# A trigger reaches one side of a pair, or both: the segments that name sides.
TRIGGER_SEGMENTS = (Segment.EVERYONE, Segment.MENTEES, Segment.MENTORS)


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Sent")


class Survey(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("program")
    )
    title_en = models.CharField(_("title (English)"), max_length=TITLE_MAX)
    title_fr = models.CharField(_("title (French)"), max_length=TITLE_MAX, blank=True)
    intro_en = models.TextField(_("introduction (English)"), max_length=2000, blank=True)
    intro_fr = models.TextField(_("introduction (French)"), max_length=2000, blank=True)
    anonymous = models.BooleanField(
        _("anonymous answers"),
        default=False,
        help_text=_(
            "Answers are kept without the person's name and shown only in aggregate, from "
            "five answers. This cannot be changed once the survey is sent."
        ),
    )
    segment = models.CharField(
        _("sent to"),
        max_length=16,
        choices=[(segment.value, segment.label) for segment in SURVEY_SEGMENTS],
        default=Segment.MENTEES,
    )
    match_round = models.ForeignKey(
        MatchRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("match round"),
        help_text=_("For the cohort of a match round: which round."),
    )
    send_mode = models.CharField(
        _("when"), max_length=12, choices=SendMode.choices, default=SendMode.NOW
    )
    send_on = models.DateField(_("send on"), null=True, blank=True)
    trigger_days = models.PositiveSmallIntegerField(
        _("days after the mentorship starts"), null=True, blank=True
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind after (days)"),
        null=True,
        blank=True,
        help_text=_("Once, to those who have not answered. Leave empty for no reminder."),
    )
    closes_on = models.DateField(
        _("closing date"),
        null=True,
        blank=True,
        help_text=_("Answers are refused after this day. Leave empty to keep it open."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now)
    launched_at = models.DateTimeField(_("sent or scheduled"), null=True, blank=True)
    sent_at = models.DateTimeField(_("first invitations sent"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [models.Index(fields=["status", "send_mode"])]

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def intro(self) -> str:
        return localized(self, "intro")

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT

    @property
    def is_trigger(self) -> bool:
        return self.send_mode in TRIGGER_MODES

    def is_closed(self, today: date | None = None) -> bool:
        """Past its closing date: answers are refused."""
        return self.closes_on is not None and (today or timezone.localdate()) > self.closes_on


class Question(models.Model):
    """``choices`` is a list of ``{"code": ..., "en": ..., "fr": ...}``; answers store
    codes, as intake questions do."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("answer"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SCALE_5
    )
    text_en = models.CharField(_("question (English)"), max_length=QUESTION_MAX)
    text_fr = models.CharField(_("question (French)"), max_length=QUESTION_MAX, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def codes(self) -> list[str]:
        return [choice["code"] for choice in self.choices]

    def choice_pairs(self) -> list[tuple[str, str]]:
        """(code, label in the reader's language) for each choice (yes and no for a
        yes/no question)."""
        if self.kind == QuestionKind.YES_NO:
            return [(code, str(label)) for code, label in YES_NO_CODES]
        return [(c["code"], localized_choice(c)) for c in self.choices]


def localized_choice(choice: dict[str, str]) -> str:
    """A choice's label in the reader's language (French falls back to English)."""
    if (get_language() or "en").startswith("fr") and choice.get("fr"):
        return choice["fr"]
    return choice.get("en", "")


class Invitation(models.Model):
    """This person was asked (for a trigger: about this mentorship) and whether they have
    answered: no response, no time of answer."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        ordering = ("-invited_at", "-id")
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(mentorship__isnull=True),
                name="survey_invited_once",
            ),
            models.UniqueConstraint(
                fields=["survey", "user", "mentorship"],
                condition=Q(mentorship__isnull=False),
                name="survey_invited_once_per_mentorship",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.invited_at:%Y-%m-%d}"


class Response(models.Model):
    """One person's answers. ``respondent`` only for a named survey; the day only."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    submitted_on = models.DateField(_("answered on"))

    class Meta:
        ordering = ("submitted_on", "id")
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.survey} · {self.submitted_on}"


class Answer(models.Model):
    """A scale's value or yes (1) / no (0) in ``number``, chosen codes in ``codes``, text
    in ``text``. A question left out has no row."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    codes = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True, max_length=LONG_TEXT_MAX)

    class Meta:
        ordering = ("question__position", "id")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question} · {self.response_id}"
