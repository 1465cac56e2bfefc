"""The site's user: an e-mail address is the login, there is no username."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.core.models import AppendOnlyModel
from medmentor.core.validators import no_markup


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


# Who stands where a person who deleted their account used to be, in records that belong
# to others too (a mentorship, seen by the partner): one inactive account that cannot log
# in, named "Former member" in the reader's language.
FORMER_MEMBER_EMAIL = "former-member@medmentor.invalid"

# Titles people put before their name, in English and French ("Dr. Jean", "Dre Amira").
HONORIFICS = frozenset({"dr", "dre", "prof", "pr", "pre", "mr", "mrs", "ms", "mx", "m", "mme"})


class User(AbstractBaseUser, PermissionsMixin):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=150, blank=True, validators=[no_markup])
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the e-mails MedMentor sends you."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Staff can log into the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("email",)

    def __str__(self) -> str:
        return self.get_full_name()

    @property
    def is_former_member(self) -> bool:
        return self.email == FORMER_MEMBER_EMAIL

    def get_full_name(self) -> str:
        """The name everyone sees (their profile's display name, kept equal to ``name``);
        never the e-mail address, which only the person and staff see."""
        if self.is_former_member:
            return str(_("Former member"))
        return self.name or str(_("New member"))

    def get_short_name(self) -> str:
        """The first name, for a friendly "for Jean:"; a title alone ("Dr.") is no name."""
        words = self.name.split()
        while len(words) > 1 and words[0].rstrip(".").lower() in HONORIFICS:
            words.pop(0)
        return words[0] if words else self.get_full_name()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class DataExport(models.Model):
    """One export of a person's own data: the log of it, and for a while the data itself.

    Prepared in the background from the person's page, kept for ``EXPORT_RETENTION_DAYS``
    to download, then emptied (the row stays: who took their data, and when). An export
    taken at once through the API keeps nothing but the row.
    """

    class Via(models.TextChoices):
        PAGE = "page", _("Prepared from my page")
        API = "api", _("Taken through the API")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    via = models.CharField(_("how"), max_length=8, choices=Via.choices, default=Via.PAGE)
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)
    data = models.JSONField(_("data"), null=True, blank=True)

    class Meta:
        ordering = ("-requested_at", "-id")
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")

    def __str__(self) -> str:
        return f"{self.user} · {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_ready(self) -> bool:
        return self.data is not None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class AccessLogEntry(AppendOnlyModel):
    """Someone looked at, exported or changed a person's data beyond their public profile,
    or changed what decides who sees what (roles, reporting lines, a program's settings,
    an import, a concern). Written once and never changed (``accounts.audit``): the person
    reads their own entries, staff search them all.

    The program is a snapshot (its name at the time), so the log reads the same after the
    program changes or goes. The actor's name is kept when their account goes: the entry is
    the subject's record of who saw their data.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        CHANGE = "change", _("Changed")
        DECIDE = "decide", _("Decided")
        IMPORT = "import", _("Imported")

    class What(models.TextChoices):
        MEMBER_LIST = "member_list", _("Membership, in the member list")
        ENROLMENT = "enrolment", _("Enrolment request and intake answers")
        MEMBERSHIP = "membership", _("Membership and role")
        ROLES = "roles", _("Roles on the profile")
        REPORTING_LINE = "reporting_line", _("Reporting line")
        MENTORSHIPS = "mentorships", _("Mentorship, in the program's list")
        MENTORSHIP = "mentorship", _("Mentorship, opened by a coordinator")
        MENTORING_RECORD = "mentoring_record", _("Mentoring record, for a recognition letter")
        MATCH_ROUND = "match_round", _("Match proposals")
        CONCERN = "concern", _("Concern")
        PERSONAL_DATA = "personal_data", _("All personal data (My data)")
        PROGRAM_SETTINGS = "program_settings", _("Program settings")
        PROGRAM_REPORT = "program_report", _("Program report")
        PARTICIPANTS = "participants", _("Participant import")
        ADMIN_RECORD = "admin_record", _("A record in the administration")
        SURVEY = "survey", _("Program survey")
        ANNOUNCEMENT = "announcement", _("Message to program members")
        PROGRAM_EMAIL = "program_email", _("Program e-mail wording")
        REQUESTS = "requests", _("Mentor requests, in the program's list")
        EVENT_SCHEDULE = "event_schedule", _("Speed-mentoring schedule, with choices and fit")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("who"), max_length=150)
    subject = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_log",
        verbose_name=_("whose data"),
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    program_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    program_name = models.CharField(_("program"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=("subject", "-at"), name="accesslog_subject_at"),)
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.who} · {self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"

    @property
    def who(self) -> str:
        if self.actor_name:
            return self.actor_name
        if self.program_name:
            return str(_("A coordinator of %(program)s") % {"program": self.program_name})
        return str(_("MedMentor staff"))
