"""An import's invitations go out once per person, even when the task that sends them
runs again after failing half-way (the worker's retry)."""

from __future__ import annotations

from smtplib import SMTPServerDisconnected
from typing import Any, ClassVar

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from medmentor.accounts.models import User
from medmentor.imports.models import Invitation
from medmentor.imports.services import import_confirm, import_prepare
from tests.imports.import_data import participants_csv

pytestmark = pytest.mark.django_db

PATH = f"{__name__}.MailServerDropsThirdMessage"


class MailServerDropsThirdMessage(EmailBackend):
    """The mail server hangs up at the third message, once, then works again."""

    sent: ClassVar[int] = 0
    failed: ClassVar[bool] = False

    def send_messages(self, messages: Any) -> int:
        cls = type(self)
        if cls.sent == 2 and not cls.failed:
            cls.failed = True
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        cls.sent += len(messages)
        return super().send_messages(messages)


def invited(outbox: list[mail.EmailMessage]) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def test_a_retry_after_the_mail_server_failed_sends_each_invitation_once(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = PATH
    MailServerDropsThirdMessage.sent, MailServerDropsThirdMessage.failed = 0, False
    batch = import_prepare(
        program=world.program, coordinator=world.coordinator, data=participants_csv(5)
    )
    with django_capture_on_commit_callbacks() as callbacks:
        import_confirm(batch=batch, by=world.coordinator)
    (send_invitations,) = callbacks

    send_invitations()  # the task fails at the third person
    assert len(mail.outbox) == 2
    assert Invitation.objects.filter(participant_import=batch).count() == 2

    send_invitations()  # the worker's retry: the same task, the same arguments
    everyone = [f"person{n}@import.example.org" for n in range(5)]
    assert invited(mail.outbox) == everyone

    send_invitations()  # once more: nobody hears twice
    assert invited(mail.outbox) == everyone
    assert Invitation.objects.filter(participant_import=batch).count() == 5


def test_someone_who_set_a_password_before_the_retry_is_not_invited(
    world, django_capture_on_commit_callbacks
):
    batch = import_prepare(
        program=world.program, coordinator=world.coordinator, data=participants_csv(2)
    )
    with django_capture_on_commit_callbacks() as callbacks:
        import_confirm(batch=batch, by=world.coordinator)
    first = User.objects.get(email="person0@import.example.org")
    first.set_password("a long passphrase of hers")
    first.save()
    callbacks[0]()
    assert invited(mail.outbox) == ["person1@import.example.org"]
