"""The three programs named in the founding brief (docs: /work/briefs/DOMAIN.md, "Known
programs"), with the facts their names state and nothing more: name, organisation,
audience and region where the name implies them. Everything else (specialties, formats,
languages, cost, how to join, status) is not known and stays empty, shown as "unknown";
no listing counts as verified, so all three wait in the moderators' review list.

- ICRE is the Royal College of Physicians and Surgeons of Canada's International
  Conference on Residency Education (in French, Conférence internationale sur la formation
  des résidents, CIFR): international by name; audience not stated.
- The University of Ottawa (Université d'Ottawa) is in Ontario; a faculty's Student
  Affairs Office serves its students.
- The Saskatchewan Medical Association is Saskatchewan's; its program's name pairs students
  with physicians. The association has no French name of its own, so it is kept in
  English, as is the program's proper name.
"""

import uuid

from django.db import migrations
from django.utils import timezone

PROGRAMS = [
    {
        "uuid": uuid.UUID("5b0c8a57-6a1e-4c8e-9d51-3c2f7e0a1c01"),
        "name_en": "International Conference on Residency Education (ICRE) Mentorship Program",
        "name_fr": "Programme de mentorat de la Conférence internationale sur la formation "
        "des résidents (CIFR)",
        "organisation_en": "Royal College of Physicians and Surgeons of Canada",
        "organisation_fr": "Collège royal des médecins et chirurgiens du Canada",
        "description_en": "A mentorship program of the International Conference on Residency "
        "Education (ICRE), organised by the Royal College of Physicians and Surgeons of Canada.",
        "description_fr": "Programme de mentorat de la Conférence internationale sur la "
        "formation des résidents (CIFR), organisée par le Collège royal des médecins et "
        "chirurgiens du Canada.",
        "audiences": [],
        "region": "international",
    },
    {
        "uuid": uuid.UUID("5b0c8a57-6a1e-4c8e-9d51-3c2f7e0a1c02"),
        "name_en": "Student Affairs Office Mentorship Program",
        "name_fr": "Programme de mentorat du Bureau des affaires étudiantes",
        "organisation_en": "University of Ottawa, Faculty of Medicine",
        "organisation_fr": "Université d'Ottawa, Faculté de médecine",
        "description_en": "A mentorship program of the Student Affairs Office of the "
        "University of Ottawa's Faculty of Medicine, in Ontario.",
        "description_fr": "Programme de mentorat du Bureau des affaires étudiantes de la "
        "Faculté de médecine de l'Université d'Ottawa, en Ontario.",
        "audiences": ["students"],
        "region": "ON",
    },
    {
        "uuid": uuid.UUID("5b0c8a57-6a1e-4c8e-9d51-3c2f7e0a1c03"),
        "name_en": "Student-Physician Synergy Mentoring Program",
        "name_fr": "Programme de mentorat Student-Physician Synergy",
        "organisation_en": "Saskatchewan Medical Association",
        "organisation_fr": "Saskatchewan Medical Association",
        "description_en": "A mentoring program of the Saskatchewan Medical Association that "
        "brings students and physicians together, in Saskatchewan.",
        "description_fr": "Programme de mentorat de la Saskatchewan Medical Association qui "
        "réunit des étudiants et des médecins, en Saskatchewan.",
        "audiences": ["students"],
        "region": "SK",
    },
]


def seed(apps, schema_editor):
    Listing = apps.get_model("directory", "Listing")
    now = timezone.now()
    for facts in PROGRAMS:
        Listing.objects.update_or_create(
            uuid=facts["uuid"],
            defaults={
                **{key: value for key, value in facts.items() if key != "uuid"},
                "source": "submitted",
                "status": "",
                "is_public": True,
                "published_at": now,
                "last_verified": None,
            },
        )


def unseed(apps, schema_editor):
    Listing = apps.get_model("directory", "Listing")
    Listing.objects.filter(uuid__in=[facts["uuid"] for facts in PROGRAMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
