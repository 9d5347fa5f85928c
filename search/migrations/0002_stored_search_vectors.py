"""On PostgreSQL, keep each record's tsvector in a generated column instead of recomputing
it for every match: ranking (ts_rank) and index rechecks then read it instead of re-parsing
the text. SQLite has no such column; it searches search_text directly."""

from django.db import migrations

from search.migrations import SEARCHABLE_TABLES, add_search_vector


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, model_name in SEARCHABLE_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {model_name}_fulltext")
        add_search_vector(schema_editor, table, model_name)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, model_name in SEARCHABLE_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {model_name}_fulltext")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
        schema_editor.execute(
            f"CREATE INDEX {model_name}_fulltext ON {table} USING gin "
            "(to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_full_text_indexes")]

    operations = [migrations.RunPython(create, drop)]
