"""The demo on another port: the links it e-mails and puts in calendar files lead to it,
and its banner says where the e-mails really are."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from medmentor.accounts.models import User
from medmentor.core.site import server_url, site_url_follow_server
from medmentor.mentorships.ics import REQUEST, meeting_calendar
from medmentor.mentorships.models import Meeting
from medmentor.notifications.services import notification_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_site_url(monkeypatch):
    """Development with SITE_URL unset; whatever the command sets is undone afterwards."""
    monkeypatch.setenv("SITE_URL", "unset")
    monkeypatch.delenv("SITE_URL")
    with override_settings(SITE_URL="http://127.0.0.1:8000", SITE_URL_FROM_ENV=False):
        yield


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def test_the_demo_on_port_8301_links_its_emails_and_calendars_to_port_8301(
    no_site_url, django_capture_on_commit_callbacks
):
    banner = run_demo("--port", "8301")
    assert "MedMentor demo: http://127.0.0.1:8301/" in banner
    mentee = User.objects.get(email="mentee@medmentor.demo")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipient=mentee,
            kind="testing.hello",
            template="testing/hello",
            context={"subject_line": "A proposal"},
            url="/notifications/",
        )
    (message,) = mail.outbox
    assert "http://127.0.0.1:8301/notifications/" in message.body
    assert "127.0.0.1:8000" not in message.body
    meeting = Meeting.objects.filter(mentorship__mentee=mentee).first()
    assert meeting is not None
    ics = meeting_calendar(meeting, mentee, REQUEST).decode()
    assert "http://127.0.0.1:8301/" in ics.replace("\r\n ", "")


def test_a_set_site_url_rules_over_the_demos_port(no_site_url):
    with override_settings(SITE_URL="https://mentor.example.org", SITE_URL_FROM_ENV=True):
        assert site_url_follow_server("127.0.0.1", "8301") == "https://mentor.example.org"
        assert settings.SITE_URL == "https://mentor.example.org"


def test_a_server_on_every_interface_is_linked_through_the_loopback_address():
    assert server_url("0.0.0.0", 8301) == "http://127.0.0.1:8301"
    assert server_url("::", "8301") == "http://[::1]:8301"
    assert server_url("localhost", "9000") == "http://localhost:9000"


def test_the_demo_banner_names_the_mail_folder_in_use(no_site_url, tmp_path):
    folder = tmp_path / "elsewhere" / "mail"
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder),
    ):
        banner = run_demo()
    assert f"E-mails the site sends are written to {folder}/" in banner
    assert "var/mail" not in banner
