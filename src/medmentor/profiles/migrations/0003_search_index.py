"""PostgreSQL only: the full-text search column and its GIN index.

``search_vector`` is a stored generated column, ``to_tsvector('simple', search_text)``
(``simple``: no stemming, so English and French words both match; ``search_text`` is
already lower-cased and stripped of accents by the services). Stored, so that matching
rows are never re-parsed; the GIN index is partial, over listed mentors only, the rows
the mentor search reads. The model does not declare the column: PostgreSQL fills it, and
only ``profiles.search`` reads it. SQLite has neither and the search uses ``LIKE``.
"""

from django.db import migrations

COLUMN = "search_vector"
INDEX = "profile_search_vector_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE profiles_profile ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple'::regconfig, COALESCE(search_text, ''))) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON profiles_profile USING gin ({COLUMN}) "
        "WHERE is_mentor AND is_complete"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"ALTER TABLE profiles_profile DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("profiles", "0002_load_taxonomy")]

    operations = [migrations.RunPython(create, drop)]
