"""A person of a meeting recorded without a legal basis, named inside an uploaded file: the
editor is told at upload, and the public text version and the search leave the file's text
out until the basis is recorded (or the name redacted). The file itself stays downloadable:
it is the editor's to replace (docs/editors.md)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains, assertNotContains

from meetings.models import Document, LegalBasis, MeetingPerson
from tests.accessibility.documents import _p, _word
from tests.admin_forms import form_data
from tests.editors.test_redaction import admin_url, save
from tests.files.builders import zip_bytes

pytestmark = pytest.mark.django_db


def docx_naming(text):
    body = _p("Notatka ze spotkania") + _p(text)
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
            "word/document.xml": _word("document", f"<w:body>{body}</w:body>"),
        }
    )


def test_a_file_naming_a_person_without_a_basis_is_flagged_and_its_text_withheld(
    world, login, client
):
    own = world["own"]
    meeting, document = own["meeting"], own["document"]
    person = MeetingPerson.objects.create(meeting=meeting, name="Anna Kowalska", role="mieszkanka")
    editor = login("kultura")
    url = admin_url(document)
    data = form_data(editor.get(url), "document_form")
    data["file"] = SimpleUploadedFile("notatka.docx", docx_naming("Głos zabrała Anna Kowalska."))
    response = editor.post(url, data, follow=True)
    assertContains(response, "wymienia osobę ze spotkania, której nazwisko nie ma podstawy")
    document.refresh_from_db()
    assert "Anna Kowalska" in document.text
    client.logout()

    text_page = client.get(document.get_text_url())
    assertContains(text_page, "Wersja tekstowa tego dokumentu jest wstrzymana")
    assertNotContains(text_page, "Kowalska")
    search = client.get("/szukaj/?q=kowalska")
    assertNotContains(search, document.title)
    assertNotContains(search, "Kowalska")

    # With her basis recorded on the meeting's page, the text is public and found.
    editor = login("kultura")
    save(
        editor,
        meeting,
        **{
            "people-0-legal_basis": LegalBasis.OFFICIAL,
            "people-0-role": "radna dzielnicy",
        },
    )
    person.refresh_from_db()
    assert person.legal_basis == LegalBasis.OFFICIAL
    client.logout()
    assertContains(client.get(document.get_text_url()), "Głos zabrała Anna Kowalska.")
    assertContains(client.get("/szukaj/?q=kowalska"), document.title)


def test_a_file_naming_no_one_without_a_basis_is_public_at_once(world, login, client):
    document = world["own"]["document"]
    editor = login("kultura")
    url = admin_url(document)
    data = form_data(editor.get(url), "document_form")
    data["file"] = SimpleUploadedFile("notatka.docx", docx_naming("Głos zabrała mieszkanka."))
    response = editor.post(url, data, follow=True)
    assertNotContains(response, "nie ma podstawy")
    client.logout()
    assertContains(client.get(Document.objects.get(pk=document.pk).get_text_url()), "Głos zabrała")


def test_a_redaction_withdraws_the_file_naming_her_and_redacts_its_text(
    world, login, client, django_capture_on_commit_callbacks
):
    own = world["own"]
    meeting, document = own["meeting"], own["document"]
    MeetingPerson.objects.create(
        meeting=meeting, name="Anna Kowalska", role="radna", legal_basis=LegalBasis.OFFICIAL
    )
    editor = login("kultura")
    url = admin_url(document)
    data = form_data(editor.get(url), "document_form")
    data["file"] = SimpleUploadedFile(
        "notatka Anny Kowalskiej.docx", docx_naming("Głos zabrała Anna Kowalska.")
    )
    editor.post(url, data)
    document.refresh_from_db()
    assert "kowalsk" in document.file.name
    download = document.get_download_url()
    client.logout()
    assert client.get(download).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        done = login("koordynator").post(
            "/admin/history/redaction/add/",
            {"name": "Anna Kowalska", "previewed": "Anna Kowalska"},
        )
    assert done.status_code == 302
    document.refresh_from_db()
    assert document.file_withdrawn
    # The admin names the stored file, its check and its text version without her.
    for page in (
        login("koordynator").get(url),
        client.get(f"/admin/accessibility/documenttext/{document.html_version.pk}/change/"),
    ):
        assert page.status_code == 200
        assert "kowalsk" not in page.content.decode().lower()
    assertContains(login("koordynator").get(url), "Plik wycofany z pobierania")
    client.logout()

    page = client.get(document.get_absolute_url())
    assertContains(page, "Plik wycofano z pobierania: zawierał dane osobowe")
    assertNotContains(page, "Pobierz dokument")
    assert client.get(download).status_code == 404
    text_page = client.get(document.get_text_url())
    assertContains(text_page, "Głos zabrała [dane osobowe usunięte].")
    assertContains(text_page, "wycofany z pobierania")
    assert "kowalsk" not in text_page.content.decode().lower()

    # A file without the name, uploaded by the editor, is served again.
    editor = login("kultura")
    data = form_data(editor.get(url), "document_form")
    data["file"] = SimpleUploadedFile("notatka.docx", docx_naming("Głos zabrała radna."))
    editor.post(url, data)
    document.refresh_from_db()
    assert not document.file_withdrawn
    client.logout()
    assert client.get(document.get_download_url()).status_code == 200


def test_a_person_with_a_basis_named_in_a_file_cannot_be_deleted_from_the_list(
    world, login, client
):
    own = world["own"]
    meeting, document = own["meeting"], own["document"]
    MeetingPerson.objects.create(
        meeting=meeting, name="Anna Kowalska", role="radna", legal_basis=LegalBasis.OFFICIAL
    )
    editor = login("kultura")
    url = admin_url(document)
    data = form_data(editor.get(url), "document_form")
    data["file"] = SimpleUploadedFile("notatka.docx", docx_naming("Głos zabrała Anna Kowalska."))
    editor.post(url, data)
    meeting_url = admin_url(meeting)
    response = editor.post(
        meeting_url,
        form_data(editor.get(meeting_url), "meeting_form", **{"people-0-DELETE": "on"}),
    )
    assert response.status_code == 200
    assertContains(response, "Nie można usunąć z listy osoby „Anna Kowalska”")
    assert MeetingPerson.objects.filter(name="Anna Kowalska").exists()
