"""Key rotation for the text encrypted at rest."""

from __future__ import annotations

from django.db import connection, transaction

from medmentor.mentorships.crypto import EncryptedTextField, rotate
from medmentor.mentorships.models import CheckIn, Message, Note

ENCRYPTED = ((Note, "body"), (Message, "body"), (CheckIn, "note_for_coordinator"))


@transaction.atomic
def notes_key_rotate() -> int:
    """Re-encrypt the raw stored values with the first key (no plain text in between
    leaves the process). Returns how many values were rewritten."""
    count = 0
    for model, name in ENCRYPTED:
        table = model._meta.db_table
        field = model._meta.get_field(name)
        assert isinstance(field, EncryptedTextField)  # ENCRYPTED names columns, never relations
        column = field.column
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {column} FROM {table} WHERE {column} <> ''")
            rows = cursor.fetchall()
            for pk, stored in rows:
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s WHERE id = %s",
                    [rotate(stored), pk],
                )
                count += 1
    return count
