"""A coordinator's whole cycle through the site: import 200 participants from a CSV file,
run a round, lock, break and hand-pair, re-run around the fixed pairs, publish; the people
accept or decline; accepted pairs become mentorships, declined people return to the pool."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.imports.models import ParticipantImport
from medmentor.matchrounds.models import MatchRound, Proposal, ProposalStatus, RoundStatus
from medmentor.matchrounds.roundinputs import pool_of
from medmentor.mentorships.models import Mentorship, Source
from medmentor.profiles.services import reporting_line_add
from medmentor.programs.models import Membership, Role, Status
from tests.factories import logged_in_client
from tests.imports.import_data import participants_csv
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PEOPLE = 200


def round_url(match_round: MatchRound, action: str = "", *args: object) -> str:
    name = f"matchrounds:round_{action}" if action else "matchrounds:round"
    return reverse(name, args=[match_round.program.uuid, match_round.uuid, *args])


def answer(proposal: Proposal, who: User, decision: str, reason: str = "") -> None:
    response = logged_in_client(who).post(
        reverse("matchrounds:proposal_answer", args=[proposal.uuid, decision]), {"reason": reason}
    )
    assert response.status_code == 302, response.content.decode()[:1500]


def test_a_whole_cycle_for_200_imported_participants(django_capture_on_commit_callbacks):
    program = ProgramFactory(name_en="Ottawa Student Mentorship 2026-2027", matching_mode="rounds")
    coordinator = MembershipFactory(program=program, role=Role.COORDINATOR).user
    coordinating = logged_in_client(coordinator)

    # 1. Import: upload, preview, confirm.
    uploaded = coordinating.post(
        reverse("imports:import", args=[program.uuid]),
        {"file": SimpleUploadedFile("people.csv", participants_csv(PEOPLE), "text/csv")},
    )
    assert uploaded.status_code == 302
    preview = coordinating.get(uploaded.url).content.decode()
    assert "200" in preview
    batch = ParticipantImport.objects.get(program=program)
    with django_capture_on_commit_callbacks(execute=True):  # invitations go on commit
        confirmed = coordinating.post(
            reverse("imports:import_confirm", args=[program.uuid, batch.uuid])
        )
    assert confirmed.status_code == 302
    participants = Membership.objects.filter(
        program=program, role__in=[Role.MENTOR, Role.MENTEE], status=Status.ACTIVE
    )
    # Every tenth person is both mentor and mentee: two memberships.
    assert participants.count() == PEOPLE + PEOPLE // 10
    invited = {message.to[0] for message in mail.outbox}
    assert len(invited) == PEOPLE

    # 2. Run a round (the task runs at once in tests) and read its result page.
    pool = pool_of(program)
    assert len(pool.mentee_ids) == PEOPLE - PEOPLE // 5 + PEOPLE // 10
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued on commit
        ran = coordinating.post(
            reverse("matchrounds:round_run", args=[program.uuid]),
            {"algorithm": "stable", "seed": 0},
        )
    assert ran.status_code == 302
    first = MatchRound.objects.get(program=program)
    assert first.status == RoundStatus.READY
    page = coordinating.get(round_url(first))
    assert page.status_code == 200
    proposals = list(first.proposals.order_by("-score", "id").select_related("mentee", "mentor"))
    assert len(proposals) == pool.places  # more mentees than places: every place is used
    assert proposals[0].mentee.get_full_name() in page.content.decode()

    # 3. Lock the best pair; break the second.
    kept, broken = proposals[0], proposals[1]
    coordinating.post(round_url(first, "lock", kept.uuid), {"locked": "1"})
    coordinating.post(round_url(first, "break", broken.uuid))
    assert Proposal.objects.get(pk=kept.pk).locked
    assert not Proposal.objects.filter(pk=broken.pk).exists()

    # 4. Hand-pair: inside a reporting line it is refused and nothing is written; with
    # a mentor who has a place it is done.
    reporting_line_add(person=broken.mentee, other=broken.mentor, kind="evaluator")
    before = first.proposals.count()
    refused = coordinating.post(
        round_url(first, "pair"),
        {"mentee": broken.mentee.pk, "mentor": broken.mentor.pk, "confirm": "on"},
    )
    assert refused.status_code == 422
    assert "reporting line" in refused.content.decode()
    assert first.proposals.count() == before
    # Every place is taken: break one more pair to free a place with another mentor.
    freed = next(p for p in proposals[2:] if p.mentor_id != broken.mentor_id)
    other_mentor = freed.mentor
    coordinating.post(round_url(first, "break", freed.uuid))
    handed = coordinating.post(
        round_url(first, "pair"),
        {"mentee": broken.mentee.pk, "mentor": other_mentor.pk, "confirm": "on"},
    )
    assert handed.status_code == 302, handed.content.decode()[:2000]
    hand_pair = Proposal.objects.get(round=first, mentee=broken.mentee)
    assert hand_pair.mentor == other_mentor

    # 5. Re-run around the fixed pairs: the locked pair and the hand pair stay.
    with django_capture_on_commit_callbacks(execute=True):
        rerun = coordinating.post(round_url(first, "rerun"), {"algorithm": "optimal"})
    assert rerun.status_code == 302
    second = MatchRound.objects.exclude(pk=first.pk).get(program=program)
    assert second.rerun_of == first
    assert second.status == RoundStatus.READY
    kept_pairs = set(second.proposals.values_list("mentee_id", "mentor_id"))
    assert (kept.mentee_id, kept.mentor_id) in kept_pairs
    assert (broken.mentee_id, other_mentor.pk) in kept_pairs
    assert (broken.mentee_id, broken.mentor_id) not in kept_pairs
    compared = coordinating.get(round_url(second, "compare") + f"?with={first.uuid}")
    assert compared.status_code == 200

    # 6. Publish: both sides of every pair are told.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = coordinating.post(round_url(second, "publish"), {"confirm": "yes"})
    assert published.status_code == 302
    second.refresh_from_db()
    assert second.status == RoundStatus.PUBLISHED
    told = {message.to[0] for message in mail.outbox}
    live = list(second.proposals.select_related("mentee", "mentor").order_by("id"))
    assert {p.mentee.email for p in live} | {p.mentor.email for p in live} <= told

    # 7. Answers: two pairs accept on both sides, one mentee declines.
    accepted, declined = live[:2], live[2]
    for proposal in accepted:
        answer(proposal, proposal.mentee, "accept")
        answer(proposal, proposal.mentor, "accept")
    answer(declined, declined.mentee, "decline", reason="We work in the same clinic.")

    mentorships = Mentorship.objects.filter(program=program, source=Source.ROUND)
    assert set(mentorships.values_list("mentee_id", "mentor_id")) == {
        (p.mentee_id, p.mentor_id) for p in accepted
    }
    assert Proposal.objects.get(pk=declined.pk).status == ProposalStatus.DECLINED
    mentor_view = logged_in_client(declined.mentor).get(
        reverse("matchrounds:proposal", args=[declined.uuid])
    )
    assert "We work in the same clinic." not in mentor_view.content.decode()

    # 8. The declined mentee is back in the pool; the matched mentees are not.
    pool_after = pool_of(program)
    assert declined.mentee_id in pool_after.mentee_ids
    assert not {p.mentee_id for p in accepted} & set(pool_after.mentee_ids)
