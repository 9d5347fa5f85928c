"""search_word without a unique key: with one, two editors saving records with each other's new
words in crossing order deadlocked on the key, and a long import made every save that added
one of its new words wait for it. The triggers now add a word unless it is already listed; a
word two transactions add at once is listed twice, which costs nothing (the look-up takes
each word once)."""

from django.db import migrations

ADD_UNLESS_LISTED = """
CREATE OR REPLACE FUNCTION search_word_collect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_word (word)
    SELECT DISTINCT new_words.word
    FROM (SELECT unnest(tsvector_to_array(search_vector)) AS word FROM new_rows) AS new_words
    WHERE NOT EXISTS (SELECT 1 FROM search_word WHERE search_word.word = new_words.word);
    RETURN NULL;
END
$$
"""

ADD_ON_CONFLICT = """
CREATE OR REPLACE FUNCTION search_word_collect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_word (word)
    SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM new_rows
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_word DROP CONSTRAINT search_word_pkey")
    schema_editor.execute("CREATE INDEX search_word_word ON search_word (word)")
    schema_editor.execute(ADD_UNLESS_LISTED)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DELETE FROM search_word AS later USING search_word AS earlier "
        "WHERE later.word = earlier.word AND later.ctid > earlier.ctid"
    )
    schema_editor.execute("DROP INDEX search_word_word")
    schema_editor.execute("ALTER TABLE search_word ADD PRIMARY KEY (word)")
    schema_editor.execute(ADD_ON_CONFLICT)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_word_list")]

    operations = [migrations.RunPython(forward, backward)]
