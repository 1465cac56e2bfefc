"""Issue 16, the newcomer's path: the profile's steps count right, ask each person only
what fits their roles, ask about a mentor's gender after their own, offer "Remove my
photo" only with a photo, say who added a reporting line, make the long list of
specialties searchable, and stay a bounded number of queries per step."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from medmentor.profiles.models import Profile, ReportingLine, Specialty
from medmentor.profiles.services import profile_set_photo, reporting_line_add
from tests.factories import UserFactory
from tests.profiles.factories import make_profile
from tests.profiles.test_onboarding import STEP_DATA

pytestmark = pytest.mark.django_db

PAGES = [
    (reverse("profiles:edit", args=["about"]), "About you"),
    (reverse("profiles:edit", args=["roles"]), "Mentee, mentor or both"),
    (reverse("profiles:edit", args=["interests"]), "Interests and bio"),
    (reverse("profiles:edit", args=["availability"]), "Availability and preferences"),
    (reverse("profiles:edit", args=["privacy"]), "Privacy, photo and identity"),
    (reverse("profiles:reporting_lines"), "Reporting lines and conflicts"),
]
ROLES = {
    "mentee": {"mentee": True},
    "mentor": {"mentor": True},
    "both": {"mentee": True, "mentor": True},
}
MENTOR_ONLY = ("goals_offered", "offering", "mentor_capacity", "accepting_mentees")
MENTEE_ONLY = ("goals_sought", "seeking", "prefers_same_gender", "prefers_same_language",
               "prefers_other_institution", "prefers_same_specialty")  # fmt: skip


def profile_of(client) -> Profile:
    return Profile.objects.get(user__email=client.user_email)


def field_div(html: str, name: str) -> str | None:
    """The opening tag of the wrapper of field ``name``, or None when not on the page."""
    at = html.find(f'name="{name}"')
    if at < 0:
        return None
    start = html.rfind('<div class="field', 0, at)
    return html[start : html.index(">", start)]


@pytest.mark.parametrize("roles", ROLES)
def test_every_page_says_step_n_of_six_and_the_navigation_lists_six(signed_in, user, roles):
    make_profile(user, **ROLES[roles])
    for position, (url, title) in enumerate(PAGES, start=1):
        html = signed_in.get(url).content.decode()
        assert f"Step {position} of {len(PAGES)}: {title}" in html, url
        nav = html.split('aria-label="Profile steps"')[1].split("</nav>")[0]
        assert nav.count("<li>") == len(PAGES)
        assert nav.count('aria-current="step"') == 1


def test_save_and_continue_goes_through_the_six_pages_in_order(signed_in, user):
    make_profile(user, mentee=True)
    for (url, _title), (next_url, _next) in itertools.pairwise(PAGES):
        step = url.rstrip("/").rsplit("/", 1)[1]
        response = signed_in.post(url, STEP_DATA[step])
        assert response.status_code == 302, (step, response.content[:2000])
        assert response["Location"] == next_url


def test_a_mentee_is_not_asked_mentor_questions_and_keeps_them(signed_in, user):
    make_profile(user, mentee=True, mentor_capacity=4, accepting_mentees=False)
    roles_page = signed_in.get(reverse("profiles:edit", args=["roles"])).content.decode()
    for name in MENTOR_ONLY:
        # On the page for the "I offer to mentor" box to show, hidden until it is ticked.
        assert " hidden" in field_div(roles_page, name), name
    for name in ("goals_sought", "seeking"):
        assert " hidden" not in field_div(roles_page, name), name

    # Sent without the mentor fields (as a page without scripts might): nothing required,
    # nothing erased.
    response = signed_in.post(
        reverse("profiles:edit", args=["roles"]),
        {"is_mentee": "on", "goals_sought": ["career-goals"], "seeking": "Advice."},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = profile_of(signed_in)
    assert (profile.mentor_capacity, profile.accepting_mentees) == (4, False)


def test_a_mentor_is_not_asked_mentee_preferences_and_keeps_them(signed_in, user):
    make_profile(user, mentor=True, prefers_same_language=3, prefers_same_gender=2)
    for step in ("availability", "privacy"):
        html = signed_in.get(reverse("profiles:edit", args=[step])).content.decode()
        for name in MENTEE_ONLY:
            assert f'name="{name}"' not in html, (step, name)
    roles_page = signed_in.get(reverse("profiles:edit", args=["roles"])).content.decode()
    assert " hidden" in field_div(roles_page, "goals_sought")
    assert " hidden" not in field_div(roles_page, "mentor_capacity")
    kept = ("cadence", "modality", "time_zone")
    availability = {k: v for k, v in STEP_DATA["availability"].items() if k in kept}
    response = signed_in.post(reverse("profiles:edit", args=["availability"]), availability)
    assert response.status_code == 302
    profile = profile_of(signed_in)
    assert (profile.prefers_same_language, profile.prefers_same_gender) == (3, 2)


def test_someone_who_is_both_is_asked_everything(signed_in, user):
    make_profile(user, mentee=True, mentor=True)
    roles_page = signed_in.get(reverse("profiles:edit", args=["roles"])).content.decode()
    for name in ("goals_sought", "seeking", *MENTOR_ONLY):
        assert " hidden" not in field_div(roles_page, name), name
    html = signed_in.get(reverse("profiles:edit", args=["availability"])).content.decode()
    assert 'name="prefers_same_language"' in html


def test_a_mentee_who_ticks_mentor_without_scripts_is_asked_what_they_offer(signed_in, user):
    make_profile(user, mentee=True)
    page = signed_in.get(reverse("profiles:edit", args=["roles"]))
    # The form as a browser without scripts sends it: the hidden mentor fields with their
    # current values, and the newly ticked box.
    data = {"is_mentee": "on", "is_mentor": "on", "goals_sought": ["career-goals"],
            "mentor_capacity": "1", "accepting_mentees": "on"}  # fmt: skip
    assert page.status_code == 200
    response = signed_in.post(reverse("profiles:edit", args=["roles"]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("profiles:edit", args=["roles"])
    assert profile_of(signed_in).is_mentor
    again = signed_in.get(response["Location"]).content.decode()
    assert " hidden" not in field_div(again, "goals_offered")


def test_the_gender_preference_is_asked_right_after_ones_own_gender(signed_in, user):
    make_profile(user, mentee=True)
    availability = signed_in.get(reverse("profiles:edit", args=["availability"])).content.decode()
    assert 'name="prefers_same_gender"' not in availability
    privacy = signed_in.get(reverse("profiles:edit", args=["privacy"])).content.decode()
    names = re.findall(r'<(?:select|input|textarea)[^>]*name="([a-z_]+)"', privacy)
    assert names.index("prefers_same_gender") == names.index("gender") + 1


def test_time_zone_is_empty_until_chosen_so_the_browser_can_fill_it(signed_in, user):
    make_profile(user, mentee=True, time_zone="")
    html = signed_in.get(reverse("profiles:edit", args=["availability"])).content.decode()
    assert re.search(r'<option value="" selected>', html)
    assert "profiles/profile.js" in html  # the script that offers the browser's zone


def _png() -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (60, 60), "green").save(data, format="PNG")
    return SimpleUploadedFile("me.png", data.getvalue(), content_type="image/png")


def test_remove_my_photo_shows_only_with_a_photo(signed_in, user):
    profile = make_profile(user, mentee=True)
    url = reverse("profiles:edit", args=["privacy"])
    assert "Remove my photo" not in signed_in.get(url).content.decode()
    profile_set_photo(profile=profile, upload=_png())
    assert "Remove my photo" in signed_in.get(url).content.decode()
    response = signed_in.post(url, {**STEP_DATA["privacy"], "remove": "on"})
    assert response.status_code == 302
    assert not profile_of(signed_in).photo


def test_reporting_lines_say_you_or_that_a_coordinator_added_them(signed_in, user):
    make_profile(user, mentee=True)
    coordinator = UserFactory(name="Dr. Claire Bouchard")
    reporting_line_add(person=user, email="boss@example.org", kind="supervisor")
    reporting_line_add(
        person=user,
        email="head@example.org",
        kind="department_head",
        source=ReportingLine.Source.COORDINATOR,
        added_by=coordinator,
    )
    html = signed_in.get(reverse("profiles:reporting_lines")).content.decode()
    row = html.split("boss@example.org")[1].split("</tr>")[0]
    assert "<td>You</td>" in row
    # A coordinator's line says only that a coordinator added it, and its kind.
    assert "Added by a program coordinator: Department head" in html
    assert "head@example.org" not in html
    assert "Declared by the person" not in html
    assert coordinator.email not in html


def test_other_specialties_are_searchable_and_work_without_scripts(signed_in, user):
    make_profile(user, mentee=True)
    html = signed_in.get(reverse("profiles:edit", args=["about"])).content.decode()
    select = re.search(r'<select[^>]*name="other_specialties"[^>]*>', html).group(0)
    assert "multiple" in select
    assert "data-searchable" in select
    assert "vendor/tom-select.complete.min.js" in html
    assert "vendor/tom-select.css" in html
    # Without scripts the native list still sends every choice.
    data = {**STEP_DATA["about"], "other_specialties": ["cardiology", "pediatrics"]}
    assert signed_in.post(reverse("profiles:edit", args=["about"]), data).status_code == 302
    codes = set(profile_of(signed_in).other_specialties.values_list("code", flat=True))
    assert codes == {"cardiology", "pediatrics"}


# Queries per step (GET and POST), with a mentee who is also a mentor and has filled in
# everything: session and user, the profile, the taxonomy's choices, the completeness
# counts, the saved terms. A query per option or per chosen term would break this.
QUERY_BOUND = 35


@pytest.mark.parametrize("step", list(STEP_DATA))
def test_each_step_takes_a_bounded_number_of_queries(signed_in, user, step):
    many = list(Specialty.objects.filter(active=True).values_list("code", flat=True)[:20])
    make_profile(user, mentee=True, mentor=True, other_specialties=many,
                 interests=["sexual-health", "public-health", "medical-education"])  # fmt: skip
    url = reverse("profiles:edit", args=[step])
    signed_in.get(url)  # the taxonomy, read once per process
    with CaptureQueriesContext(connection) as got:
        assert signed_in.get(url).status_code == 200
    with CaptureQueriesContext(connection) as sent:
        data = (
            {**STEP_DATA[step], "other_specialties": many} if step == "about" else STEP_DATA[step]
        )
        response = signed_in.post(url, {**data, "is_mentor": "on"} if step == "roles" else data)
        assert response.status_code == 302
    assert len(got) <= QUERY_BOUND, len(got)
    assert len(sent) <= QUERY_BOUND, "\n".join(q["sql"][:150] for q in sent.captured_queries)
