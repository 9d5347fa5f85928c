"""On PostgreSQL, trigram indexes of what the admin's postulate search reads with LIKE (its
content, as the admin's search upper-cases it, and the stored folded search text), so a search
of 100,000 postulates reads the indexes, not every row (postulates.admin.PostulateAdmin).
SQLite has no trigram indexes and reads the table."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "postulate_content_trigrams": "UPPER(content) gin_trgm_ops",
    "postulate_search_text_trigrams": "search_text gin_trgm_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, expression in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON postulates_postulate USING gin ({expression})"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("postulates", "0012_postulate_search_day"),
        ("search", "0005_word_similarity"),
    ]

    operations = [TrigramExtension(), migrations.RunPython(create_indexes, drop_indexes)]
