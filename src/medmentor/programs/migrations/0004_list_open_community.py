"""The open community in the public directory, as every listed program run on MedMentor
is (``programs.services.listing``); written here with the historical models."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

KEY = "program:6f1c0c4e-5b8a-4f39-9d3e-0c0a5e1d7a01"


def list_open_community(apps, schema_editor):
    Program = apps.get_model("programs", "Program")
    Listing = apps.get_model("directory", "Listing")
    program = Program.objects.filter(uuid=KEY.split(":", 1)[1]).first()
    if program is None or Listing.objects.filter(platform_key=KEY).exists():
        return
    Listing.objects.create(
        platform_key=KEY,
        source="medmentor",
        name_en=program.name_en,
        name_fr=program.name_fr,
        organisation_en="MedMentor",
        organisation_fr="MedMentor",
        description_en=program.description_en,
        description_fr=program.description_fr,
        audiences=["students", "residents", "physicians"],
        region=program.region,
        formats=["one-to-one"],
        cost="free",
        join_url=f"{settings.SITE_URL}/programs/{program.uuid}/",
        status="active",
        is_public=True,
        published_at=timezone.now(),
        last_verified=timezone.localdate(),
    )


def unlist_open_community(apps, schema_editor):
    apps.get_model("directory", "Listing").objects.filter(platform_key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_program_agreement_template_and_more"),
        ("directory", "0002_seed_known_programs"),
    ]

    operations = [migrations.RunPython(list_open_community, unlist_open_community)]
