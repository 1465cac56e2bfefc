"""The engine's reasons in French, whether written with English labels (a match round
stores them so) or with the reader's (the search)."""

from __future__ import annotations

import pytest
from django.utils import translation

from medmentor.profiles.engine import localize_reason
from medmentor.profiles.taxonomy import taxonomy

pytestmark = pytest.mark.django_db


def labels(vocabulary: str, code: str) -> tuple[str, str]:
    term = taxonomy()[vocabulary].by_code[code]
    with translation.override("en"):
        english = term.label
    with translation.override("fr"):
        french = term.label
    return english, french


def test_english_labels_in_a_stored_reason_are_read_in_french():
    en, fr = labels("specialties", "family-medicine")
    assert en != fr
    assert localize_reason(f"both {en}", "fr", english_labels=True) == f"même domaine : {fr}"


def test_a_label_with_and_inside_stays_whole_and_the_list_joins_in_french():
    career_en, career_fr = labels("goals", "academic-career")
    research_en, research_fr = labels("goals", "research")
    reason = f"offers {research_en} and {career_en}"
    assert (
        localize_reason(reason, "fr", english_labels=True)
        == f"offre : {research_fr} et {career_fr}"
    )


def test_english_readers_get_the_reason_as_written():
    en, _fr = labels("specialties", "family-medicine")
    assert localize_reason(f"both {en}", "en") == f"both {en}"


def test_meeting_rhythm_and_career_path_in_french_and_as_rounds_stored_them_before():
    en, fr = labels("cadences", "monthly")
    assert (
        localize_reason(f"same meeting rhythm: {en}", "fr", english_labels=True)
        == f"même rythme de rencontres : {fr}"
    )
    assert (
        localize_reason("same career path: academic", "fr", english_labels=True)
        == "même parcours : universitaire"
    )
    # A round stored before the wording changed still reads in French.
    assert (
        localize_reason(f"both want {en} meetings", "fr", english_labels=True)
        == f"même rythme de rencontres : {fr}"
    )


def test_language_names_are_lower_case_mid_sentence_in_french():
    assert localize_reason("both speak English and French", "fr", english_labels=True) == (
        "parle aussi anglais et français"
    )
    assert localize_reason("speaks French, as preferred", "fr", english_labels=True) == (
        "parle français, comme souhaité"
    )


def test_what_a_circle_shares_reads_in_french():
    family_en, family_fr = labels("specialties", "family-medicine")
    cases = {
        f"all {family_en}": f"tous : {family_fr}",
        f"all in {family_en} (specialty family)": f"tous en {family_fr} (famille de spécialités)",
        f"3 of 5 in {family_en} (specialty family)": (
            f"3 sur 5 en {family_fr} (famille de spécialités)"
        ),
        "all speak English and French": "parlent tous anglais et français",
        "4 of 6 in Ontario": "4 sur 6 en Ontario",
        "same career stage (3)": "même étape de carrière (3)",
        "similar career stages (2-3)": "étapes de carrière voisines (2-3)",
    }
    for reason, french in cases.items():
        assert localize_reason(reason, "fr", english_labels=True) == french, reason
