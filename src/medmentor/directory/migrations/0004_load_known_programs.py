"""The programs MedMentor lists itself (``directory/data/programs.json``; see
``medmentor.directory.known_programs``). It updates the three programs of the founding
brief that 0002 seeded, by their UUIDs, rather than adding them twice; they stay unlisted
until someone finds their official page or contact. Running it again (or
``manage.py directory_load_programs``) updates the listings and adds none twice."""

from django.db import migrations

from medmentor.directory.known_programs import known_programs, load_known_programs


def load(apps, schema_editor):
    load_known_programs(apps.get_model("directory", "Listing"), known_programs())


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_listing_upkeep")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
