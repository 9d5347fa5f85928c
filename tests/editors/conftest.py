import datetime

import pytest
from django.core.management import call_command

from tests.factories import (
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    PositionFactory,
    PostulateFactory,
)

PASSWORD = "Archiwum-Krakow-2026!"


@pytest.fixture
def world(db, monkeypatch):
    """Two departments with one meeting each (a document, a postulate, an answer), an
    editor for each department and a coordinator, all created the way staff would be."""
    culture = DepartmentFactory(name="Wydział Kultury")
    sport = DepartmentFactory(name="Wydział Sportu")
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("add_editor", "kultura", "--department", culture.slug, "--noinput", verbosity=0)
    call_command("add_editor", "sport", "--department", sport.slug, "--noinput", verbosity=0)
    call_command("add_editor", "koordynator", "--coordinator", "--noinput", verbosity=0)

    def meeting_of(department, title):
        meeting = MeetingFactory(
            title=title, departments=[department], dates=[datetime.date(2025, 6, 11)]
        )
        document = DocumentFactory(meeting=meeting, title=f"Podsumowanie: {title}")
        # A fixed number, not the session-wide sequence, which may reach the numbers tests give
        # the postulates they add (1, 77, 99, ...).
        postulate = PostulateFactory(meeting=meeting, number=1000, content=f"Postulat: {title}")
        position = PositionFactory(postulate=postulate, justification=f"Odpowiedź: {title}")
        return {
            "meeting": meeting,
            "document": document,
            "postulate": postulate,
            "position": position,
        }

    return {
        "culture": culture,
        "sport": sport,
        "own": meeting_of(culture, "Spotkanie kultury"),
        "other": meeting_of(sport, "Spotkanie sportu"),
    }


@pytest.fixture
def login(client, django_user_model):
    def as_user(username):
        client.force_login(django_user_model.objects.get(username=username))
        return client

    return as_user
