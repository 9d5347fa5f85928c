"""On PostgreSQL, a trigram index of search_word, so a query that found nothing can be offered
the archive's closest words (search/suggestions.py). CreateExtension does nothing on SQLite,
which has no word list and compares with difflib instead."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_word_trigrams ON search_word USING gin (word gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX search_word_trigrams")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_word_list_without_waits")]

    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index)]
