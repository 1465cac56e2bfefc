"""Direct requests: the rules of sending, accepting, declining, withdrawing, the line-up
moving on (on a decline and on a timeout) and the mentee being told."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from medmentor.mentorships.models import Mentorship, Source
from medmentor.notifications.models import Notification
from medmentor.profiles.models import Block, Profile
from medmentor.profiles.services import block_add, reporting_line_add
from medmentor.programs.models import Membership, Role
from medmentor.programs.selectors import open_community
from medmentor.programs.services.enrolment import membership_withdraw
from medmentor.requests.models import CascadeStatus, Request, RequestCascade, RequestStatus
from medmentor.requests.selectors import request_programs
from medmentor.requests.services import (
    request_accept,
    request_decline,
    request_send,
    request_withdraw,
    requests_cascade_due,
)
from tests.factories import UserFactory, logged_in_client
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory
from tests.requests.requests_support import (
    MESSAGE,
    goal_code,
    make_mentee,
    make_mentor,
    mentor_in,
    send,
)


def kinds_for(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True)
    )


def assert_nothing_written() -> None:
    assert not Request.objects.exists()
    assert not RequestCascade.objects.exists()
    assert not Notification.objects.filter(kind__startswith="programs.request").exists()


def test_a_request_reaches_the_mentor_with_a_due_date(rworld, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cascade = send(rworld.program, rworld.mentee, rworld.mentor)
    request = cascade.requests.get()
    assert request.status == RequestStatus.PENDING
    assert request.mentor == rworld.mentor
    assert request.due_at == request.sent_at + timedelta(days=7)
    assert request.message == MESSAGE
    assert kinds_for(rworld.mentor) == ["programs.request_received"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [rworld.mentor.email]
    assert "Amira Haddad asks you to be their mentor" in mail.outbox[0].body
    html = mail.outbox[0].alternatives[0][0]
    assert "Amira Haddad asks you to be their mentor" in html


@pytest.mark.parametrize(
    ("setup", "field", "words"),
    [
        ("rounds_only", "program", "does not take direct requests"),
        ("mentee_not_member", "program", "not an active mentee"),
        ("mentor_not_member", "mentor", "is not a mentor of this program"),
        ("reporting_line", "mentor", "reporting line"),
        ("blocked", "mentor", "block"),
        ("not_accepting", "mentor", "not taking new mentees"),
        ("full", "mentor", "no place left"),
        ("oneself", "mentor", "cannot ask yourself"),
        ("senior_rule", "mentor", "later career stage"),
        ("empty_message", "message", "required"),
        ("long_message", "message", "1000 characters"),
        ("unknown_goal", "goals", "not a known goal"),
        ("no_goal", "goals", "at least one goal"),
        ("no_mentor", "mentor", "Choose a mentor."),
        ("four_mentors", "mentor", "3 mentors at most"),
        ("same_twice", "second_mentor", "already in your line-up"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(rworld, setup, field, words):
    program, mentee, mentor = rworld.program, rworld.mentee, rworld.mentor
    kwargs = {"message": MESSAGE, "goals": [goal_code()], "mentors": [mentor]}
    if setup == "rounds_only":
        program.matching_mode = "rounds"
        program.save()
    elif setup == "mentee_not_member":
        mentee = UserFactory()
    elif setup == "mentor_not_member":
        kwargs["mentors"] = [make_mentor(UserFactory(name="Free Agent"))]
    elif setup == "reporting_line":
        reporting_line_add(person=mentee, other=mentor, kind="supervisor")
    elif setup == "blocked":
        block_add(blocker=mentor, blocked=mentee)
    elif setup == "not_accepting":
        Profile.objects.filter(user=mentor).update(accepting_mentees=False)
    elif setup == "full":
        Profile.objects.filter(user=mentor).update(mentor_capacity=1)
        start_mentorship(mentor=mentor, mentee=UserFactory(), program=program, capacity=1)
        Request.objects.all().delete()
    elif setup == "oneself":
        kwargs["mentors"] = [mentee]
    elif setup == "senior_rule":
        resident_mentor = mentor_in(program, "Peer Resident", stage="resident-pgy1")
        kwargs["mentors"] = [resident_mentor]
    elif setup == "empty_message":
        kwargs["message"] = "   "
    elif setup == "long_message":
        kwargs["message"] = "x" * 1001
    elif setup == "unknown_goal":
        kwargs["goals"] = ["astrology"]
    elif setup == "no_goal":
        kwargs["goals"] = []
    elif setup == "no_mentor":
        kwargs["mentors"] = []
    elif setup == "four_mentors":
        kwargs["mentors"] = [mentor, rworld.second, rworld.third, mentor_in(program, "Fourth")]
    elif setup == "same_twice":
        kwargs["mentors"] = [mentor, mentor]
    with pytest.raises(ValidationError) as refused:
        request_send(program=program, mentee=mentee, **kwargs)
    assert field in refused.value.message_dict
    assert words in " ".join(refused.value.message_dict[field])
    assert_nothing_written()


def test_a_peer_program_lets_a_resident_mentor_a_resident(rworld):
    rworld.program.seniority_rule = "peer"
    rworld.program.save()
    peer = mentor_in(rworld.program, "Peer Resident", stage="resident-pgy3")
    assert send(rworld.program, rworld.mentee, peer).requests.get().mentor == peer


def test_a_second_live_request_to_the_same_mentor_is_refused(rworld):
    send(rworld.program, rworld.mentee, rworld.mentor, rworld.second)
    for mentors, field in (
        ([rworld.mentor], "mentor"),
        ([rworld.third, rworld.second], "second_mentor"),
    ):
        with pytest.raises(ValidationError) as refused:
            request_send(
                program=rworld.program,
                mentee=rworld.mentee,
                mentors=mentors,
                message=MESSAGE,
                goals=[goal_code()],
            )
        assert "already have a request open" in str(refused.value.message_dict[field])
    assert Request.objects.count() == 1
    assert RequestCascade.objects.count() == 1


def test_the_open_request_limit_counts_a_line_up_as_one(rworld):
    extra = [mentor_in(rworld.program, f"Mentor {n}") for n in range(2)]
    send(rworld.program, rworld.mentee, rworld.mentor, rworld.second, rworld.third)
    send(rworld.program, rworld.mentee, extra[0])  # two open: the program's limit
    with pytest.raises(ValidationError) as refused:
        send(rworld.program, rworld.mentee, extra[1])
    assert "2 open requests in this program, the most it allows" in str(refused.value)
    assert RequestCascade.objects.count() == 2
    assert not Request.objects.filter(mentor=extra[1]).exists()
    # Withdrawing one frees a place.
    request_withdraw(cascade=RequestCascade.objects.last(), by=rworld.mentee)
    assert send(rworld.program, rworld.mentee, extra[1]).is_open


def test_accepting_starts_the_mentorship_and_closes_the_mentees_other_requests(
    rworld, django_capture_on_commit_callbacks
):
    first = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    other = send(rworld.program, rworld.mentee, rworld.second).requests.get()
    with django_capture_on_commit_callbacks(execute=True):
        mentorship = request_accept(request=first, by=rworld.mentor)
    assert mentorship.source == Source.REQUEST
    assert (mentorship.mentor, mentorship.mentee, mentorship.program) == (
        rworld.mentor,
        rworld.mentee,
        rworld.program,
    )
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.status == RequestStatus.ACCEPTED
    assert first.mentorship == mentorship
    assert first.cascade.status == CascadeStatus.ACCEPTED
    assert other.status == RequestStatus.SUPERSEDED
    assert other.cascade.status == CascadeStatus.SUPERSEDED
    assert "programs.request_accepted" in kinds_for(rworld.mentee)
    assert any("Jean Tremblay accepted your request" in m.subject for m in mail.outbox)
    with pytest.raises(ValidationError):  # answered once
        request_decline(request=first, by=rworld.mentor)


def test_a_mentee_with_a_mentor_in_the_program_asks_no_one_else_there(rworld):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    request_accept(request=request, by=rworld.mentor)
    with pytest.raises(ValidationError) as refused:
        send(rworld.program, rworld.mentee, rworld.second)
    assert "You already have a mentor in this program." in str(refused.value)
    assert not Request.objects.filter(mentor=rworld.second).exists()


def test_accepting_with_no_place_left_changes_nothing_and_keeps_the_request_open(rworld):
    Profile.objects.filter(user=rworld.mentor).update(mentor_capacity=1)
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    start_mentorship(mentor=rworld.mentor, mentee=UserFactory(), program=None, capacity=1)
    with pytest.raises(ValidationError) as refused:
        request_accept(request=request, by=rworld.mentor)
    assert "no place left" in str(refused.value)
    assert "The request stays open" in str(refused.value)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert not Mentorship.objects.filter(mentee=rworld.mentee).exists()


def test_accepting_across_a_new_block_is_refused_without_talk_of_room(rworld):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    # The block's row alone, as when it commits while the mentor's accept is under way
    # (block_add itself would close the request first).
    Block.objects.create(blocker=rworld.mentee, blocked=rworld.mentor)
    with pytest.raises(ValidationError) as refused:
        request_accept(request=request, by=rworld.mentor)
    assert "block" in str(refused.value)
    assert "stays open" not in str(refused.value)
    assert not Mentorship.objects.exists()


@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_no_mentorship_starts_when_one_side_has_left_the_program(rworld, who):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    membership = Membership.objects.get(
        program=rworld.program, user=getattr(rworld, who), role=Role(who)
    )
    membership_withdraw(membership=membership, by=getattr(rworld, who))
    with pytest.raises(ValidationError) as refused:
        request_accept(request=request, by=rworld.mentor)
    assert "no longer a" in str(refused.value)
    request.refresh_from_db()
    assert request.is_pending
    assert not Mentorship.objects.exists()


def test_only_the_mentor_asked_answers(rworld):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    for someone in (rworld.second, rworld.mentee):
        with pytest.raises(PermissionDenied):
            request_accept(request=request, by=someone)
        with pytest.raises(PermissionDenied):
            request_decline(request=request, by=someone)
    with pytest.raises(PermissionDenied):
        request_withdraw(cascade=request.cascade, by=rworld.mentor)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_decline_moves_the_line_up_on_and_tells_the_mentee(
    rworld, django_capture_on_commit_callbacks
):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second)
    first = cascade.requests.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_decline(request=first, by=rworld.mentor, reason="PRIVATE-REASON too busy")
    first.refresh_from_db()
    assert first.status == RequestStatus.DECLINED
    assert first.decline_reason == "PRIVATE-REASON too busy"
    second = cascade.requests.get(mentor=rworld.second)
    assert second.status == RequestStatus.PENDING
    assert second.message == MESSAGE
    assert second.goals == [goal_code()]
    cascade.refresh_from_db()
    assert cascade.position == 1
    assert cascade.is_open
    assert kinds_for(rworld.mentee) == ["programs.request_moved_on"]
    assert kinds_for(rworld.second) == ["programs.request_received"]
    to_mentee = next(m for m in mail.outbox if m.to == [rworld.mentee.email])
    assert "Jean Tremblay cannot take you as a mentee" in to_mentee.body
    assert "has gone to the next mentor in your line-up: Marie Gagnon" in to_mentee.body
    for message in mail.outbox:
        assert "PRIVATE-REASON" not in message.body
        assert "PRIVATE-REASON" not in message.alternatives[0][0]

    with django_capture_on_commit_callbacks(execute=True):
        request_decline(request=second, by=rworld.second)
    cascade.refresh_from_db()
    assert cascade.status == CascadeStatus.EXHAUSTED
    assert kinds_for(rworld.mentee)[-1] == "programs.request_declined"
    last = mail.outbox[-1]
    assert "no one else is left in your line-up" in last.body
    assert "/mentors/" in last.body
    assert "/directory/" in last.body


def test_no_answer_in_time_moves_on_then_expires(rworld, django_capture_on_commit_callbacks):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second)
    first = cascade.requests.get()
    sent = first.sent_at
    assert requests_cascade_due(now=sent + timedelta(days=6, hours=23)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert requests_cascade_due(now=sent + timedelta(days=7)) == 1
    first.refresh_from_db()
    assert first.status == RequestStatus.EXPIRED
    second = cascade.requests.get(mentor=rworld.second)
    assert second.sent_at == sent + timedelta(days=7)
    assert second.due_at == sent + timedelta(days=14)
    assert kinds_for(rworld.mentee) == ["programs.request_moved_on"]
    assert any("did not answer within 7 days" in m.body for m in mail.outbox)
    # The first mentor is told the request closed, not where it went.
    assert kinds_for(rworld.mentor) == ["programs.request_received", "programs.request_lapsed"]
    lapsed = next(m for m in mail.outbox if m.to == [rworld.mentor.email] and "closed" in m.subject)
    assert "was not answered within 7 days, so it has closed" in lapsed.body
    assert rworld.second.get_full_name() not in lapsed.body
    # A second run at the same time finds nothing more to do.
    assert requests_cascade_due(now=sent + timedelta(days=7)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert requests_cascade_due(now=sent + timedelta(days=14, seconds=1)) == 1
    cascade.refresh_from_db()
    assert cascade.status == CascadeStatus.EXHAUSTED
    assert kinds_for(rworld.mentee)[-1] == "programs.request_expired"
    assert "did not answer your request for mentorship" in mail.outbox[-1].body


def test_the_line_up_skips_a_mentor_who_can_no_longer_take_it(rworld):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second, rworld.third)
    Profile.objects.filter(user=rworld.second).update(accepting_mentees=False)
    request_decline(request=cascade.requests.get(), by=rworld.mentor)
    assert not cascade.requests.filter(mentor=rworld.second).exists()
    assert cascade.requests.get(mentor=rworld.third).is_pending
    cascade.refresh_from_db()
    assert cascade.position == 2


def test_withdrawing_closes_the_line_up_and_nothing_moves_on(
    rworld, django_capture_on_commit_callbacks
):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second)
    with django_capture_on_commit_callbacks(execute=True):
        request_withdraw(cascade=cascade, by=rworld.mentee)
    assert kinds_for(rworld.mentor) == ["programs.request_received", "programs.request_withdrawn"]
    assert "withdrew their request for mentorship" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [rworld.mentor.email]
    assert kinds_for(rworld.second) == []


def test_a_french_speaking_mentor_hears_of_a_withdrawal_in_french(
    rworld, django_capture_on_commit_callbacks
):
    rworld.mentor.language = "fr"
    rworld.mentor.save(update_fields=["language"])
    cascade = send(rworld.program, rworld.mentee, rworld.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        request_withdraw(cascade=cascade, by=rworld.mentee)
    assert mail.outbox[-1].subject.endswith("a retiré sa demande")
    assert "a retiré sa demande de mentorat" in mail.outbox[-1].body
    cascade.refresh_from_db()
    assert cascade.status == CascadeStatus.WITHDRAWN
    assert cascade.requests.get().status == RequestStatus.WITHDRAWN
    assert requests_cascade_due(now=timezone.now() + timedelta(days=30)) == 0
    assert not cascade.requests.filter(mentor=rworld.second).exists()
    with pytest.raises(ValidationError):
        request_withdraw(cascade=cascade, by=rworld.mentee)


def test_the_open_community_takes_anyone_its_rules_take(db):
    community = open_community()
    mentee = make_mentee(UserFactory(name="Student Sam"), stage="medical-student")
    mentor = make_mentor(UserFactory(name="Dr. Late"), stage="late-career")
    assert request_programs(mentee, mentor) == [community]
    cascade = send(community, mentee, mentor)
    mentorship = request_accept(request=cascade.requests.get(), by=mentor)
    assert mentorship.program == community
    # A student does not mentor in the open community.
    student_mentor = make_mentor(UserFactory(name="Student Mentor"), stage="medical-student")
    assert request_programs(mentee, student_mentor) == []
    with pytest.raises(ValidationError):
        send(community, make_mentee(UserFactory()), student_mentor)


def test_in_the_open_community_a_mentee_may_have_several_mentors(db):
    community = open_community()
    mentee = make_mentee(UserFactory(name="Resident Rae"))
    research = make_mentor(UserFactory(name="Dr. Research"), stage="late-career")
    wellness = make_mentor(UserFactory(name="Dr. Wellness"), stage="mid-career")
    pending = send(community, mentee, wellness).requests.get()
    request_accept(request=send(community, mentee, research).requests.get(), by=research)

    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING  # not closed by the first accept
    request_accept(request=pending, by=wellness)
    assert Mentorship.objects.filter(program=community, mentee=mentee).count() == 2


def test_a_shared_program_comes_before_the_open_community(rworld):
    assert request_programs(rworld.mentee, rworld.mentor) == [rworld.program]
    MembershipFactory(program=rworld.other_program, role=Role.MENTEE, user=rworld.mentee)
    MembershipFactory(program=rworld.other_program, role=Role.MENTOR, user=rworld.mentor)
    assert set(request_programs(rworld.mentee, rworld.mentor)) == {
        rworld.program,
        rworld.other_program,
    }


def test_the_periodic_command_moves_unanswered_requests_on(rworld):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second)
    Request.objects.filter(cascade=cascade).update(due_at=timezone.now() - timedelta(minutes=1))
    out = io.StringIO()
    call_command("remind", stdout=out)
    assert "requests moved on: 1" in out.getvalue()
    assert cascade.requests.get(mentor=rworld.mentor).status == RequestStatus.EXPIRED
    assert cascade.requests.get(mentor=rworld.second).is_pending
    out = io.StringIO()
    call_command("remind", stdout=out)
    assert "requests moved on" not in out.getvalue()


def test_accepting_a_request_sends_each_side_one_email(rworld, django_capture_on_commit_callbacks):
    request = send(rworld.program, rworld.mentee, rworld.mentor).requests.get()
    mail.outbox.clear()
    client = logged_in_client(rworld.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("requests:request_accept", args=[request.uuid]))
    assert answer.status_code == 302
    to_mentee = [m.subject for m in mail.outbox if rworld.mentee.email in m.to]
    to_mentor = [m.subject for m in mail.outbox if rworld.mentor.email in m.to]
    assert to_mentee == ["Jean Tremblay accepted your request"]
    assert to_mentor == ["Your mentorship has started"]
