"""Text stored before every admin text field and every file's text were composed (NFC, see
core.control_characters.guard_text_field) may hold a letter and its accent as two
characters ("Z" and a combining dot for "Ż"): the search read such a word as two, and
"Czy chodziło Ci o" offered the fragments. This composes the stored free text of the
archive's records (and the register rows' titles), rebuilds the search text of every
searchable record when any changed, and on PostgreSQL lists the words the search offers anew,
so no fragment stays in the list (it otherwise only grows).

The search text is rebuilt by the code that keeps it (search.indexing), as the
update_search_text command does: it is made of several records' fields."""

from django.db import migrations, models

from core.control_characters import composed
from search.migrations import SEARCHABLE_TABLES, list_words_anew

# The apps whose models' text editors enter through the guarded admin fields or files.
APPS = (
    "departments",
    "organisations",
    "programmes",
    "meetings",
    "postulates",
    "accessibility",
    "history",
)
SEARCHED_TABLES = [table for table, _name in SEARCHABLE_TABLES] + ["meetings_archiveyear"]
CHUNK = 1000


def _text_fields(model):
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and f.name != "search_text"
    ]


def compose_stored_text(apps, schema_editor):
    """Composes the stored text; returns how many records changed."""
    changed = 0
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            fields = _text_fields(model)
            if not fields:
                continue
            rows = model._default_manager.order_by("pk").values_list("pk", *fields)
            fixes = []
            for pk, *values in rows.iterator(chunk_size=CHUNK):
                fixed = {
                    name: composed(value)
                    for name, value in zip(fields, values, strict=True)
                    if isinstance(value, str) and composed(value) != value
                }
                if fixed:
                    fixes.append((pk, fixed))
            # Written after reading: SQLite's cursor would see its own updates.
            for pk, fixed in fixes:
                model._default_manager.filter(pk=pk).update(**fixed)
            changed += len(fixes)
    if changed:
        from search.indexing import LOADED_FOR_TEXT, update_search_text

        for searchable in LOADED_FOR_TEXT:
            update_search_text(searchable, searchable._default_manager.order_by("pk"))
    if schema_editor.connection.vendor == "postgresql":
        list_words_anew(schema_editor, SEARCHED_TABLES)
    return changed


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_archive_year_search"),
        ("departments", "0004_published_change_index"),
        ("organisations", "0005_published_change_index"),
        ("programmes", "0004_published_change_index"),
        ("meetings", "0015_merge_session13_branches"),
        ("postulates", "0012_postulate_search_day"),
        ("accessibility", "0009_text_page_label"),
        ("history", "0007_merge_session13_branches"),
    ]

    operations = [migrations.RunPython(compose_stored_text, migrations.RunPython.noop)]
