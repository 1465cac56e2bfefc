"""The standing open community: anyone without a program of their own finds a mentor here."""

import uuid

from django.db import migrations

OPEN_COMMUNITY_UUID = uuid.UUID("6f1c0c4e-5b8a-4f39-9d3e-0c0a5e1d7a01")
PRACTICE = ["early_career", "mid_career", "late_career"]


def create_open_community(apps, schema_editor):
    Program = apps.get_model("programs", "Program")
    Milestone = apps.get_model("programs", "Milestone")
    program, created = Program.objects.get_or_create(
        uuid=OPEN_COMMUNITY_UUID,
        defaults={
            "name_en": "MedMentor Open Community",
            "name_fr": "Communauté ouverte MedMentor",
            "description_en": (
                "For everyone without a mentorship program of their own. Physicians in "
                "practice offer to mentor or look for a mentor; residents and medical "
                "students look for a mentor. Mentees ask mentors directly."
            ),
            "description_fr": (
                "Pour toute personne qui n’a pas de programme de mentorat. Les médecins en "
                "exercice offrent du mentorat ou cherchent un mentor; les résidents et les "
                "étudiants en médecine cherchent un mentor. Les mentorés s’adressent "
                "directement aux mentors."
            ),
            "audience": "mixed",
            "region": "national",
            "is_listed": True,
            "enrolment_mode": "open",
            "matching_mode": "requests",
            "seniority_rule": "peer",
            "mentor_stages": PRACTICE,
            "mentee_stages": ["student", "resident", "fellow", *PRACTICE],
            "mentorship_months": 12,
            "max_open_requests": 3,
            "request_cascade_days": 7,
        },
    )
    if created:
        for position, (kind, label_en, label_fr, days) in enumerate(
            [
                ("first_meeting", "First meeting", "Première rencontre", 14),
                ("agreement_signed", "Agreement signed", "Entente signée", 30),
                ("check_in", "Mid-point check-in", "Bilan à mi-parcours", 180),
            ]
        ):
            Milestone.objects.create(
                program=program,
                position=position,
                kind=kind,
                label_en=label_en,
                label_fr=label_fr,
                due_after_days=days,
            )


def remove_open_community(apps, schema_editor):
    apps.get_model("programs", "Program").objects.filter(uuid=OPEN_COMMUNITY_UUID).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(create_open_community, remove_open_community)]
