"""What an editor's outside pass found in the documents' admin: a zip bomb, a replaced file,
a document of no meeting, the text version's editor and deleting a text version."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accessibility.models import DocumentCheck
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def bomb_docx(megabytes=50):
    """A DOCX of some 50 KB whose document.xml inflates to `megabytes` MB of padding."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            member.write(f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            for _ in range(megabytes):
                member.write(b" " * 1024 * 1024)
            member.write(b"<w:p><w:r><w:t>Koniec</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


# 1. A zip bomb ------------------------------------------------------------------------------


def test_a_zip_bomb_is_stored_as_unreadable_with_the_rest_of_the_form(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form", title="Podsumowanie (bomba)")
    content = bomb_docx()
    assert len(content) < 60 * 1024
    data["file"] = SimpleUploadedFile("podsumowanie.docx", content)

    started = time.monotonic()
    response = client.post(url, data, follow=True)
    assert time.monotonic() - started < 10  # three passes over 50 MB took 60+ s

    assert response.status_code == 200
    [message] = [m for m in messages_of(response) if m.startswith("Plik dokumentu")]
    assert message.startswith(
        "Plik dokumentu „Podsumowanie (bomba)” jest uszkodzony lub nieczytelny: archiwum nie "
        "umie go otworzyć."
    )
    assert "<li>Blokuje odczyt: Plik uszkodzony lub nieczytelny:" in message
    document.refresh_from_db()
    assert document.title == "Podsumowanie (bomba)"
    assert document.file.name.endswith(".docx") and document.file_format == "DOCX"
    assert document.text == ""
    check = DocumentCheck.objects.get(document=document)
    assert check.unreadable and check.blocking
    assert document.html_version.blocks == []
