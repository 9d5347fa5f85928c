# The tables holding a search_text column when migrations 0001–0003 ran, with the short name
# used for their indexes. A table made searchable later gets the same column, index and
# triggers from the functions below in a migration of its own (0006: years of the archive).
SEARCHABLE_TABLES = [
    ("meetings_meeting", "meeting"),
    ("meetings_document", "document"),
    ("postulates_postulate", "postulate"),
    ("postulates_position", "position"),
    ("organisations_organisation", "organisation"),
]


def add_search_vector(schema_editor, table, model_name):
    """The generated, GIN-indexed tsvector of `table`'s search_text (see migration 0002)."""
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple'::regconfig, COALESCE(search_text, ''))) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {model_name}_fulltext ON {table} USING gin (search_vector)")


def collect_words(schema_editor, table, model_name):
    """Triggers listing every word `table`'s vectors hold in search_word, and the words it
    holds already (see migration 0003)."""
    # Once per statement, with all its rows: a bulk load adds its words in one insert.
    for event in ("INSERT", "UPDATE"):
        schema_editor.execute(
            f"CREATE TRIGGER {model_name}_search_words_{event.lower()} AFTER {event} "
            f"ON {table} REFERENCING NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION search_word_collect()"
        )
    list_words(schema_editor, table)


def list_words(schema_editor, table):
    """Adds the words `table`'s vectors hold to search_word."""
    schema_editor.execute(
        "INSERT INTO search_word (word) SELECT DISTINCT "
        f"unnest(tsvector_to_array(search_vector)) FROM {table} ON CONFLICT DO NOTHING"
    )


def list_words_anew(schema_editor, tables):
    """search_word emptied and listed again from `tables` (names): a word no record holds any
    more is no longer offered by "Czy chodziło Ci o" (the list otherwise only grows)."""
    every_vector = " UNION ALL ".join(f"SELECT search_vector FROM {table}" for table in tables)
    schema_editor.execute("DELETE FROM search_word")
    schema_editor.execute(
        "INSERT INTO search_word (word) SELECT DISTINCT "
        f"unnest(tsvector_to_array(search_vector)) FROM ({every_vector}) AS vectors"
    )


def stop_collecting_words(schema_editor, table, model_name):
    for event in ("insert", "update"):
        schema_editor.execute(f"DROP TRIGGER {model_name}_search_words_{event} ON {table}")
