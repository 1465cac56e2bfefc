"""The program's own e-mails, reworded by its coordinator: what each recipient receives in
their language, the preview, the reset, refused placeholders, and who may do it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from medmentor.accounts.models import AccessLogEntry
from medmentor.matchrounds.models import Proposal
from medmentor.mentorships.services.checkins import checkins_open_due
from medmentor.mentorships.services.reminders import reminders_run
from medmentor.notifications.models import Notification
from medmentor.programs.emails import EMAILS, fill, program_wording
from medmentor.programs.models import ProgramEmail, Role
from medmentor.programs.services.emails import program_email_save
from tests.factories import UserFactory
from tests.matchrounds.rounds_factories import publish, round_program, run_round
from tests.mentorships.factories import start_mentorship
from tests.programs.personas import ALLOWED, COORDINATOR_MATRIX, FORBIDDEN, LOGIN, NOT_FOUND

pytestmark = pytest.mark.django_db

INVITATION = {
    "subject_en": "Come mentor with {program}",
    "body_en": "Dear colleague, {inviter} asks you to be a {role} in {program}.\n"
    "Answer by {deadline}: {link}",
    "subject_fr": "Venez dans {program}",
    "body_fr": "Chère collègue, {inviter} vous propose d'être {role} dans {program}.\n"
    "Répondez avant le {deadline} : {link}",
}
ROUND = {
    "subject_en": "Your match in {program}",
    "body_en": "Hi {name}, meet {other}; you are the {role}. Because: {reasons}. {link}",
    "subject_fr": "Votre jumelage dans {program}",
    "body_fr": "Bonjour {name}, voici {other} ; vous êtes {role}. Parce que : {reasons}. {link}",
}
CHECKIN = {
    "subject_en": "{program}: time for your check-in",
    "body_en": "Hi {name}, how is it going with {partner}? {link}",
    "subject_fr": "{program} : votre suivi",
    "body_fr": "Bonjour {name}, comment ça va avec {partner} ? {link}",
}


def edit_url(world, key="invitation", program=None):
    return reverse("programs:email_edit", args=[(program or world.program).uuid, key])


def reset_url(world, key="invitation"):
    return reverse("programs:email_reset", args=[world.program.uuid, key])


def save(program, key, by, texts):
    return program_email_save(program=program, key=key, by=by, **texts)


def logged(action="change"):
    return list(
        AccessLogEntry.objects.filter(what=AccessLogEntry.What.PROGRAM_EMAIL, action=action)
    )


def invite(client, world, email, role="mentee"):
    return client.post(
        reverse("programs:invitations", args=[world.program.uuid]),
        {"send-email": email, "send-role": role, "send-valid_days": "14"},
    )


def only_mail_to(address):
    sent = [message for message in mail.outbox if message.to == [address]]
    assert len(sent) == 1
    return sent[0]


# Each e-mail: the edited wording is what an English and a French recipient receive.


def test_an_edited_invitation_reaches_members_in_their_language(
    world, django_capture_on_commit_callbacks
):
    client = world.client_for("coordinator")
    assert client.post(edit_url(world), {**INVITATION, "action": "save"}).status_code == 302
    english = UserFactory(email="resident@example.org", language="en")
    french = UserFactory(email="medecin@example.org", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world, english.email, role="mentor")
        invite(client, world, french.email, role="mentee")

    to_english = only_mail_to(english.email)
    assert to_english.subject == f"Come mentor with {world.program.name_en}"
    assert (
        f"Dear colleague, Dr. Claire Coordinator asks you to be a mentor in "
        f"{world.program.name_en}." in to_english.body
    )
    assert "http://127.0.0.1:8000/programs/invitation/" in to_english.body
    assert "{" not in to_english.body
    to_french = only_mail_to(french.email)
    assert to_french.subject == f"Venez dans {world.program.name_fr}"
    assert "Dr. Claire Coordinator vous propose d'être personne mentorée" in to_french.body
    assert world.program.name_fr in to_french.body
    # The in-site notice says the same, and its link works.
    notice = Notification.objects.get(recipient=french, kind="programs.invitation")
    assert notice.title == to_french.subject
    assert notice.body == to_french.body
    assert notice.texts["en"]["title"] == f"Come mentor with {world.program.name_en}"
    html = to_french.alternatives[0][0]
    assert f'<a href="http://127.0.0.1:8000{notice.url}">' in html


def test_a_guest_gets_the_edited_invitation_in_english_then_french(
    world, django_capture_on_commit_callbacks
):
    save(world.program, "invitation", world.coordinator, INVITATION)
    with django_capture_on_commit_callbacks(execute=True):
        invite(world.client_for("coordinator"), world, "guest@example.org")
    message = only_mail_to("guest@example.org")
    assert message.subject == (
        f"Come mentor with {world.program.name_en} / Venez dans {world.program.name_fr}"
    )
    assert "asks you to be a mentee" in message.body
    assert "vous propose d'être personne mentorée" in message.body
    assert "Create your account with this e-mail address" in message.body  # the site's own line
    assert message.body.count("/programs/invitation/") == 2


def test_an_edited_round_published_email_reaches_each_side_in_their_language(
    django_capture_on_commit_callbacks,
):
    rp = round_program(mentees=1, mentors=1)
    mentee, mentor = rp.mentees[0], rp.mentors[0]
    type(mentee).objects.filter(pk=mentee.pk).update(language="fr")
    save(rp.program, "round_published", rp.coordinator, ROUND)
    mail.outbox.clear()
    publish(run_round(rp.program, rp.coordinator), rp.coordinator)
    proposal = Proposal.objects.get(mentee=mentee)
    link = f"http://127.0.0.1:8000{reverse('matchrounds:proposal', args=[proposal.uuid])}"

    to_mentor = only_mail_to(mentor.email)
    assert to_mentor.subject == f"Your match in {rp.program.name_en}"
    assert to_mentor.body.startswith(f"Hi {mentor.name}, meet {mentee.name}; you are the mentor.")
    assert link in to_mentor.body
    to_mentee = only_mail_to(mentee.email)
    assert to_mentee.subject == f"Votre jumelage dans {rp.program.name_fr}"
    assert to_mentee.body.startswith(f"Bonjour {mentee.name}, voici {mentor.name} ; vous êtes")
    assert "Parce que : " in to_mentee.body
    assert "{" not in to_mentee.body
    notice = Notification.objects.get(recipient=mentee, kind="programs.proposal")
    assert (notice.title, notice.body) == (to_mentee.subject, to_mentee.body)


def start_checkins(program, mentee, mentor):
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)
    for checkin in checkins_open_due(today=mentorship.started_on + timedelta(days=30)):
        type(checkin).objects.filter(pk=checkin.pk).update(due_on=timezone.localdate())
    return mentorship


def test_an_edited_checkin_reminder_reaches_each_side_in_their_language(
    world, django_capture_on_commit_callbacks
):
    type(world.mentee).objects.filter(pk=world.mentee.pk).update(language="fr")
    world.mentee.refresh_from_db()
    save(world.program, "checkin_reminder", world.coordinator, CHECKIN)
    mentorship = start_checkins(world.program, world.mentee, world.mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_run(now=timezone.now())["checkin_due"] == 2
    workspace = reverse("mentorships:workspace", args=[mentorship.uuid])

    to_mentor = only_mail_to(world.mentor.email)
    assert to_mentor.subject == f"{world.program.name_en}: time for your check-in"
    assert to_mentor.body == (
        f"Hi {world.mentor.name}, how is it going with {world.mentee.name}? "
        f"http://127.0.0.1:8000{workspace}"
    )
    to_mentee = only_mail_to(world.mentee.email)
    assert to_mentee.subject == f"{world.program.name_fr} : votre suivi"
    assert to_mentee.body.startswith(f"Bonjour {world.mentee.name}, comment ça va avec")
    notice = Notification.objects.get(recipient=world.mentee, kind="mentorships.checkin_due")
    assert (notice.title, notice.url) == (to_mentee.subject, workspace)


def test_without_an_edit_the_default_wording_is_sent(world, django_capture_on_commit_callbacks):
    start_checkins(world.program, world.mentee, world.mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_run(now=timezone.now())
    message = only_mail_to(world.mentor.email)
    assert message.subject == "Your mentorship check-in is due"
    assert f"Hello {world.mentor.name}," in message.body
    assert "It is time for your check-in on your mentorship with" in message.body


def test_a_language_left_blank_keeps_the_default_for_that_language(world):
    save(world.program, "invitation", world.coordinator, {"body_en": INVITATION["body_en"]})
    values = {"inviter": "Dr. Lee", "deadline": timezone.localdate(), "link": "/x/"}
    wording = program_wording(world.program, "invitation", values, variant=Role.MENTOR)
    assert wording.render("en").text.startswith("Dear colleague, Dr. Lee asks you")
    assert wording.render("en").subject == f"You are invited to {world.program.name_en}"
    french = wording.render("fr").text
    assert french.startswith("Dr. Lee vous invite")
    assert "comme mentor" in french


# Reset, preview, the other program.


def test_reset_brings_the_default_back_and_both_are_logged(world):
    client = world.client_for("coordinator")
    client.post(edit_url(world), {**INVITATION, "action": "save"})
    listing = client.get(reverse("programs:emails", args=[world.program.uuid])).content.decode()
    assert "Edited by Dr. Claire Coordinator" in listing
    confirm = client.get(reset_url(world))
    assert confirm.status_code == 200
    assert "Reset" in confirm.content.decode()
    assert ProgramEmail.objects.filter(program=world.program).exists()  # asking changes nothing
    assert client.post(reset_url(world)).status_code == 302
    assert not ProgramEmail.objects.exists()
    wording = program_wording(world.program, "invitation", {"inviter": "Dr. Lee", "link": "/x/"})
    assert wording.render("en").subject == f"You are invited to {world.program.name_en}"
    details = sorted(entry.detail for entry in logged())
    assert details == ["invitation: reset to the default", "invitation: wording saved"]
    assert {entry.actor_id for entry in logged()} == {world.coordinator.pk}
    assert {entry.program_uuid for entry in logged()} == {world.program.uuid}


def test_preview_shows_sample_values_in_each_language_and_saves_nothing(world):
    response = world.client_for("coordinator").post(
        edit_url(world, "round_published"), {**ROUND, "action": "preview"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Your match in {world.program.name_en}" in page
    assert "Hi Dr. Amira Haddad, meet Dr. Jean Tremblay; you are the mentee." in page
    assert f"Votre jumelage dans {world.program.name_fr}" in page
    assert "{name}" in page  # the placeholders are listed
    assert not ProgramEmail.objects.exists()
    assert not logged()


def test_an_edit_leaves_another_programs_emails_alone(world):
    save(world.program, "invitation", world.coordinator, INVITATION)
    values = {"inviter": "Dr. Lee", "link": "/x/"}
    other = program_wording(world.other_program, "invitation", values).render("en")
    assert other.subject == f"You are invited to {world.other_program.name_en}"
    mine = program_wording(world.program, "invitation", values).render("en")
    assert mine.subject == f"Come mentor with {world.program.name_en}"


def test_html_in_the_text_is_escaped_in_the_html_part(world):
    save(
        world.program,
        "invitation",
        world.coordinator,
        {"body_en": '<script>alert("x")</script> <b>Join</b> {program}\n\nGo: {link}'},
    )
    values = {"inviter": "Dr. Lee", "link": "/programs/invitation/abc/"}
    html = program_wording(world.program, "invitation", values).render("en").html
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;Join&lt;/b&gt;" in html
    assert html.count("<p>") == 2
    assert '<a href="http://127.0.0.1:8000/programs/invitation/abc/">' in html


# Refused placeholders: an error naming the field, nothing saved.


@pytest.mark.parametrize(
    ("key", "field", "text", "says"),
    [
        ("invitation", "body_fr", "Bonjour {nom}, {link}", "{nom} is not a placeholder"),
        ("invitation", "subject_en", "Hello {program.__class__}", "{program.__class__} is not"),
        ("round_published", "body_en", "{name.__class__.__init__} {link}", "is not a placeholder"),
        ("invitation", "body_en", "{program!r} {link}", "{program!r} is not a placeholder"),
        ("invitation", "body_en", "Welcome to {program {link}", "A brace is not closed"),
        ("invitation", "body_fr", "Bienvenue} {link}", "A brace is not closed"),
        ("invitation", "body_fr", "Bienvenue dans {program}", "Keep {link} in the text"),
        ("checkin_reminder", "body_en", "Hi {name}", "Keep {link} in the text"),
    ],
)
def test_a_bad_placeholder_is_refused_naming_the_field(world, key, field, text, says):
    client = world.client_for("coordinator")
    response = client.post(
        edit_url(world, key), {**dict.fromkeys(INVITATION, ""), field: text, "action": "save"}
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert says in errors[field][0]
    assert not ProgramEmail.objects.exists()
    assert not logged()
    # The preview refuses it the same way.
    preview = client.post(edit_url(world, key), {field: text, "action": "preview"})
    assert preview.status_code == 422
    assert list(preview.context["form"].errors) == [field]


def test_a_brace_written_twice_is_a_brace(world):
    save(world.program, "invitation", world.coordinator, {"body_en": "Use {{braces}}: {link}"})
    wording = program_wording(world.program, "invitation", {"link": "/x/"}).render("en")
    assert wording.text == "Use {braces}: http://127.0.0.1:8000/x/"


def test_fill_never_reaches_into_a_value():
    assert fill("{name.__class__}|{name}", {"name": "Amira"}) == "|Amira"


def test_every_default_keeps_its_required_placeholders():
    for kind in EMAILS.values():
        for variant, _label in kind.variants:
            for language in ("en", "fr"):
                with translation.override(language):
                    _subject, body = kind.default(variant, {"reasons": "x"})
                assert all("{" + name + "}" in body for name in kind.required)


# Who may.


@pytest.mark.parametrize("persona", [p for p, e in COORDINATOR_MATRIX.items() if e != ALLOWED])
def test_only_the_programs_coordinator_sees_or_changes_its_emails(world, persona):
    save(world.program, "checkin_reminder", world.coordinator, CHECKIN)
    client = world.client_for(persona)
    expected = {FORBIDDEN: 403, NOT_FOUND: 404}.get(COORDINATOR_MATRIX[persona], 302)
    for url in (
        reverse("programs:emails", args=[world.program.uuid]),
        edit_url(world, "checkin_reminder"),
    ):
        response = client.get(url)
        assert response.status_code == expected
        if COORDINATOR_MATRIX[persona] == LOGIN:
            assert "/accounts/login/" in response["Location"]
    client.post(edit_url(world), {**INVITATION, "action": "save"})
    client.post(reset_url(world, "checkin_reminder"))
    assert list(ProgramEmail.objects.values_list("key", flat=True)) == ["checkin_reminder"]
    assert len(logged()) == 1  # the coordinator's own save only


def test_a_coordinator_of_another_program_cannot_edit_through_their_own(world):
    client = world.client_for("other_coordinator")
    url = edit_url(world, program=world.program)
    assert client.post(url, {**INVITATION, "action": "save"}).status_code == 404
    assert not ProgramEmail.objects.exists()


def test_an_unknown_email_is_not_found(world):
    client = world.client_for("coordinator")
    assert client.get(edit_url(world, "newsletter")).status_code == 404
    assert client.post(reset_url(world, "newsletter")).status_code == 404
