"""The events' pages through the test client, persona by persona: the coordinator's pages
(participants 403, outsiders 404), the participant's pages (only their own schedule), the
.ics, what follows the event, and the public page of upcoming events."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from medmentor.accounts.audit import What
from medmentor.accounts.models import AccessLogEntry
from medmentor.events.models import Event, EventFollowUp, EventMeeting, EventParticipant
from medmentor.events.selectors import get_event_for, outcome_of
from medmentor.events.services.authoring import event_save
from medmentor.events.services.follow_up import event_follow_up_set
from medmentor.profiles.models import Profile
from tests.events.support import build, event_values, event_world, move_to_past, publish
from tests.factories import UserFactory, logged_in_client
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ew():
    made = event_world(mentees=3, mentors=2, rotations=2)
    build(made)
    publish(made)
    return made


def _manage(ew, name: str, *extra) -> str:
    return reverse(f"events:{name}", args=[ew.world.program.uuid, ew.event.uuid, *extra])


def test_the_coordinator_s_pages_are_the_coordinator_s_only(ew):
    other_coordinator = MembershipFactory(program=ProgramFactory(), role="coordinator").user
    for name in ("event", "people", "schedule", "room_sheet", "schedule_csv"):
        url = _manage(ew, name)
        assert logged_in_client(ew.coordinator).get(url).status_code == 200, name
        assert logged_in_client(ew.mentees[0]).get(url).status_code == 403, name
        assert logged_in_client(other_coordinator).get(url).status_code == 404, name
        assert logged_in_client(UserFactory()).get(url).status_code == 404, name
        assert logged_in_client(None).get(url).status_code == 302, name
    lists = reverse("events:events", args=[ew.world.program.uuid])
    assert ew.event.title in logged_in_client(ew.coordinator).get(lists).content.decode()


def test_the_grid_shows_each_meeting_with_its_fit_reasons_and_lock(ew):
    page = logged_in_client(ew.coordinator).get(_manage(ew, "schedule")).content.decode()
    for person in ew.mentees + ew.mentors:
        assert Profile.objects.get(user=person).display_name in page
        assert person.email not in page
    assert "Fit " in page
    assert "Why this mentor" in page
    assert page.count("Lock ") == EventMeeting.objects.filter(event=ew.event).count()
    assert "Swap in rotation 1" in page


def test_each_look_at_the_schedule_is_in_every_participant_s_access_log(ew):
    people = ew.mentees + ew.mentors
    logged_in_client(ew.mentees[0]).get(reverse("events:detail", args=[ew.event.uuid]))
    schedule_seen = AccessLogEntry.objects.filter(what=What.EVENT_SCHEDULE)
    assert not schedule_seen.exists()  # a participant's own page is no access

    coordinator = logged_in_client(ew.coordinator)
    coordinator.get(_manage(ew, "schedule"))
    coordinator.get(_manage(ew, "room_sheet"))
    for person in people:
        seen = schedule_seen.filter(subject=person)
        assert seen.count() == 2
        assert {entry.detail for entry in seen} == {ew.event.title}
        assert {entry.actor_name for entry in seen} == {ew.coordinator.name}


def test_the_schedule_downloads_as_csv_by_rotation_and_table_and_is_logged(ew):
    response = logged_in_client(ew.coordinator).get(_manage(ew, "schedule_csv"))
    assert response.status_code == 200
    text = response.getvalue().decode()
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:6] == ["Rotation", "Starts", "Ends", "Table", "Mentor", "Mentee"]
    meetings = EventMeeting.objects.filter(event=ew.event)
    assert len(rows) == meetings.count()
    assert [int(row[0]) for row in rows] == sorted(int(row[0]) for row in rows)
    first = meetings.order_by("rotation", "pk").first()
    names = {Profile.objects.get(user=u).display_name for u in (first.mentor, first.mentee)}
    assert any({row[4], row[5]} == names for row in rows if row[0] == str(first.rotation))
    for person in ew.mentees + ew.mentors:
        assert person.email not in text
        entry = AccessLogEntry.objects.get(subject=person, what=What.EVENT_SCHEDULE)
        assert entry.action == "export"


def test_a_refused_download_of_the_schedule_reads_and_logs_nothing(ew):
    url = _manage(ew, "schedule_csv")
    other_coordinator = MembershipFactory(program=ProgramFactory(), role="coordinator").user
    for person, status in (
        (ew.mentees[0], 403),
        (ew.mentors[0], 403),
        (other_coordinator, 404),
        (UserFactory(), 404),
        (None, 302),
    ):
        response = logged_in_client(person).get(url)
        assert response.status_code == status, person
        assert "text/csv" not in response.get("Content-Type", "")
    assert not AccessLogEntry.objects.filter(what=What.EVENT_SCHEDULE).exists()


def test_the_coordinator_creates_an_event_and_a_bad_one_names_its_field(ew):
    client = logged_in_client(ew.coordinator)
    url = reverse("events:event_new", args=[ew.world.program.uuid])
    values = event_values(title="Second session", tables=0)
    data = {
        k: (v.strftime("%Y-%m-%dT%H:%M") if hasattr(v, "strftime") else v)
        for k, v in values.items()
        if v is not False
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "tables" in response.context["form"].errors
    assert not Event.objects.filter(title="Second session").exists()
    data["tables"] = 4
    response = client.post(url, data)
    assert response.status_code == 302
    assert Event.objects.filter(title="Second session", tables=4).exists()
    # A participant posting the form is refused.
    assert logged_in_client(ew.mentees[0]).post(url, data).status_code == 403


def test_the_coordinator_swaps_locks_and_publishes_through_the_pages():
    ew = event_world(mentees=3, mentors=3, rotations=1)
    build(ew)
    client = logged_in_client(ew.coordinator)
    a, b = EventMeeting.objects.filter(event=ew.event, rotation=1).order_by("pk")[:2]
    response = client.post(_manage(ew, "swap"), {"first": a.uuid, "second": b.uuid}, follow=True)
    assert "The two mentees are swapped." in response.content.decode()
    assert EventMeeting.objects.get(pk=a.pk).mentor_id == b.mentor_id
    client.post(_manage(ew, "lock", a.uuid))
    assert EventMeeting.objects.get(pk=a.pk).locked
    response = client.post(_manage(ew, "publish"), follow=True)
    assert "The schedule is published" in response.content.decode()
    # A mentee cannot swap.
    before = EventMeeting.objects.get(pk=b.pk).mentor_id
    assert (
        logged_in_client(ew.mentees[0])
        .post(_manage(ew, "swap"), {"first": a.uuid, "second": b.uuid})
        .status_code
        == 403
    )
    assert EventMeeting.objects.get(pk=b.pk).mentor_id == before


def test_a_csv_upload_with_problems_lists_them_by_row_and_column(ew):

    client = logged_in_client(ew.coordinator)
    upload = SimpleUploadedFile("people.csv", b"email,role\nnobody@example.org,guest\n")
    response = client.post(_manage(ew, "enrol_csv"), {"file": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert "<code>email</code>" in page
    assert "<code>role</code>" in page
    assert EventParticipant.objects.filter(event=ew.event).count() == 5


def test_a_participant_sees_only_their_own_schedule(ew):
    mentee = ew.mentees[0]
    url = reverse("events:my_schedule", args=[ew.event.uuid])
    page = logged_in_client(mentee).get(url).content.decode()
    mine = EventMeeting.objects.filter(event=ew.event, mentee=mentee).select_related("mentor")
    for meeting in mine:
        assert Profile.objects.get(user=meeting.mentor).display_name in page
        assert meeting.mentor.email not in page
    assert "Palais des congrès" in page
    # Not enrolled: the program's other participant and an outsider get 404.
    MembershipFactory(program=ew.world.program, role="mentee", user=(other := UserFactory()))
    assert logged_in_client(other).get(url).status_code == 404
    assert (
        logged_in_client(other).get(reverse("events:detail", args=[ew.event.uuid])).status_code
        == 200
    )
    assert (
        logged_in_client(UserFactory())
        .get(reverse("events:detail", args=[ew.event.uuid]))
        .status_code
        == 404
    )
    assert logged_in_client(ew.coordinator).get(url).status_code == 404


def test_the_ics_holds_one_event_per_meeting_and_no_one_else_s_address(ew):
    mentor = ew.mentors[0]
    response = logged_in_client(mentor).get(reverse("events:my_schedule_ics", args=[ew.event.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode().replace("\r\n ", "")  # unfolded (RFC 5545 3.1)
    calendar = Calendar.from_ical(response.content)
    vevents = calendar.walk("VEVENT")
    meetings = list(EventMeeting.objects.filter(event=ew.event, mentor=mentor).order_by("rotation"))
    assert len(vevents) == len(meetings)
    for vevent, meeting in zip(
        sorted(vevents, key=lambda v: v.decoded("dtstart")), meetings, strict=False
    ):
        starts, ends = ew.event.rotation_times(meeting.rotation)
        assert vevent.decoded("dtstart") == starts
        assert vevent.decoded("dtend") == ends
        assert Profile.objects.get(user=meeting.mentee).display_name in str(vevent["summary"])
        assert "table" in str(vevent["location"])
        assert "Palais" in str(vevent["location"])
        assert str(vevent["attendee"]) == f"mailto:{mentor.email}"
    assert mentor.email in text
    others = [p.email for p in ew.mentees + ew.mentors + [ew.coordinator] if p != mentor]
    assert not [address for address in others if address in text]
    # The same UIDs each time: a calendar replaces, never duplicates.
    again = Calendar.from_ical(
        logged_in_client(mentor)
        .get(reverse("events:my_schedule_ics", args=[ew.event.uuid]))
        .content
    )
    assert {str(v["uid"]) for v in again.walk("VEVENT")} == {str(v["uid"]) for v in vevents}


def test_mutual_choices_show_to_both_and_the_mentee_can_ask_the_mentor(ew):
    meeting = EventMeeting.objects.filter(event=ew.event).select_related("mentee", "mentor").first()
    mentee, mentor = meeting.mentee, meeting.mentor
    url = reverse("events:detail", args=[ew.event.uuid])
    follow = reverse("events:follow_up", args=[ew.event.uuid])
    # Not before the event is over.
    assert logged_in_client(mentee).post(follow, {"people": [mentor.uuid]}).status_code == 422
    move_to_past(ew.event)
    assert logged_in_client(mentee).post(follow, {"people": [mentor.uuid]}).status_code == 302
    name = Profile.objects.get(user=mentor).display_name
    assert "You chose each other" not in logged_in_client(mentee).get(url).content.decode()
    assert logged_in_client(mentor).post(follow, {"people": [mentee.uuid]}).status_code == 302
    page = logged_in_client(mentee).get(url).content.decode()
    assert "You chose each other" in page
    assert f"Ask {name} to mentor you" in page
    link = logged_in_client(mentee).get(url).context["mutual"][0][1]
    assert "You chose each other" in logged_in_client(mentor).get(url).content.decode()
    # The link opens the direct-request form for the program, the mentor and a message.
    parts = urlsplit(link)
    assert parts.path == reverse(
        "requests:request_new", args=[Profile.objects.get(user=mentor).uuid]
    )
    query = parse_qs(parts.query)
    assert query["program"] == [str(ew.world.program.uuid)]
    form = logged_in_client(mentee).get(link).context["form"]
    assert ew.event.title in form.initial["message"]


def test_only_people_one_met_can_be_chosen(ew):
    move_to_past(ew.event)
    mentee = ew.mentees[0]
    met = set(
        EventMeeting.objects.filter(event=ew.event, mentee=mentee).values_list(
            "mentor_id", flat=True
        )
    )
    stranger = UserFactory()
    with pytest.raises(ValidationError, match="people you met"):
        event_follow_up_set(access=get_event_for(mentee, ew.event.uuid), chosen=[stranger])
    assert not EventFollowUp.objects.exists()
    assert met


def test_the_coordinator_sees_counts_only_and_none_about_fewer_than_five(ew):
    move_to_past(ew.event)
    meeting = EventMeeting.objects.filter(event=ew.event).first()
    for chooser, chosen in ((meeting.mentee, meeting.mentor), (meeting.mentor, meeting.mentee)):
        event_follow_up_set(access=get_event_for(chooser, ew.event.uuid), chosen=[chosen])
    outcome = outcome_of(ew.event)
    assert outcome.meetings == EventMeeting.objects.filter(event=ew.event).count()
    assert outcome.participants == 5
    assert outcome.answered is None  # two people
    assert outcome.mutual is None  # one pair, two people
    page = logged_in_client(ew.coordinator).get(_manage(ew, "event")).content.decode()
    assert "Meetings held" in page
    assert "fewer than 5" in page
    assert Profile.objects.get(user=meeting.mentee).display_name not in page


def test_the_public_page_lists_only_listed_events_still_ahead(ew):
    program = ew.world.program
    hidden = event_save(
        program=program, by=ew.coordinator, **event_values(title="Unlisted", is_listed=False)
    )
    past = event_save(program=program, by=ew.coordinator, **event_values(title="Last year"))
    move_to_past(past)
    url = reverse("events:upcoming")
    anonymous = logged_in_client(None).get(url)
    assert anonymous.status_code == 200
    page = anonymous.content.decode()
    assert ew.event.title in page
    assert "Join the program" in page
    assert hidden.title not in page
    assert past.title not in page
    mine = logged_in_client(ew.mentees[0]).get(url).content.decode()
    assert reverse("events:detail", args=[ew.event.uuid]) in mine
    assert url in logged_in_client(None).get(reverse("directory:index")).content.decode()
    assert ew.event.starts_at > timezone.now() + timedelta(days=1)
