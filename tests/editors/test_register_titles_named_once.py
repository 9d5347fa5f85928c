"""Register rows of a text version or an easy-read summary written while their titles held
their kind as well are named once after history migration 0008, on the site-wide register;
a row whose rest is not the record's title now is left as written."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse

from accessibility.models import DocumentText, EasyReadSummary
from history.models import RegisterEntry
from tests.accessibility.documents import docx_bytes

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("history.migrations.0008_register_titles_named_once")


def register_text(client):
    """The site-wide register as a reader reads it: its text, without the markup."""
    html = client.get(reverse("history:register")).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row_of(record, title):
    return RegisterEntry.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        at=record.updated_at,
        kind="poprawiono",
        title=title,
        url=record.get_absolute_url(),
    )


def test_rows_named_twice_are_named_once(world, client):
    document, meeting = world["own"]["document"], world["own"]["meeting"]
    document.file.save("podsumowanie.docx", ContentFile(docx_bytes()))
    version = DocumentText.objects.get(document=document)
    summary = EasyReadSummary.objects.create(meeting=meeting, text="Spotkanie o kulturze.")
    doubled = [
        row_of(version, f"Wersja tekstowa: {document.title}"),
        row_of(summary, f"Tekst łatwy do czytania: {meeting.title}"),
    ]
    renamed_since = row_of(version, "Wersja tekstowa: Dawny tytuł")
    register = register_text(client)
    assert f"Wersja tekstowa dokumentu: Wersja tekstowa: {document.title}" in register

    MIGRATION.name_once(apps, None)

    assert [RegisterEntry.objects.get(pk=row.pk).title for row in doubled] == [
        document.title,
        meeting.title,
    ]
    renamed_since.refresh_from_db()
    assert renamed_since.title == "Wersja tekstowa: Dawny tytuł"
    register = register_text(client)
    assert f"Wersja tekstowa: {document.title}" not in register
    assert f"Tekst łatwy do czytania: Tekst łatwy do czytania: {meeting.title}" not in register
