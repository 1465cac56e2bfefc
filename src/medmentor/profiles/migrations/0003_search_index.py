"""PostgreSQL only: a GIN index for the full-text mentor search.

The search matches ``to_tsvector('simple', coalesce(search_text, ''))``, the very
expression indexed here (``simple``: no stemming, so English and French words both work;
``search_text`` is already lower-cased and stripped of accents). SQLite has no such index
and the search falls back to ``LIKE``.
"""

from django.db import migrations

INDEX = "profile_search_text_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON profiles_profile "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("profiles", "0002_load_taxonomy")]

    operations = [migrations.RunPython(create, drop)]
