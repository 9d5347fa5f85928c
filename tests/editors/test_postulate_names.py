"""A postulate is named by the start of its content (admin lists, the change register's
titles, feeds): cut at a whole word and ended with "…", never inside a word with no sign of
the cut. Register rows written with the old name get the new one (history migration 0009)."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from history.models import RegisterEntry
from tests.editors.test_redaction import save
from tests.factories import PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("history.migrations.0009_postulate_titles_cut_at_a_word")

LONG = (
    "Zwiększyć finansowanie konkursów dla organizacji pozarządowych działających "
    "w dzielnicach Krakowa: Nowej Hucie i Podgórzu"
)
NAMED = "Postulat nr 1000: Zwiększyć finansowanie konkursów dla organizacji…"


def text_of(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_a_long_postulate_is_named_by_whole_words_in_the_register_and_the_admin(
    world, login, client
):
    postulate = world["own"]["postulate"]
    editor = login("kultura")
    save(editor, postulate, content=LONG)
    assert RegisterEntry.objects.filter(object_id=postulate.pk).latest("at").title == NAMED
    changelist = text_of(editor.get(reverse("admin:postulates_postulate_changelist")))
    # The admin's list shows more of it (100 characters), cut the same way.
    shown = "Zwiększyć finansowanie konkursów dla organizacji pozarządowych działających w dzielnicach Krakowa…"
    assert shown in changelist
    client.logout()
    register = text_of(client.get(reverse("history:register")))
    assert NAMED in register
    assert "organizacji pozarządowy " not in register


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("Krótki postulat.", "Krótki postulat."),
        # Exactly the limit: whole, with no "…".
        ("a" * 20 + " " + "b" * 39, "a" * 20 + " " + "b" * 39),
        # A comma before the cut is left out; lines are joined.
        ("Więcej ławek,\nkoszy i zieleni w parkach, na skwerach, przy szkołach i żłobkach", None),
        # One word longer than the limit: cut inside it, but the "…" says so.
        ("x" * 70, "x" * 60 + "…"),
    ],
)
def test_a_postulates_name(content, named):
    postulate = PostulateFactory(number=7, content=content)
    if named is None:
        named = "Więcej ławek, koszy i zieleni w parkach, na skwerach, przy…"
    assert str(postulate) == f"Postulat nr 7: {named}"


def test_register_rows_named_with_the_old_cut_get_the_new_name(world):
    postulate = PostulateFactory(number=12, content=LONG)
    position = PositionFactory(postulate=postulate)
    old = f"Postulat nr 12: {LONG[:60]}"
    new = "Postulat nr 12: Zwiększyć finansowanie konkursów dla organizacji…"

    def row(record, title):
        return RegisterEntry.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            at=postulate.updated_at,
            kind="poprawiono",
            title=title,
            url=record.get_absolute_url(),
        )

    rows = [row(postulate, old), row(position, f"{position.outcome}: {old}")]
    # Written when the postulate said something else: left as written.
    earlier = row(postulate, "Postulat nr 12: Zmniejszyć finansowanie konkursów dla organizacji")

    MIGRATION.cut_at_a_word(apps, None)

    assert [RegisterEntry.objects.get(pk=r.pk).title for r in rows] == [
        new,
        f"{position.outcome}: {new}",
    ]
    earlier.refresh_from_db()
    assert earlier.title == "Postulat nr 12: Zmniejszyć finansowanie konkursów dla organizacji"
