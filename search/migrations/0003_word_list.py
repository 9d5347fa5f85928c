"""On PostgreSQL, list every word the full-text indexes hold, so the search can turn a typed
prefix into the words that begin with it (search/engine.py, full_text_query).

The GIN index serves a prefix ("konkurs:*") by gathering every entry that begins with it, which
for a common word cost most of a search; the same words matched exactly were two to three
times faster. Triggers keep the list, so no way of writing a record (the ORM, bulk loads, raw
SQL) can leave a word out, which would hide the record from a search. Words are only ever
added: a word no record holds any more costs one empty index probe. SQLite has no full-text
index and no list; it matches search_text directly.
"""

from django.db import migrations

from search.migrations import SEARCHABLE_TABLES, collect_words, stop_collecting_words

# The byte order of "C" makes every word beginning with a prefix a contiguous range.
CREATE_TABLE = 'CREATE TABLE search_word (word text COLLATE "C" PRIMARY KEY)'

COLLECT = """
CREATE FUNCTION search_word_collect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_word (word)
    SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM new_rows
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_TABLE)
    schema_editor.execute(COLLECT)
    for table, model_name in SEARCHABLE_TABLES:
        collect_words(schema_editor, table, model_name)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, model_name in SEARCHABLE_TABLES:
        stop_collecting_words(schema_editor, table, model_name)
    schema_editor.execute("DROP FUNCTION search_word_collect()")
    schema_editor.execute("DROP TABLE search_word")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_stored_search_vectors")]

    operations = [migrations.RunPython(create, drop)]
