"""A coordinator's message reaches exactly its segment, in each reader's language, in-site
and by e-mail, and nobody outside the program; run again, it reaches nobody twice."""

from __future__ import annotations

import pytest
from django.core import mail

from medmentor.accounts.models import AccessLogEntry
from medmentor.announcements.delivery import announcement_deliver
from medmentor.announcements.models import Announcement, AnnouncementStatus, Delivery
from medmentor.matchrounds.models import Proposal
from medmentor.notifications.models import Notification
from medmentor.notifications.services import preference_set
from medmentor.programs.models import Role
from medmentor.segments.selectors import Segment
from tests.announcements.support import build_cohort, message, new_url, person, send
from tests.factories import logged_in_client
from tests.matchrounds.rounds_factories import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return build_cohort()


def reached(subject: str = "Welcome evening on March 3") -> set[str]:
    """Who has the in-site copy of the message."""
    return set(
        Notification.objects.filter(
            kind="announcements.announcement", title__contains=subject
        ).values_list("recipient__email", flat=True)
    )


def emailed() -> set[str]:
    return {address for m in mail.outbox for address in m.to}


def test_everyone_reaches_the_active_participants_and_nobody_else(cohort):
    response = send(cohort.client(), cohort.program)
    assert response.status_code == 302
    assert reached() == cohort.participants
    assert emailed() == cohort.participants
    outside = {
        cohort.withdrawn.email,
        cohort.pending.email,
        cohort.deactivated.email,
        cohort.elsewhere.email,
        cohort.coordinator.email,
        cohort.other_coordinator.email,
    }
    assert not (reached() | emailed()) & outside
    announcement = Announcement.objects.get()
    assert announcement.status == AnnouncementStatus.SENT
    assert announcement.deliveries.count() == 5
    # One e-mail a person, to them alone.
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert len(mail.outbox) == 5


def test_role_segments(cohort):
    send(cohort.client(), cohort.program, segment=Segment.MENTEES, subject_en="To mentees")
    send(cohort.client(), cohort.program, segment=Segment.MENTORS, subject_en="To mentors")
    assert reached("To mentees") == {u.email for u in cohort.mentees}
    assert reached("To mentors") == {u.email for u in cohort.mentors}


def test_round_segments_name_the_round(cohort):
    match_round = str(cohort.match_round.uuid)
    send(
        cohort.client(),
        cohort.program,
        segment="cohort",
        match_round=match_round,
        subject_en="Cohort",
    )
    send(
        cohort.client(),
        cohort.program,
        segment="unmatched",
        match_round=match_round,
        subject_en="Unmatched",
    )
    assert reached("Cohort") == cohort.participants
    # Two mentors with one seat each: one of three mentees is left unmatched.
    paired = set(
        Proposal.objects.filter(round=cohort.match_round).values_list("mentee__email", flat=True)
    )
    assert reached("Unmatched") == {u.email for u in cohort.mentees} - paired
    assert len(reached("Unmatched")) == 1
    # One pair answers on both sides: the others are still to accept.
    first = Proposal.objects.filter(round=cohort.match_round).order_by("pk").first()
    answer(first, mentee=True, mentor=True)
    mail.outbox.clear()
    send(
        cohort.client(),
        cohort.program,
        segment="not_accepted",
        match_round=match_round,
        subject_en="Please answer",
    )
    assert reached("Please answer") == paired - {first.mentee.email} | {
        p.mentor.email
        for p in Proposal.objects.filter(round=cohort.match_round).exclude(pk=first.pk)
    }
    assert first.mentee.email not in reached("Please answer")


def test_pairs_and_incomplete_profiles(cohort):
    incomplete = person(cohort.program, name="Not Finished")  # no profile at all
    send(cohort.client(), cohort.program, segment="incomplete", subject_en="Finish")
    send(cohort.client(), cohort.program, segment="active_pairs", subject_en="Pairs")
    assert reached("Finish") == {incomplete.email}
    assert reached("Pairs") == set()


def test_the_segment_is_taken_when_the_worker_delivers(cohort):
    """Written, then someone joins and someone leaves before the worker runs."""
    response = cohort.client().post(new_url(cohort.program), message())  # not delivered yet
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.status == AnnouncementStatus.QUEUED
    assert not Notification.objects.filter(kind="announcements.announcement").exists()
    joined = person(cohort.program, Role.MENTOR, name="Late Joiner")
    left = cohort.mentees[0]
    left.program_memberships.filter(program=cohort.program).update(status="withdrawn")
    announcement_deliver(announcement.pk)
    assert reached() == cohort.participants - {left.email} | {joined.email}


