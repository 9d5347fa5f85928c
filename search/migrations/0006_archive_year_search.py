"""Years of the archive are searched like the other records: the words of a year's
introduction find the year's page. On PostgreSQL the table gets the same generated tsvector,
GIN index and word-list triggers as the others (migrations 0002 and 0003); then every year's
text is filled, which the triggers list in search_word."""

from django.db import migrations

from search.migrations import add_search_vector, collect_words, stop_collecting_words
from search.text import search_text

TABLE, NAME = "meetings_archiveyear", "archiveyear"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        add_search_vector(schema_editor, TABLE, NAME)
        collect_words(schema_editor, TABLE, NAME)
    ArchiveYear = apps.get_model("meetings", "ArchiveYear")
    for year in ArchiveYear.objects.all():
        # As ArchiveYear.search_parts() reads it when this migration was written.
        year.search_text = search_text(year.intro)
        year.save(update_fields=["search_text"])


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        stop_collecting_words(schema_editor, TABLE, NAME)
        schema_editor.execute(f"DROP INDEX {NAME}_fulltext")
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_word_similarity"),
        ("meetings", "0010_archive_year_search_text"),
    ]

    operations = [migrations.RunPython(create, drop)]
