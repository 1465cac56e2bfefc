"""In-site notifications, e-mail copies in the recipient's language, and who sees what."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from medmentor.notifications.models import Channel, Notification
from medmentor.notifications.services import notification_send, preference_set
from medmentor.notifications.tasks import send_notification_email
from medmentor.programs.models import Role
from tests.factories import UserFactory
from tests.programs.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def send(recipient, subject_line="A proposal", url="/notifications/"):
    return notification_send(
        recipient=recipient,
        kind="testing.hello",
        template="testing/hello",
        context={"subject_line": subject_line},
        url=url,
    )


def test_notification_is_listed_and_emailed_in_the_recipients_language(
    client, django_capture_on_commit_callbacks
):
    recipient = UserFactory(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        send(recipient)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [recipient.email]
    assert message.subject == "Accueil: A proposal"
    assert "Trouver un mentor http://" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert "Trouver un mentor" in message.alternatives[0][0]

    client.force_login(recipient)
    client.cookies["django_language"] = "fr"  # they read the site in French too
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Accueil: A proposal" in page
    # The navigation counts what is unread.
    assert 'class="badge">1' in page


def test_in_site_only_preference_sends_no_email(client, django_capture_on_commit_callbacks):
    recipient = UserFactory()
    preference_set(user=recipient, channel=Channel.SITE)
    with django_capture_on_commit_callbacks(execute=True):
        send(recipient)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=recipient).count() == 1


def test_preference_form_saves_the_choice(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("notifications:preferences"), {"channel": "site"})
    assert response.status_code == 302
    assert user.notification_preference.channel == "site"
    bad = client.post(reverse("notifications:preferences"), {"channel": "pigeon"})
    assert "channel" in bad.context["form"].errors
    user.notification_preference.refresh_from_db()
    assert user.notification_preference.channel == "site"


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    recipient = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send(recipient)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_the_email_task_sends_once(django_capture_on_commit_callbacks):
    recipient = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(recipient)
    assert len(mail.outbox) == 1
    send_notification_email.call(notification.pk)
    assert len(mail.outbox) == 1


def test_marking_read_is_for_the_recipient_only(client):
    recipient = UserFactory()
    notification = send(recipient)
    url = reverse("notifications:read", args=[notification.uuid])

    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.post(url).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None

    client.logout()
    assert client.post(url).status_code == 302  # to the login page
    notification.refresh_from_db()
    assert notification.read_at is None

    client.force_login(recipient)
    response = client.post(url)
    assert response["Location"] == "/notifications/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_htmx_mark_read_returns_the_item_only(client):
    recipient = UserFactory()
    notification = send(recipient, url="")
    client.force_login(recipient)
    response = client.post(
        reverse("notifications:read", args=[notification.uuid]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.strip().startswith("<li")
    assert "notification-unread" not in html


def test_others_never_see_my_notifications(client):
    recipient = UserFactory()
    send(recipient, subject_line="Private matter")
    client.force_login(UserFactory())
    assert "Private matter" not in client.get(reverse("notifications:list")).content.decode()
    api = client.get("/api/notifications/")
    assert api.status_code == 200
    assert api.json() == []


def test_api_lists_and_marks_read(client):
    recipient = UserFactory()
    notification = send(recipient)
    assert client.get("/api/notifications/").status_code == 401
    client.force_login(recipient)
    listed = client.get("/api/notifications/?unread=true").json()
    assert [item["uuid"] for item in listed] == [str(notification.uuid)]
    marked = client.post(f"/api/notifications/{notification.uuid}/read")
    assert marked.status_code == 200
    assert marked.json()["read_at"] is not None
    assert client.get("/api/notifications/?unread=true").json() == []
    missing = client.post("/api/notifications/00000000-0000-0000-0000-000000000000/read")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Not found."


def test_plain_text_keeps_apostrophes_and_html_escapes_them(django_capture_on_commit_callbacks):
    recipient = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        send(recipient, subject_line="Dr. O'Brien <b>accepted</b>")
    message = mail.outbox[0]
    assert message.subject == "Home: Dr. O'Brien <b>accepted</b>"
    html = message.alternatives[0][0]
    assert "O&#x27;Brien &lt;b&gt;accepted&lt;/b&gt;" in html


def test_a_notification_shows_in_the_language_its_reader_uses_now(
    client, django_capture_on_commit_callbacks
):
    """A French mentor who reads the site in English sees their notices in English, and in
    French again when they switch back; the e-mail went in French, their language."""
    coordinator = MembershipFactory(role=Role.COORDINATOR, user__name="Claire Bouchard")
    program = coordinator.program
    mentor = UserFactory(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipient=mentor,
            kind="programs.import_added",
            template="imports/email/added",
            context={"program": program, "roles": ["mentor"], "coordinator": coordinator.user},
            url="/notifications/",
        )
    (message,) = mail.outbox
    assert message.subject == f"Vous faites maintenant partie de {program.name_fr}"

    client.force_login(mentor)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("notifications:list")).content.decode()
    assert f"You were added to {program.name_en}" in english
    assert "Vous faites maintenant partie" not in english
    listed = client.get("/api/notifications/").json()
    assert listed[0]["title"] == f"You were added to {program.name_en}"
    assert listed[0]["body"].startswith("Claire Bouchard, a coordinator, added you to")

    client.cookies["django_language"] = "fr"
    french = client.get(reverse("notifications:list")).content.decode()
    assert f"Vous faites maintenant partie de {program.name_fr}" in french
    assert "You were added to" not in french


def test_a_notification_from_before_every_language_was_kept_shows_as_it_was(client):
    recipient = UserFactory(language="fr")
    Notification.objects.create(
        recipient=recipient, kind="testing.hello", title="Accueil: ancienne", body="Texte"
    )
    client.force_login(recipient)
    client.cookies["django_language"] = "en"
    assert "Accueil: ancienne" in client.get(reverse("notifications:list")).content.decode()