def test_each_reader_gets_their_language(cohort):
    french = person(cohort.program, name="Fanny Français", language="fr")
    english = cohort.mentees[0]
    send(
        cohort.client(),
        cohort.program,
        subject_fr="Soirée d'accueil le 3 mars",
        body_fr="Bonjour à toutes et à tous,\nRendez-vous à 18 h.",
    )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[french.email].subject.startswith("Soirée d'accueil le 3 mars")
    assert "Rendez-vous à 18 h." in by_address[french.email].body
    assert "Join us" not in by_address[french.email].body
    assert by_address[english.email].subject.startswith("Welcome evening on March 3")
    assert "Join us at 6 pm." in by_address[english.email].body
    html = by_address[french.email].alternatives[0][0]
    assert "Rendez-vous à 18 h." in html
    # In-site: each reader reads it in the language they use on the site.
    notification = Notification.objects.get(recipient=french)
    assert notification.title.startswith("Soirée d'accueil")
    assert notification.texts["en"]["title"].startswith("Welcome evening")
    page = logged_in_client(french).get("/notifications/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Soirée d&#x27;accueil le 3 mars" in page.content.decode()


def test_a_french_reader_without_french_text_gets_the_english_one(cohort):
    french = person(cohort.program, name="Fanny Français", language="fr")
    send(cohort.client(), cohort.program)
    email = next(m for m in mail.outbox if m.to == [french.email])
    assert email.subject.startswith("Welcome evening on March 3")
    assert "Join us at 6 pm." in email.body
    assert Notification.objects.get(recipient=french).texts["fr"]["body"].count("Join us") == 1


def test_site_only_readers_get_the_copy_in_site_only(cohort):
    quiet = cohort.mentees[0]
    preference_set(user=quiet, channel="site")
    send(cohort.client(), cohort.program)
    assert quiet.email in reached()
    assert quiet.email not in emailed()
    announcement = Announcement.objects.get()
    assert announcement.deliveries.filter(emailed_at__isnull=False).count() == 4


def test_the_body_is_plain_text_escaped_everywhere(cohort):
    body = "Hello <script>alert('x')</script> & <b>bold</b>\nsecond line https://example.org/x"
    send(cohort.client(), cohort.program, body_en=body, subject_en="<i>Hi</i>")
    email = next(m for m in mail.outbox if m.to == [cohort.mentees[0].email])
    html = email.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html
    assert "<i>Hi</i>" not in html
    assert "<br>" in html  # the line break is kept
    assert '<a href="https://example.org/x"' in html  # the link is clickable
    assert "<script>alert('x')</script>" in email.body  # the text part is the text as written
    announcement = Announcement.objects.get()
    page = logged_in_client(cohort.mentees[0]).get(f"/announcements/{announcement.uuid}/")
    content = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content
    assert "<i>Hi</i>" not in content
    detail = cohort.client().get(
        f"/programs/{cohort.program.uuid}/manage/announcements/{announcement.uuid}/"
    )
    assert "<script>alert" not in detail.content.decode()
    notification = Notification.objects.get(recipient=cohort.mentees[0])
    assert "<script>" not in notification.body_html


def test_delivering_again_reaches_nobody_twice(cohort):
    send(cohort.client(), cohort.program)
    announcement = Announcement.objects.get()
    assert announcement_deliver(announcement.pk) is None  # done: nothing to do
    # A worker that stopped half way (status still "sending") and is run again.
    Announcement.objects.filter(pk=announcement.pk).update(status=AnnouncementStatus.SENDING)
    newcomer = person(cohort.program, name="Newcomer")
    announcement_deliver(announcement.pk)
    announcement_deliver(announcement.pk)
    assert len(mail.outbox) == 6
    assert sorted(emailed()) == sorted(cohort.participants | {newcomer.email})
    assert Delivery.objects.filter(announcement=announcement).count() == 6
    assert Notification.objects.filter(kind="announcements.announcement").count() == 6


def test_an_unfinished_email_batch_is_finished_once(cohort):
    send(cohort.client(), cohort.program)
    announcement = Announcement.objects.get()
    # Two e-mails had not gone when the worker stopped.
    unsent = list(Delivery.objects.filter(announcement=announcement)[:2])
    Delivery.objects.filter(pk__in=[d.pk for d in unsent]).update(emailed_at=None)
    Announcement.objects.filter(pk=announcement.pk).update(status=AnnouncementStatus.SENDING)
    mail.outbox.clear()
    announcement_deliver(announcement.pk)
    assert sorted(emailed()) == sorted(d.recipient.email for d in unsent)


def test_sending_is_in_the_access_log(cohort):
    send(cohort.client(), cohort.program)
    entries = AccessLogEntry.objects.filter(what=AccessLogEntry.What.ANNOUNCEMENT)
    assert entries.filter(subject__isnull=True, actor=cohort.coordinator).count() == 1
    subjects = set(entries.filter(subject__isnull=False).values_list("subject__email", flat=True))
    assert subjects == cohort.participants
    assert set(entries.values_list("program_uuid", flat=True)) == {cohort.program.uuid}


def test_the_in_site_copy_opens_the_message(cohort):
    reader = cohort.mentees[0]
    send(cohort.client(), cohort.program)
    announcement = Announcement.objects.get()
    notification = Notification.objects.get(recipient=reader)
    client = logged_in_client(reader)
    opened = client.post(f"/notifications/{notification.uuid}/read/")
    assert opened["Location"] == f"/announcements/{announcement.uuid}/"
    page = client.get(opened["Location"])
    assert "Join us at 6 pm." in page.content.decode()
    assert "Ottawa Residents" in page.content.decode()
    # The e-mail links to it too, and says which program it comes from.
    email = next(m for m in mail.outbox if m.to == [reader.email])
    assert f"/announcements/{announcement.uuid}/" in email.body
    assert email.subject == "Welcome evening on March 3 · Ottawa Residents"
