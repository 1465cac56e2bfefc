"""The world the permission matrix walks: one program with a pair and everything a pair
and its coordinator make, another pair in the same program, another program, and the nine
personas of issue 15. Every URL parameter of the site names one of its objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from medmentor.accounts.models import DataExport, User
from medmentor.announcements.models import Announcement, Delivery
from medmentor.announcements.tokens import unsubscribe_token
from medmentor.apitokens.services import token_create
from medmentor.concerns.models import Concern
from medmentor.directory.models import ListingClaim
from medmentor.directory.services import confirmation_token, listing_confirmation_token
from medmentor.events.models import Event, EventMeeting, EventParticipant, EventStatus
from medmentor.imports.services import import_prepare
from medmentor.matchrounds.models import MatchRound, Proposal, RoundStatus
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import CheckIn, Mentorship, NoteVisibility
from medmentor.mentorships.services.conversation import note_write
from medmentor.mentorships.services.goals import goal_propose, goal_step_add
from medmentor.mentorships.services.meetings import meeting_schedule
from medmentor.mentorships.services.recognition import letter_code, letter_issue
from medmentor.notifications.models import Notification
from medmentor.officehours.services.bookings import booking_create
from medmentor.officehours.services.offers import office_hours_open
from medmentor.profiles.models import Block, Profile, ReportingLine
from medmentor.profiles.services import profile_get_or_create
from medmentor.programs.invitations import invitation_token
from medmentor.programs.models import Program, Role, Status
from medmentor.surveys.models import Invitation, Question, Survey, SurveyStatus
from medmentor.webhooks.models import Delivery as WebhookDelivery
from medmentor.webhooks.models import DeliveryStatus, Endpoint
from tests.directory.factories import ListingFactory, SubmissionFactory
from tests.factories import UserFactory
from tests.imports.import_data import participants_csv
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import IntakeQuestionFactory, MembershipFactory, ProgramFactory
from tests.requests.requests_support import make_mentee, mentor_in, send

PERSONAS = (
    "anonymous",
    "new_user",
    "mentee",
    "mentor",
    "other_pair",
    "coordinator",
    "other_coordinator",
    "staff",
    "superuser",
)


@dataclass
class PermissionWorld:
    people: dict[str, User | None]
    params: dict[str, str]
    mentorship: Mentorship


def build() -> PermissionWorld:
    program = ProgramFactory(
        name_en="Ottawa Residents Mentorship",
        matching_mode="requests",
        cycle_start=None,
        cycle_end=None,
    )
    other_program = ProgramFactory(name_en="Saskatchewan Synergy")
    mentee = MembershipFactory(program=program, role=Role.MENTEE, user__name="Amira Haddad").user
    make_mentee(mentee)
    mentor = mentor_in(program, "Jean Tremblay")
    coordinator = MembershipFactory(
        program=program, role=Role.COORDINATOR, user__name="Claire Coordinator"
    ).user
    other_coordinator = MembershipFactory(
        program=other_program, role=Role.COORDINATOR, user__name="Sam Elsewhere"
    ).user
    # Another pair of the same program: they see each other, not the first pair.
    other_pair = MembershipFactory(program=program, role=Role.MENTEE, user__name="Omar Other").user
    make_mentee(other_pair)
    other_mentor = mentor_in(program, "Olga Othermentor")
    start_mentorship(mentor=other_mentor, mentee=other_pair, program=program)
    staff = UserFactory(is_staff=True, name="Stella Staff")
    staff.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    superuser = UserFactory(is_staff=True, is_superuser=True, name="Sergei Super")
    new_user = UserFactory(name="Nina Newcomer")

    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)
    as_mentee = get_mentorship_for(mentee, mentorship.uuid)
    goal = goal_propose(access=as_mentee, title="Choose a fellowship")
    step = goal_step_add(access=as_mentee, goal=goal, title="Ask two fellows")
    meeting = meeting_schedule(
        access=as_mentee,
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=45,
        modality="video",
    )
    note = note_write(access=as_mentee, body="Shared words", visibility=NoteVisibility.SHARED)
    checkin = CheckIn.objects.create(
        mentorship=mentorship, user=mentee, number=1, due_on=timezone.localdate()
    )

    pending = MembershipFactory(program=program, role=Role.MENTOR, status=Status.PENDING)
    question = IntakeQuestionFactory(program=program)
    batch = import_prepare(program=program, coordinator=coordinator, data=participants_csv(2))
    match_round = MatchRound.objects.create(
        program=program, created_by=coordinator, status=RoundStatus.READY
    )
    other_round = MatchRound.objects.create(program=program, status=RoundStatus.READY)
    proposal = Proposal.objects.create(
        round=match_round, mentee=other_pair, mentor=mentor, score=0.5
    )
    requester = MembershipFactory(program=program, role=Role.MENTEE, user__name="Rita Asks").user
    cascade = send(program, make_mentee(requester), mentor)
    concern = Concern.objects.create(
        program=program,
        reporter=mentee,
        about=other_pair,
        text="Missed our meetings.",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    block = Block.objects.create(blocker=mentee, blocked=other_mentor)
    line = ReportingLine.objects.create(
        person=mentee, other=coordinator, kind=ReportingLine.Kind.SUPERVISOR, added_by=mentee
    )
    notification = Notification.objects.create(
        recipient=mentee, kind="programs.membership_approved", title="Welcome", body="Welcome"
    )
    now = timezone.now()
    export = DataExport.objects.create(
        user=mentee, ready_at=now, expires_at=now + timedelta(days=7), data={"sections": {}}
    )
    letter = letter_issue(program=program, mentor=mentor, by=coordinator)
    listing = ListingFactory(contact_email="program@example.org")
    submission = SubmissionFactory()
    # The mentor runs the listed program: only they may propose changes as its owner.
    ListingClaim.objects.create(
        listing=listing, user=mentor, email="lead@example.org", confirmed_at=timezone.now()
    )

    # lines (issue 18): a line the program's coordinator entered (pending: nobody has the
    # address), for the coordinator's remove route.
    coordinator_line = ReportingLine.objects.create(
        person=other_pair,
        other_email="former.supervisor@example.org",
        kind=ReportingLine.Kind.SUPERVISOR,
        source=ReportingLine.Source.COORDINATOR,
        added_by=coordinator,
        program=program,
    )
    # announce (issue 18)
    announcement = Announcement.objects.create(
        program=program, author=coordinator, segment="mentees", subject_en="Hi", body_en="Hi"
    )
    announcement_delivery = Delivery.objects.create(
        announcement=announcement,
        recipient=mentee,
        notification=Notification.objects.create(
            recipient=mentee, kind="announcements.announcement", title="Hi", body="Hi"
        ),
    )
    # emails (issue 18)
    email_key = "invitation"  # an e-mail of the program a coordinator may reword
    # surveys (issue 18)
    survey = Survey.objects.create(
        program=program, title_en="Mid-year check", created_by=coordinator
    )
    survey_question = Question.objects.create(survey=survey, position=1, text_en="How useful?")
    sent_survey = Survey.objects.create(
        program=program, title_en="Sent", status=SurveyStatus.OPEN, launched_at=now, sent_at=now
    )
    Question.objects.create(survey=sent_survey, position=1, text_en="How useful?")
    survey_invitation = Invitation.objects.create(survey=sent_survey, user=mentee, invited_at=now)
    # office hours: the mentor's offer in the program, the mentee's booking of its first
    # slot; another slot left open.
    offer = office_hours_open(
        mentor=mentor,
        programs=[program],
        duration_minutes=30,
        modality="video",
        place="https://meet.example.org/jean",
        weekdays=list(range(7)),
        start_time=time(9, 0),
        slots_in_row=2,
        starts_on=timezone.localdate() + timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=30),
        horizon_days=14,
        max_per_week=3,
    )
    booked_slot, open_slot = offer.slots.order_by("starts_at")[:2]
    office_booking = booking_create(
        slot=booked_slot, mentee=mentee, program=program, question="How do I negotiate?"
    )

    # events: an event of the program, the pair enrolled, its schedule published.
    event = Event.objects.create(
        program=program,
        title="ICRE speed mentoring",
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=10, hours=1),
        place="Room 210",
        status=EventStatus.PUBLISHED,
        published_at=now,
        sequence=1,
        signup_open=True,
        is_listed=True,
    )
    EventParticipant.objects.create(event=event, user=mentor, role="mentor", table=1)
    event_place = EventParticipant.objects.create(event=event, user=mentee, role="mentee")
    event_meeting = EventMeeting.objects.create(
        event=event, rotation=1, mentor=mentor, mentee=mentee
    )

    # tokens (issue 22): the mentee's personal token, the coordinator's token of the program.
    personal_token = token_create(owner=mentee, name="Script", scope="read").token
    program_token = token_create(
        owner=coordinator, name="Roster", scope="read", program=program
    ).token
    # webhooks (issue 22): an endpoint of the program (on a local address: never reached)
    # and a delivery to it that failed.
    endpoint = Endpoint.objects.create(
        program=program,
        url="http://127.0.0.1:9/hook",
        events=["member.enrolled"],
        secret="mm_whsec_permission-world",
        created_by=coordinator,
    )
    webhook_delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_type="member.enrolled",
        payload={"type": "member.enrolled"},
        status=DeliveryStatus.FAILED,
        attempts=6,
    )

    people: dict[str, User | None] = {
        "anonymous": None,
        "new_user": new_user,
        "mentee": mentee,
        "mentor": mentor,
        "other_pair": other_pair,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "staff": staff,
        "superuser": superuser,
    }
    for user in people.values():
        if user is not None and user is not new_user:
            profile_get_or_create(user=user)
    params = {
        "program_uuid": str(program.uuid),
        "membership_uuid": str(pending.uuid),
        "question_uuid": str(question.uuid),
        "import_uuid": str(batch.uuid),
        "round_uuid": str(match_round.uuid),
        "proposal_uuid": str(proposal.uuid),
        "other_round_uuid": str(other_round.uuid),
        "request_uuid": str(cascade.requests.get().uuid),
        "cascade_uuid": str(cascade.uuid),
        "concern_uuid": str(concern.uuid),
        "mentorship_uuid": str(mentorship.uuid),
        "goal_uuid": str(goal.uuid),
        "step_uuid": str(step.uuid),
        "meeting_uuid": str(meeting.uuid),
        "note_uuid": str(note.uuid),
        "checkin_uuid": str(checkin.uuid),
        "letter_uuid": str(letter.uuid),
        "user_uuid": str(mentor.uuid),
        "profile_uuid": str(Profile.objects.get(user=mentor).uuid),
        "block_uuid": str(block.uuid),
        "line_uuid": str(line.uuid),
        "notification_uuid": str(notification.uuid),
        "export_uuid": str(export.uuid),
        "listing_uuid": str(listing.uuid),
        "submission_uuid": str(submission.uuid),
        "code": letter_code(letter),
        "token": invitation_token(program, Role.MENTEE),
        "directory_token": confirmation_token(submission),
        "listing_confirm_token": listing_confirmation_token(listing),
        "uidb36": "zz",
        "key": "not-a-key",
        "role": Role.MENTEE,
        "decision": "approve",
        "proposal_decision": "accept",
        "export_key": "members",
        "secret": "mm_cal_not-a-feed",  # the calendar feed: an unknown address answers 404
        "table": "all",
        "step": "about",
        "name": "specialties",
        # The admin's own pages: a program's "view on site", an app's list.
        "content_type_id": str(ContentType.objects.get_for_model(Program).pk),
        "object_id": str(program.pk),
        "id": str(mentor.pk),
        "url": "nowhere/",
        "app_label": "programs",
        "membership_withdraw_uuid": str(
            mentee.program_memberships.get(program=program, role=Role.MENTEE).uuid
        ),
        "coordinator_line_uuid": str(coordinator_line.uuid),
        "announcement_uuid": str(announcement.uuid),
        "unsubscribe_token": unsubscribe_token(announcement_delivery.uuid),
        "email_key": email_key,
        "survey_uuid": str(survey.uuid),
        "survey_question_uuid": str(survey_question.uuid),
        "invitation_uuid": str(survey_invitation.uuid),
        "event_uuid": str(event.uuid),
        "event_participant_uuid": str(event_place.uuid),
        "event_meeting_uuid": str(event_meeting.uuid),
        "offer_uuid": str(offer.uuid),
        "slot_uuid": str(open_slot.uuid),
        "booking_uuid": str(office_booking.uuid),
        "token_uuid": str(personal_token.uuid),
        "program_token_uuid": str(program_token.uuid),
        "endpoint_uuid": str(endpoint.uuid),
        "delivery_uuid": str(webhook_delivery.uuid),
    }
    return PermissionWorld(people=people, params=params, mentorship=mentorship)
