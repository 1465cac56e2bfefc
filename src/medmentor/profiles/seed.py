"""Realistic demo people: Canadian physicians, residents and students across career
stages, specialties, provinces and both official languages.

Names come from the built-in lists below (common given names and surnames in Canada,
English, French and from Canada's larger immigrant communities); institutions are
Canada's 17 faculties of medicine and, for the territories and Prince Edward Island,
their main hospitals. Person ``k`` of a given seed is always the same person, so a
second run with a larger ``--people`` only adds the missing ones.

Everything is written with ``bulk_create``: 100,000 people take well under a minute.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from medmentor.accounts.models import User
from medmentor.profiles.models import (
    Gender,
    PracticeSetting,
    Profile,
    Province,
    Visibility,
    term_bits,
)
from medmentor.profiles.services import search_text_for
from medmentor.profiles.taxonomy import taxonomy, vocabulary_of

EMAIL_DOMAIN = "seed.medmentor.example"  # .example: reserved, never delivered
BATCH = 2_000

GIVEN_EN = (  # noqa: SIM905
    "Olivia Emma Charlotte Amelia Sophia Ava Chloe Hannah Sarah Emily Grace Leah Maya Zoe "
    "Priya Aisha Fatima Mei Jasleen Simran Noor Ananya Yasmin Ji-woo Linh Nadia Amira "
    "Liam Noah William Benjamin Lucas James Ethan Jacob Owen Samuel Daniel Ryan Nathan "
    "Arjun Mohammed Omar Ali Hassan Wei Jun Raj Harpreet Gurpreet Tariq Kwame Minh "
    "Hiroshi"
).split()
GIVEN_FR = (  # noqa: SIM905
    "Léa Chloé Florence Alice Rosalie Juliette Camille Béatrice Émilie Geneviève "
    "Catherine Marie-Ève Isabelle Sophie Nathalie Mélanie Anne-Marie Valérie Stéphanie "
    "Josée Félix Gabriel Samuel Thomas William Olivier Alexis Antoine Mathieu "
    "Jean-François Étienne Maxime Louis Philippe Marc-André Nicolas Sébastien Guillaume "
    "Simon Benoît"
).split()
SURNAMES_EN = (  # noqa: SIM905
    "Smith Brown Wilson Campbell MacDonald Taylor Anderson Thompson Martin Johnson White "
    "Stewart Robinson Clarke Murray Fraser Reid Mitchell Graham Young Kelly Ross Walker "
    "Li Wang Chen Zhang Liu Wong Lee Kim Park Nguyen Tran Singh Patel Sharma Gill Sandhu "
    "Dhillon Ahmed Khan Ali Hussain Rahman Mensah Okafor Haddad Nasser Cohen Rossi Silva"
).split()
SURNAMES_FR = (  # noqa: SIM905
    "Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet "
    "Pelletier Bélanger Lévesque Bergeron Leblanc Paquette Girard Simard Boucher Caron "
    "Beaulieu Cloutier Dubé Poirier Fournier Lapointe Leclerc Lefebvre Poulin Thibault "
    "St-Pierre Nadeau Martel Landry Cormier Richard Arsenault Robichaud Savoie"
).split()

# Where physicians are: roughly the provinces' share of Canada's physicians.
PROVINCE_WEIGHTS = {
    "ON": 38, "QC": 23, "BC": 13, "AB": 11, "MB": 3.5, "SK": 3, "NS": 3,
    "NB": 2, "NL": 1.8, "PE": 0.4, "NT": 0.15, "YT": 0.1, "NU": 0.05,
}  # fmt: skip
INSTITUTIONS = {
    "ON": ["University of Toronto", "McMaster University", "Queen's University",
           "Western University", "University of Ottawa", "NOSM University"],
    "QC": ["McGill University", "Université de Montréal", "Université Laval",
           "Université de Sherbrooke"],
    "BC": ["University of British Columbia"],
    "AB": ["University of Alberta", "University of Calgary"],
    "MB": ["University of Manitoba"],
    "SK": ["University of Saskatchewan"],
    "NS": ["Dalhousie University"],
    "NB": ["Dalhousie Medicine New Brunswick", "Centre de formation médicale du Nouveau-Brunswick"],
    "NL": ["Memorial University of Newfoundland"],
    "PE": ["Queen Elizabeth Hospital"],
    "NT": ["Stanton Territorial Hospital"],
    "YT": ["Whitehorse General Hospital"],
    "NU": ["Qikiqtani General Hospital"],
}  # fmt: skip
CITIES = {
    "ON": ["Toronto", "Ottawa", "Hamilton", "London", "Kingston", "Sudbury", "Thunder Bay"],
    "QC": ["Montréal", "Québec", "Sherbrooke", "Gatineau", "Trois-Rivières", "Rimouski"],
    "BC": ["Vancouver", "Victoria", "Kelowna", "Prince George", "Surrey"],
    "AB": ["Edmonton", "Calgary", "Lethbridge", "Red Deer"],
    "MB": ["Winnipeg", "Brandon", "Thompson"],
    "SK": ["Saskatoon", "Regina", "Prince Albert"],
    "NS": ["Halifax", "Sydney", "Truro"],
    "NB": ["Moncton", "Saint John", "Fredericton", "Bathurst"],
    "NL": ["St. John's", "Corner Brook", "Gander"],
    "PE": ["Charlottetown", "Summerside"],
    "NT": ["Yellowknife", "Inuvik"],
    "YT": ["Whitehorse", "Dawson City"],
    "NU": ["Iqaluit", "Rankin Inlet"],
}  # fmt: skip
STAGE_WEIGHTS = {
    "medical-student": 12, "resident-pgy1": 5, "resident-pgy2": 5, "resident-pgy3": 4,
    "resident-pgy4": 3, "resident-pgy5": 3, "resident-pgy6": 0.5, "resident-pgy7": 0.3,
    "fellow": 4, "early-career": 16, "mid-career": 25, "late-career": 15, "retired": 5,
}  # fmt: skip
TRAINEES = {"medical-student", "resident-pgy1", "resident-pgy2", "resident-pgy3",
            "resident-pgy4", "resident-pgy5", "resident-pgy6", "resident-pgy7"}  # fmt: skip
OTHER_LANGUAGES = ["cmn", "yue", "pa", "es", "ar", "tl", "hi", "ur", "fa", "pt", "it", "ko"]


@dataclass
class Person:
    user: User
    profile: Profile
    m2m: dict[str, list[int]] = field(default_factory=dict)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _sample(rng: random.Random, items: Sequence[Any], low: int, high: int) -> list[Any]:
    return rng.sample(list(items), min(len(items), rng.randint(low, high)))


class Generator:
    """Makes person ``k`` of a seed, always the same."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        vocab = taxonomy()
        self.vocab = vocab
        self.stages = {t.code: t for t in vocab["career-stages"].active()}
        specialties = vocab["specialties"].active()
        self.family = [t for t in specialties if t.code == "family-medicine"]
        self.fm_areas = [t for t in specialties if t.code.startswith("fm-")]
        self.rc = [t for t in specialties if t.code != "family-medicine" and t not in self.fm_areas]
        self.code = {name: {t.code: t.pk for t in v.active()} for name, v in vocab.items()}
        self.interests = [t.pk for t in vocab["interests"].active()]
        self.goals = [t.pk for t in vocab["goals"].active()]
        self.cadences = [t.pk for t in vocab["cadences"].active()]
        self.modalities = [t.pk for t in vocab["modalities"].active()]
        self.provinces = {t.code: t for t in vocabulary_of(vocab, Province).active()}
        self.password = make_password(None)  # unusable: seeded people cannot log in

    def _specialty(self, rng: random.Random) -> Any:
        draw = rng.random()
        if draw < 0.40:
            return self.family[0]
        if draw < 0.47:
            return rng.choice(self.fm_areas)
        return rng.choice(self.rc)

    def person(self, k: int) -> Person:
        rng = random.Random(self.seed * 1_000_003 + k)
        province = _weighted(rng, PROVINCE_WEIGHTS)
        french = rng.random() < {"QC": 0.85, "NB": 0.35, "ON": 0.08}.get(province, 0.02)
        given = rng.choice(GIVEN_FR if french else GIVEN_EN)
        surname = rng.choice(SURNAMES_FR if french else SURNAMES_EN)
        stage = _weighted(rng, STAGE_WEIGHTS)
        specialty = self._specialty(rng)
        title = "" if stage == "medical-student" else "Dr. "
        name = f"{given} {surname}"
        languages = [self.code["languages"]["fr" if french else "en"]]
        if (french and rng.random() < 0.7) or (not french and rng.random() < 0.12):
            languages.append(self.code["languages"]["en" if french else "fr"])
        if rng.random() < 0.15:
            languages.append(self.code["languages"][rng.choice(OTHER_LANGUAGES)])
        trainee = stage in TRAINEES
        if trainee:
            is_mentee, is_mentor = True, rng.random() < 0.12
        elif stage in ("fellow", "early-career"):
            is_mentor = rng.random() < 0.75
            is_mentee = not is_mentor or rng.random() < 0.4
        else:
            is_mentor, is_mentee = True, stage == "mid-career" and rng.random() < 0.15
        capacity = rng.choice([1, 1, 2, 2, 3, 3, 4, 5]) if is_mentor else 1
        institution = rng.choice(INSTITUTIONS[province])
        interests = _sample(rng, self.interests, 1, 4)
        sought = _sample(rng, self.goals, 2, 4) if is_mentee else []
        offered = _sample(rng, self.goals, 2, 5) if is_mentor else []
        vocab = self.vocab
        spec_label = specialty.label_fr if french else specialty.label_en
        stage_term = self.stages[stage]
        interest_labels = ", ".join(
            (
                vocab["interests"].by_id[i].label_fr
                if french
                else vocab["interests"].by_id[i].label_en
            ).lower()
            for i in interests
        )
        if french:
            bio = (
                f"{stage_term.label_fr}, {spec_label.lower()}, {institution}. "
                f"Intérêts : {interest_labels}."
            )
            offering = (
                f"Heureux d'aider en {spec_label.lower()} et pour {interest_labels}."
                if is_mentor
                else ""
            )
        else:
            bio = (
                f"{stage_term.label_en} in {spec_label}, {institution}. "
                f"Interests: {interest_labels}."
            )
            offering = (
                f"Happy to help with {spec_label} and {interest_labels}." if is_mentor else ""
            )
        email = f"p{k:06d}.s{self.seed}@{EMAIL_DOMAIN}"
        user = User(
            email=email,
            name=title + name,
            language="fr" if french else "en",
            password=self.password,
        )
        accepting = rng.random() < 0.85
        setting = (
            PracticeSetting.RURAL if rng.random() < 0.15
            else PracticeSetting.REMOTE if province in ("NT", "YT", "NU")
            else rng.choice([PracticeSetting.ACADEMIC, PracticeSetting.COMMUNITY])
        )  # fmt: skip
        profile = Profile(
            display_name=title + name,
            career_stage_id=stage_term.pk,
            specialty_id=specialty.pk,
            institution=institution,
            department=spec_label,
            practice_setting=setting,
            province_id=self.provinces[province].pk,
            city=rng.choice(CITIES[province]),
            bio=bio,
            is_mentee=is_mentee,
            is_mentor=is_mentor,
            seeking=""
            if not is_mentee
            else ("Conseils de carrière." if french else "Career advice."),
            offering=offering,
            mentor_capacity=capacity,
            accepting_mentees=accepting,
            active_mentees=rng.randint(0, capacity) if is_mentor else 0,
            cadence_id=rng.choice(self.cadences),
            modality_id=rng.choice(self.modalities),
            time_zone=self.provinces[province].time_zone,
            gender=rng.choice(
                [Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, Gender.NON_BINARY, ""]
            ),
            city_visibility=rng.choice([Visibility.PRIVATE, Visibility.MEMBERS]),
            pronouns_visibility=Visibility.PRIVATE,
            prefers_same_language=rng.choice([0, 0, 1, 2, 3]),
            prefers_same_gender=rng.choice([0, 0, 0, 1, 3]),
            is_complete=True,
        )
        profile.search_text = search_text_for(
            names=[profile.display_name, name],
            bio=bio,
            offering=offering,
            specialty_ids=[specialty.pk],
            interest_ids=interests,
            goal_offered_ids=offered,
        )
        profile.languages_bits = term_bits(languages)
        profile.interests_bits = term_bits(interests)
        profile.goals_offered_bits = term_bits(offered)
        m2m = {"languages": languages, "interests": interests, "goals_sought": sought,
               "goals_offered": offered}  # fmt: skip
        return Person(user, profile, m2m)


