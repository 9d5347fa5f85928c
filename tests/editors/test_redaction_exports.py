"""A redaction and the prebuilt downloads: no build kept in the exports' storage, the current
ones nor those kept for downloads still in flight, holds the removed name afterwards."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from opendata.builds import STORAGE_FOLDER, build_stale_files
from tests.editors.test_redaction import NAME, save

pytestmark = pytest.mark.django_db

# As a file may write her name: plain, JSON's escapes of its Polish letter, or folded.
WRITTEN = ["wiśniewska", "wi\\u015bniewska", "wisniewska"]


def stored_texts():
    """{file name: its text, a zip's members' included} of every file in the exports' storage."""
    texts = {}
    for path in sorted((Path(settings.MEDIA_ROOT) / STORAGE_FOLDER).glob("*")):
        body = path.read_bytes()
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(name) for name in archive.namelist())
        texts[path.name] = body.decode("utf-8", "replace").casefold()
    return texts


def naming(texts):
    return sorted(name for name, text in texts.items() if any(w in text for w in WRITTEN))


def test_a_redaction_leaves_no_build_naming_the_person_in_the_exports_storage(
    world, login, client, django_capture_on_commit_callbacks
):
    own = world["own"]
    editor = login("kultura")
    save(editor, own["postulate"], content=f"Postulat zgłoszony przez: {NAME}.")
    build_stale_files(force=True)
    # A later change builds the files again; the builds it replaced are kept for downloads
    # that started from them, and they name her too.
    save(editor, own["postulate"], content=f"Postulat zgłoszony przez: {NAME}, poprawiony.")
    build_stale_files(force=True)
    named_before = naming(stored_texts())
    # The postulates' CSV twice: the current build and the one it replaced.
    assert len([n for n in named_before if n.startswith("postulaty-") and n.endswith(".csv")]) == 2
    client.logout()

    coordinator = login("koordynator")
    add = reverse("admin:history_redaction_add")
    with django_capture_on_commit_callbacks(execute=True):
        done = coordinator.post(add, {"name": NAME, "previewed": NAME})
    assert done.status_code == 302

    assert naming(stored_texts()) == []
    # The downloads are built anew from the redacted archive.
    build_stale_files()
    texts = stored_texts()
    assert texts and naming(texts) == []
    assert any("[dane osobowe usunięte]" in text for text in texts.values())
