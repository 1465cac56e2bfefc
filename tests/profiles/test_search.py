"""Mentor search on a seeded set: filters, free text, ranking by the engine's four-C
scores with a "why", places left first, daily rotation, pagination, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medmentor.matching import rank_mentors
from medmentor.profiles import search
from medmentor.profiles.engine import SEARCH_RULES, as_mentee, as_mentor
from medmentor.profiles.features import features_of
from medmentor.profiles.models import Language, Profile
from medmentor.profiles.search import PAGE_SIZE, SearchFilters, search_mentors
from medmentor.profiles.services import profile_update
from medmentor.profiles.taxonomy import taxonomy_changed
from tests.factories import UserFactory
from tests.profiles.factories import make_mentee, make_mentor, make_profile

pytestmark = pytest.mark.django_db


def ids(page) -> list[int]:
    return [r.profile.pk for r in page.results]


@pytest.fixture
def seeded():
    """A mentee in family medicine (Ontario, English, sexual health) and varied mentors."""
    mentee = make_mentee(
        specialty="family-medicine",
        interests=["sexual-health", "public-health"],
        goals_sought=["work-life-balance", "career-goals"],
        province="ON",
    )
    best = make_mentor(
        display_name="Dr. Best Fit",
        specialty="family-medicine",
        interests=["sexual-health", "public-health"],
        goals_offered=["work-life-balance", "career-goals"],
        province="ON",
        bio="Family physician in Ottawa, sexual health clinic lead.",
        offering="Balancing clinic and family life.",
    )
    cardio = make_mentor(
        display_name="Dr. Heart",
        specialty="cardiology",
        interests=["research"],
        goals_offered=["research"],
        province="BC",
        time_zone="America/Vancouver",
        modality="in-person",
    )
    french = make_mentor(
        display_name="Dre Francophone",
        specialty="family-medicine",
        languages=["fr"],
        province="QC",
        interests=["sexual-health"],
    )
    full = make_mentor(
        display_name="Dr. Full House",
        specialty="family-medicine",
        interests=["sexual-health", "public-health"],
        goals_offered=["work-life-balance", "career-goals"],
        province="ON",
        mentor_capacity=2,
        active_mentees=2,
    )
    student = make_mentor(display_name="Student Mentor", stage="medical-student")
    not_listed = make_profile(mentor=True, display_name="Dr. Incomplete", bio="")
    return {
        "mentee": mentee,
        "best": best,
        "cardio": cardio,
        "french": french,
        "full": full,
        "student": student,
        "not_listed": not_listed,
    }


def test_ranking_follows_the_engine_with_places_left_first(seeded):
    page = search_mentors(seeded["mentee"].user, SearchFilters())
    order = ids(page)
    assert page.ranked
    assert seeded["not_listed"].pk not in order  # incomplete profiles are not listed
    assert order[0] == seeded["best"].pk
    assert order[-1] == seeded["full"].pk  # as good as the best, but no place left
    by_id = {r.profile.pk: r for r in page.results}
    assert by_id[seeded["best"].pk].score > by_id[seeded["cardio"].pk].score
    assert "both Family Medicine" in by_id[seeded["best"].pk].why
    assert "sexual health" in by_id[seeded["best"].pk].why.lower()
    # Hard rules of the search: a language in common, a mentor at or above one's stage.
    assert not by_id[seeded["french"].pk].eligible
    assert "no shared language" in by_id[seeded["french"].pk].why
    assert not by_id[seeded["student"].pk].eligible
    eligible_with_places = [r for r in page.results if r.eligible and r.has_places]
    assert page.results[: len(eligible_with_places)] == eligible_with_places


def test_scores_agree_with_the_engine_used_by_match_rounds(seeded):
    mentee = seeded["mentee"]
    mentors = list(Profile.objects.filter(pk__in=[seeded["best"].pk, seeded["cardio"].pk]))
    features = features_of([mentee, *mentors], viewer=mentee.user)
    direct = rank_mentors(
        as_mentee(features[mentee.pk]),
        [as_mentor(features[m.pk]) for m in mentors],
        rules=SEARCH_RULES,
    )
    page = search_mentors(mentee.user, SearchFilters())
    searched = {str(r.profile.user_id): r.score for r in page.results}
    for ranked in direct:
        assert searched[ranked.mentor_id] == ranked.score


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"specialty": "cardiology"}, ["cardio"]),
        ({"specialty": "internal-medicine"}, ["cardio"]),  # a parent finds its subspecialties
        ({"province": "QC"}, ["french"]),
        ({"language": "fr"}, ["french"]),
        ({"interest": "research"}, ["cardio"]),
        ({"goal": "work-life-balance"}, ["best", "full"]),
        ({"modality": "in-person"}, ["cardio"]),
        ({"career_stage": "medical-student"}, ["student"]),
        ({"accepting": True}, ["best", "cardio", "french", "student"]),
        ({"q": "ottawa clinic"}, ["best"]),
        ({"q": "OTTAW"}, ["best"]),  # prefix, any case
        ({"q": "cardiologie"}, ["cardio"]),  # French labels are searchable too
        ({"q": "francophone"}, ["french"]),
        ({"q": "nobody-like-this"}, []),
        (
            {"specialty": "family-medicine", "province": "ON", "accepting": True},
            ["best", "student"],
        ),
    ],
)
def test_filters(seeded, filters, expected):
    page = search_mentors(seeded["mentee"].user, SearchFilters(**filters))
    assert sorted(ids(page)) == sorted(seeded[name].pk for name in expected)
    assert page.total == len(expected)


def test_must_preferences_narrow_the_list(seeded):
    mentee = seeded["mentee"]
    profile_update(profile=mentee, data={"prefers_other_institution": 5})
    assert ids(search_mentors(mentee.user, SearchFilters())) == []  # all at uOttawa
    profile_update(profile=seeded["cardio"], data={"institution": "UBC"})
    assert ids(search_mentors(mentee.user, SearchFilters())) == [seeded["cardio"].pk]
    profile_update(
        profile=mentee, data={"prefers_other_institution": 0, "prefers_same_specialty": 5}
    )
    assert seeded["cardio"].pk not in ids(search_mentors(mentee.user, SearchFilters()))


def test_the_searcher_never_finds_themself(seeded):
    both = make_profile(mentor=True, mentee=True)
    assert both.pk not in ids(search_mentors(both.user, SearchFilters()))


def test_equally_good_mentors_rotate_from_day_to_day():
    mentee = make_mentee()
    twins = [make_mentor(display_name=f"Dr. Twin {k}") for k in range(12)]
    firsts = set()
    for day in range(1, 15):
        with time_machine.travel(dt.datetime(2026, 3, day, 12, tzinfo=dt.UTC), tick=False):
            page = search_mentors(mentee.user, SearchFilters())
            assert page.total == len(twins)
            assert len({r.score for r in page.results}) == 1
            firsts.add(ids(page)[0])
            again = search_mentors(mentee.user, SearchFilters())
            assert ids(again) == ids(page)  # stable within a day
    assert len(firsts) >= 4


def test_pagination_covers_everyone_once():
    mentee = make_mentee()
    mentors = {make_mentor(bio=f"mentor {k}").pk for k in range(PAGE_SIZE * 2 + 5)}
    seen: list[int] = []
    for number in (1, 2, 3):
        page = search_mentors(mentee.user, SearchFilters(page=number))
        assert page.pages == 3
        seen += ids(page)
    assert len(seen) == len(mentors)
    assert set(seen) == mentors
    last = search_mentors(mentee.user, SearchFilters(page=99))
    assert last.page == 3


def test_pages_past_the_engine_pool_follow_the_database_order(monkeypatch):
    monkeypatch.setattr(search, "POOL", PAGE_SIZE)
    mentee = make_mentee()
    mentors = {make_mentor(bio=f"mentor {k}").pk for k in range(PAGE_SIZE + 7)}
    first = search_mentors(mentee.user, SearchFilters(page=1))
    second = search_mentors(mentee.user, SearchFilters(page=2))
    assert first.ranked
    assert not second.ranked
    assert set(ids(first)) | set(ids(second)) == mentors
    assert not set(ids(first)) & set(ids(second))


def test_the_number_of_queries_does_not_grow_with_results(client):
    mentee = make_mentee()
    client.force_login(mentee.user)
    url = reverse("profiles:mentor_search")
    make_mentor()
    client.get(url)  # warm the taxonomy cache and the session

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
            assert client.get("/api/profiles/mentors").status_code == 200
        return len(queries)

    few = count()
    for k in range(30):
        make_mentor(bio=f"another mentor {k}", interests=["research", "leadership"])
    assert count() == few
    # The page also says, for all its mentors at once, whom the searcher may ask (the
    # request service's rules: some twenty queries, none per mentor).
    assert few <= 60


def test_search_page_in_french_with_a_french_why(seeded, client):
    client.force_login(seeded["mentee"].user)
    client.cookies.load({"django_language": "fr"})
    page = client.get(reverse("profiles:mentor_search")).content.decode()
    assert "Trouver un mentor" in page
    assert "Médecine familiale" in page
    assert "même domaine : Médecine familiale" in page


def test_htmx_returns_only_the_results(seeded, client):
    client.force_login(seeded["mentee"].user)
    response = client.get(
        reverse("profiles:mentor_search"), {"province": "BC"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="results"' in body
    assert "Dr. Heart" in body
    assert "Dr. Best Fit" not in body


def test_unknown_filter_codes_are_a_field_error(seeded, client):
    client.force_login(seeded["mentee"].user)
    page = client.get(reverse("profiles:mentor_search"), {"specialty": "astrology"})
    assert page.status_code == 422
    assert "specialty" in page.context["form"].errors
    api = client.get("/api/profiles/mentors", {"province": "XX"})
    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "province"


def test_someone_without_a_profile_gets_an_unranked_list(seeded, client):
    stranger = UserFactory()
    page = search_mentors(stranger, SearchFilters())
    assert not page.ranked
    assert page.results[0].has_places
    assert all(r.why == "" for r in page.results)


def test_term_filters_stay_exact_past_63_terms():
    """Bit sets answer filters while term ids are below 63; beyond, the join does, and a
    term 63 ids apart (same bit) is never mistaken for another."""
    mentee = make_mentee()
    speaks_en = make_mentor(display_name="English speaker")
    extra = [Language(code=f"x{k}", label_en=f"L{k}", label_fr=f"L{k}") for k in range(70)]
    Language.objects.bulk_create(extra)
    taxonomy_changed()
    same_bit = Language.objects.get(pk=Language.objects.get(code="en").pk + 63)
    polyglot = make_mentor(display_name="Polyglot", languages=["en", same_bit.code])
    only_rare = make_mentor(display_name="Rare", languages=[same_bit.code])
    by_rare = search_mentors(mentee.user, SearchFilters(language=same_bit.code))
    assert sorted(ids(by_rare)) == sorted([polyglot.pk, only_rare.pk])
    by_en = search_mentors(mentee.user, SearchFilters(language="en"))
    assert sorted(ids(by_en)) == sorted([speaks_en.pk, polyglot.pk])


def test_deactivated_accounts_are_not_listed():
    mentee = make_mentee()
    gone = make_mentor()
    stays = make_mentor()
    gone.user.is_active = False
    gone.user.save()
    assert ids(search_mentors(mentee.user, SearchFilters())) == [stays.pk]


def test_free_text_pages_cover_everyone_once(monkeypatch):
    monkeypatch.setattr(search, "POOL", PAGE_SIZE)
    mentee = make_mentee()
    found = {make_mentor(bio=f"Rural obstetrics {k}").pk for k in range(PAGE_SIZE + 3)}
    make_mentor(bio="Urban psychiatry")
    pages = [search_mentors(mentee.user, SearchFilters(q="rural obstet", page=n)) for n in (1, 2)]
    assert [p.total for p in pages] == [len(found), len(found)]
    assert pages[0].ranked
    assert not pages[1].ranked
    assert set(ids(pages[0])) | set(ids(pages[1])) == found
    assert not set(ids(pages[0])) & set(ids(pages[1]))
    empty = search_mentors(mentee.user, SearchFilters(q="cardiac surgery robots"))
    assert empty.total == 0
    assert empty.results == []
