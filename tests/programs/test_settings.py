"""Creating a program and editing its settings, milestone plan and questions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from medmentor.programs.models import IntakeQuestion, Membership, Program, Role
from medmentor.programs.services.programs import intake_question_save, program_create
from tests.factories import UserFactory
from tests.programs.factories import (
    IntakeQuestionFactory,
    MembershipFactory,
    MilestoneFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

VALID = {
    "name_en": "Faculty Mentorship",
    "name_fr": "Mentorat facultaire",
    "description_en": "For students.",
    "description_fr": "Pour les étudiants.",
    "audience": "students",
    "region": "QC",
    "is_listed": "on",
    "cycle_start": "2026-09-01",
    "cycle_end": "2027-06-30",
    "enrolment_mode": "approval",
    "matching_mode": "both",
    "seniority_rule": "senior",
    "weight_consideration": "40",
    "weight_camaraderie": "20",
    "weight_commonality": "40",
    "weight_confidentiality": "0",
    "mentee_stages": ["student"],
    "mentorship_months": "10",
    "mentorship_format": "pairs",
    "group_size_min": "4",
    "group_size_max": "6",
    "max_open_requests": "3",
    "request_cascade_days": "5",
    "checkin_first_days": "30",
    "checkin_every_days": "60",
    "inactivity_days": "90",
    "closure_notice_days": "7",
}


def test_only_people_allowed_by_staff_create_programs(client, program_creator):
    url = reverse("programs:create")
    assert client.get(url).status_code == 302  # anonymous: log in first
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.post(url, VALID).status_code == 403
    assert not Program.objects.filter(name_en="Faculty Mentorship").exists()

    client.force_login(program_creator)
    # The region is chosen: the new program's form starts without one, and needs one.
    form = client.get(url).context["form"]
    assert form["region"].value() in (None, "")
    assert client.post(url, {**VALID, "region": ""}).status_code == 422
    response = client.post(url, VALID)
    program = Program.objects.get(name_en="Faculty Mentorship")
    assert response["Location"] == reverse("programs:settings", args=[program.uuid])
    assert Membership.objects.get(program=program).role == Role.COORDINATOR
    assert program.mentee_stages == ["student"]
    assert program.mentor_stages == []
    assert program.weights["consideration"] == 40
    assert program.normalised_weights == {
        "consideration": Decimal("0.4"),
        "camaraderie": Decimal("0.2"),
        "commonality": Decimal("0.4"),
        "confidentiality": Decimal("0"),
    }


def test_the_service_refuses_a_program_from_someone_not_allowed_to_create_one():
    """The page answers 403 first; the service holds the same rule for any other caller."""
    someone = UserFactory()
    with pytest.raises(PermissionDenied):
        program_create(created_by=someone, name_en="Shadow Program", region="QC")
    assert not Program.objects.filter(name_en="Shadow Program").exists()
    assert not Membership.objects.filter(user=someone).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cycle_end": "2026-08-01"}, "cycle_end"),
        ({"cycle_end": ""}, "cycle_end"),
        ({"region": "CA-XX"}, "region"),
        ({"region": ""}, "region"),
        ({"weight_camaraderie": "101"}, "weight_camaraderie"),
        ({"weight_commonality": "-1"}, "weight_commonality"),
        ({"mentee_stages": ["astronaut"]}, "mentee_stages"),
        ({"name_en": ""}, "name_en"),
        ({"mentorship_months": "0"}, "mentorship_months"),
        ({"group_size_min": "6", "group_size_max": "4"}, "group_size_max"),
        ({"mentorship_format": "triads"}, "mentorship_format"),
    ],
)
def test_bad_settings_are_field_errors_and_change_nothing(client, world, change, field):
    url = reverse("programs:settings", args=[world.program.uuid])
    client.force_login(world.coordinator)
    before = Program.objects.filter(pk=world.program.pk).values().get()
    response = client.post(url, {**VALID, **change})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert Program.objects.filter(pk=world.program.pk).values().get() == before


def test_all_weights_zero_is_refused(client, world):
    client.force_login(world.coordinator)
    zero = {f"weight_{c}": "0" for c in ("consideration", "camaraderie", "commonality")}
    response = client.post(
        reverse("programs:settings", args=[world.program.uuid]), {**VALID, **zero}
    )
    assert response.status_code == 422
    assert "four Cs needs a weight" in response.content.decode()
    world.program.refresh_from_db()
    assert world.program.weight_consideration == 25


def test_settings_page_has_sliders_and_saves(client, world):
    url = reverse("programs:settings", args=[world.program.uuid])
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert page.count('type="range"') == 4
    assert client.post(url, VALID).status_code == 302
    world.program.refresh_from_db()
    assert world.program.name_en == "Faculty Mentorship"
    assert world.program.region == "QC"


def milestone_post(rows, existing=0):
    data = {
        "milestones-TOTAL_FORMS": str(len(rows)),
        "milestones-INITIAL_FORMS": str(existing),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"milestones-{index}-{key}"] = value
    return data


def test_milestone_plan_is_saved_in_due_order(client, world):
    client.force_login(world.coordinator)
    url = reverse("programs:milestones", args=[world.program.uuid])
    rows = [
        {
            "kind": "check_in",
            "label_en": "Mid-point",
            "label_fr": "Mi-parcours",
            "due_after_days": "90",
        },
        {"kind": "first_meeting", "label_en": "Meet", "label_fr": "", "due_after_days": "14"},
        {"kind": "", "label_en": "", "label_fr": "", "due_after_days": ""},
    ]
    assert client.post(url, milestone_post(rows)).status_code == 302
    plan = list(world.program.milestones.values_list("label_en", "position"))
    assert plan == [("Meet", 0), ("Mid-point", 1)]


def test_bad_milestone_row_changes_nothing(client, world):
    MilestoneFactory(program=world.program)
    client.force_login(world.coordinator)
    url = reverse("programs:milestones", args=[world.program.uuid])
    existing = world.program.milestones.get()
    rows = [
        {
            "id": str(existing.pk),
            "kind": "first_meeting",
            "label_en": "Meet",
            "due_after_days": "-3",
        },
        {"kind": "whenever", "label_en": "Oops", "due_after_days": "10"},
    ]
    response = client.post(url, milestone_post(rows, existing=1))
    assert response.status_code == 422
    forms = response.context["formset"].forms
    assert "due_after_days" in forms[0].errors
    assert "kind" in forms[1].errors
    assert list(world.program.milestones.values_list("label_en", "due_after_days")) == [
        ("First meeting", 14)
    ]


def test_milestones_of_another_program_cannot_be_edited_through_mine(client, world):
    theirs = MilestoneFactory(program=world.other_program, label_en="Theirs")
    client.force_login(world.coordinator)
    url = reverse("programs:milestones", args=[world.program.uuid])
    rows = [{"id": str(theirs.pk), "kind": "custom", "label_en": "Mine now", "due_after_days": "3"}]
    client.post(url, milestone_post(rows, existing=1))
    theirs.refresh_from_db()
    assert theirs.label_en == "Theirs"
    assert theirs.program == world.other_program


QUESTION = {
    "role": "mentee",
    "text_en": "Preferred language?",
    "text_fr": "Langue préférée?",
    "kind": "single",
    "choices": "en | English | Anglais\nfr | French | Français",
    "required": "on",
    "matching_weight": "30",
    "matching_rule": "same",
}


def test_add_and_edit_a_question(client, world):
    client.force_login(world.coordinator)
    url = reverse("programs:questions", args=[world.program.uuid])
    assert client.post(url, QUESTION).status_code == 302
    question = IntakeQuestion.objects.get(program=world.program)
    assert question.choices == [
        {"code": "en", "en": "English", "fr": "Anglais"},
        {"code": "fr", "en": "French", "fr": "Français"},
    ]
    assert (question.matching_weight, question.matching_rule) == (30, "same")
    edit = reverse("programs:question_edit", args=[world.program.uuid, question.uuid])
    assert "en | English | Anglais" in client.get(edit).content.decode()
    changed = {**QUESTION, "choices": "en | English (Canada) | Anglais\nfr | French | Français"}
    assert client.post(edit, changed).status_code == 302
    question.refresh_from_db()
    assert question.choices[0]["en"] == "English (Canada)"


@pytest.mark.parametrize(
    "choices",
    [
        "en | English",  # one choice
        "en English Anglais\nfr | French",  # no separator
        "EN! | English\nfr | French",  # bad code
        "en | English\nen | Anglais",  # duplicate code
    ],
)
def test_bad_choices_are_a_field_error(client, world, choices):
    client.force_login(world.coordinator)
    url = reverse("programs:questions", args=[world.program.uuid])
    response = client.post(url, {**QUESTION, "choices": choices})
    assert response.status_code == 422
    assert "choices" in response.context["form"].errors
    assert not IntakeQuestion.objects.exists()


def test_an_answered_code_cannot_be_removed_and_deleting_clears_answers(client, world):
    question = IntakeQuestionFactory(program=world.program)
    answered = MembershipFactory(program=world.program, answers={str(question.uuid): ["in_person"]})
    client.force_login(world.coordinator)
    edit = reverse("programs:question_edit", args=[world.program.uuid, question.uuid])
    response = client.post(edit, {**QUESTION, "choices": "virtual | Virtual\nphone | Phone"})
    assert response.status_code == 422
    assert "in_person" in " ".join(response.context["form"].errors["choices"])
    question.refresh_from_db()
    assert question.codes == ["virtual", "in_person"]

    client.post(reverse("programs:question_delete", args=[world.program.uuid, question.uuid]))
    assert not IntakeQuestion.objects.filter(pk=question.pk).exists()
    answered.refresh_from_db()
    assert answered.answers == {}


def test_a_question_without_any_choice_is_refused_by_the_service(world):
    """The form asks for two choices at least; the service refuses none at all itself."""
    with pytest.raises(ValidationError) as refused:
        intake_question_save(
            program=world.program,
            by=world.coordinator,
            role=Role.MENTEE,
            text_en="How would you like to meet?",
            text_fr="Comment souhaitez-vous vous rencontrer?",
            kind="single",
            choices=[],
        )
    assert refused.value.message_dict["choices"] == ["Give at least one choice."]
    assert not IntakeQuestion.objects.filter(program=world.program).exists()


def test_program_list_filters_and_public_detail(client):
    ProgramFactory(name_en="Quebec Residents", audience="residents", region="QC")
    ProgramFactory(name_en="Ontario Students", audience="students", region="ON")
    page = client.get(reverse("programs:list"), {"region": "QC"}).content.decode()
    assert "Quebec Residents" in page
    assert "Ontario Students" not in page
    page = client.get(reverse("programs:list"), {"q": "student"}).content.decode()
    assert "Ontario Students" in page
    assert "Quebec Residents" not in page
    fragment = client.get(
        reverse("programs:list"), {"audience": "residents"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in fragment.content.decode()
    assert "Quebec Residents" in fragment.content.decode()
