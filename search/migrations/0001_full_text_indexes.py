"""GIN indexes for full-text search on PostgreSQL; SQLite searches the same text unindexed."""

from django.db import migrations

SEARCHABLE = [
    ("meetings", "meeting"),
    ("meetings", "document"),
    ("postulates", "postulate"),
    ("postulates", "position"),
    ("organisations", "organisation"),
]


def full_text_index(model_name):
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    # The very expression search.engine filters on, so PostgreSQL can use the index.
    return GinIndex(SearchVector("search_text", config="simple"), name=f"{model_name}_fulltext")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name in SEARCHABLE:
        schema_editor.add_index(apps.get_model(app_label, model_name), full_text_index(model_name))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name in SEARCHABLE:
        schema_editor.remove_index(
            apps.get_model(app_label, model_name), full_text_index(model_name)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_search_text"),
        ("postulates", "0003_search_text"),
        ("organisations", "0002_search_text"),
    ]

    operations = [migrations.RunPython(create, drop)]
