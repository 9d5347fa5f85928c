"""Text stored before admin input was composed (NFC) held letters and their accents apart,
and "Czy chodziło Ci o" offered the fragments the search read them as ("abiniec" of a
decomposed "Żabiniec"). Search migration 0007 composes the stored text and lists the
search's words anew: only the whole word is offered afterwards."""

import datetime
import importlib
import unicodedata

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from pytest_django.asserts import assertContains

from history.models import RegisterEntry
from meetings.models import Meeting
from search.suggestions import _sqlite_vocabulary
from search.text import fold
from tests.factories import ArchiveYearFactory, DepartmentFactory, MeetingFactory, PostulateFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("search.migrations.0007_stored_text_composed")
COMPOSED = "Spotkanie o parku Żabiniec"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


class MigrationEditor:
    """What the migration's function asks of its schema editor: the connection and plain SQL
    (SQLite's own schema editor refuses to open inside a test's transaction)."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def listed_words():
    """The words "Czy chodziło Ci o" chooses from."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT word FROM search_word")
            return {row[0] for row in cursor.fetchall()}
    return set(_sqlite_vocabulary())


def stored_before_the_guard(record, **text):
    """`text` written as it was before input was composed: past the admin, and its search
    text folded the old way (a decomposed accent parts a word)."""
    model = type(record)
    model.objects.filter(pk=record.pk).update(**text)
    record.refresh_from_db()
    old_words = fold(" ".join(str(part) for part in record.search_parts() if part)).split()
    model.objects.filter(pk=record.pk).update(search_text=f" {' '.join(old_words)} ")


def test_the_migration_leaves_only_composed_words_to_suggest(client):
    meeting = MeetingFactory(
        title="Zieleń miejska",
        year=ArchiveYearFactory(year=2025),
        dates=[datetime.date(2025, 5, 6)],
        departments=[DepartmentFactory()],
    )
    stored_before_the_guard(meeting, topic=DECOMPOSED)
    postulate = PostulateFactory(meeting=meeting)
    stored_before_the_guard(postulate, content=f"Ławki w {DECOMPOSED}")
    assert "abiniec" in listed_words()  # the fragment, offered before
    assertContains(client.get("/szukaj/", {"q": "abinieec"}), '<a href="?q=abiniec">abiniec</a>')

    assert MIGRATION.compose_stored_text(apps, MigrationEditor()) >= 2

    meeting.refresh_from_db()
    postulate.refresh_from_db()
    assert meeting.topic == COMPOSED
    assert postulate.content == f"Ławki w {COMPOSED}"
    assert " zabiniec " in meeting.search_text
    words = listed_words()
    assert "zabiniec" in words
    assert not {"abiniec", "abinie"} & words
    assert not any(unicodedata.combining(char) for word in words for char in word)
    response = client.get("/szukaj/", {"q": "zabinieec"})
    # Offered as the records write it, whole.
    assertContains(response, '<a href="?q=%C5%BBabiniec">Żabiniec</a>')
    assertContains(client.get("/szukaj/", {"q": "zabiniec"}), "Zieleń miejska")


def test_register_rows_titles_are_composed_too():
    meeting = MeetingFactory(title="Zieleń")
    row = RegisterEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Meeting),
        object_id=meeting.pk,
        at=meeting.created_at,
        kind="poprawiono",
        title=DECOMPOSED,
    )
    MIGRATION.compose_stored_text(apps, MigrationEditor())
    row.refresh_from_db()
    assert row.title == COMPOSED