def seeded_count(seed: int = 0) -> int:
    return User.objects.filter(email__endswith=f".s{seed}@{EMAIL_DOMAIN}").count()


def seed_people(count: int, *, seed: int = 0, progress: Callable[[int], None] | None = None) -> int:
    """Make sure persons 0..count-1 of ``seed`` exist; return how many were added."""
    existing = seeded_count(seed)
    generator = Generator(seed)
    added = 0
    for start in range(existing, count, BATCH):
        people = [generator.person(k) for k in range(start, min(start + BATCH, count))]
        _store(people)
        added += len(people)
        if progress is not None:
            progress(existing + added)
    return added


@transaction.atomic
def _store(people: list[Person]) -> None:
    """Users and profiles through the ORM; the many link rows by ``executemany``."""
    users = User.objects.bulk_create([p.user for p in people])
    for person, user in zip(people, users, strict=True):
        person.profile.user_id = user.pk
    profiles = Profile.objects.bulk_create([p.profile for p in people])
    columns = {"languages": "language_id", "interests": "interestarea_id",
               "goals_sought": "goal_id", "goals_offered": "goal_id"}  # fmt: skip
    with connection.cursor() as cursor:
        for name, column in columns.items():
            table = getattr(Profile, name).through._meta.db_table
            rows = [
                (profile.pk, term)
                for person, profile in zip(people, profiles, strict=True)
                for term in person.m2m[name]
            ]
            cursor.executemany(f"INSERT INTO {table} (profile_id, {column}) VALUES (%s, %s)", rows)
