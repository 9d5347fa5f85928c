"""What an outside review of the accessible documents found after they were done: a correction
cleaned on every view, a zip bomb called damaged, search results without the file's marker,
the text's language, the easy-read summary's messages, the document's own register, the
meeting's inline documents and the text read from PDFs and DOCX lists."""

import io
import re
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from accessibility import html_version
from accessibility.document_checks import check_file
from accessibility.models import DocumentText, EasyReadSummary
from sampledata.files import accessible_pdf, pdf
from tests.accessibility.builders import docx, odf, paragraph
from tests.accessibility.test_editor_review import bomb_docx
from tests.admin_forms import form_data
from tests.editors.test_record_card import at, page_at, register, register_url, save, shown
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

CARELESS = (
    '<h1>Tytuł</h1><p onclick="x()"><b>Ważne</b> zdanie.</p><script>alert(1)</script>'
    "<ul><p>Wstęp</p><li>Punkt</li></ul>"
)
CLEAN = "<h2>Tytuł</h2><p><strong>Ważne</strong> zdanie.</p><p>Wstęp</p><ul><li>Punkt</li></ul>"


def document_with_text():
    document = DocumentFactory(title="Podsumowanie")
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))
    return document, DocumentText.objects.get(document=document)


def no_cleaning(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the correction was cleaned again")

    monkeypatch.setattr(html_version.nh3, "clean", refuse)


# 1. A correction is cleaned when it is saved, never when it is shown -------------------------


def test_a_correction_is_cleaned_on_save_and_the_page_shows_the_stored_clean_html(monkeypatch):
    document, version = document_with_text()
    version.corrected_html = CARELESS
    version.save()
    assert version.corrected_rendered == CLEAN

    no_cleaning(monkeypatch)
    response = Client().get(document.get_text_url())

    assertInHTML(f'<div class="document-body" lang="pl">{CLEAN}</div>', response.content.decode())
    assertNotContains(response, "alert(1)")
    assertContains(response, "Tekst sprawdziła i poprawiła redakcja")


def test_a_save_leaving_the_correction_as_it_was_does_not_clean_it_again(monkeypatch):
    _document, version = document_with_text()
    version.corrected_html = CARELESS
    version.save()

    no_cleaning(monkeypatch)
    reloaded = DocumentText.objects.get(pk=version.pk)
    reloaded.needs_review = True
    reloaded.save()
    DocumentText.objects.get(pk=version.pk).save(update_fields=["needs_review"])

    assert DocumentText.objects.get(pk=version.pk).corrected_rendered == CLEAN


def test_a_correction_saved_by_its_fields_alone_is_cleaned_with_them():
    document, version = document_with_text()
    version.corrected_html = CARELESS
    version.save(update_fields=["corrected_html"])
    assert DocumentText.objects.get(pk=version.pk).corrected_rendered == CLEAN

    version.corrected_html = ""
    version.save(update_fields=["corrected_html"])
    page = Client().get(document.get_text_url())
    assertContains(page, "Tekst z pliku.")
    assertNotContains(page, "Ważne")


def test_the_migration_cleans_the_corrections_stored_before(monkeypatch):
    document, version = document_with_text()
    DocumentText.objects.filter(pk=version.pk).update(
        corrected_html=CARELESS, corrected_rendered=""
    )
    migration = import_module(
        "accessibility.migrations.0011_document_text_corrected_rendered_filled"
    )

    migration.clean_stored_corrections(apps, None)

    no_cleaning(monkeypatch)
    assert DocumentText.objects.get(pk=version.pk).corrected_rendered == CLEAN
    assertContains(Client().get(document.get_text_url()), CLEAN, html=True)


# 3. Search results mark a file that is not fully accessible as lists do ----------------------


def test_a_search_hit_marks_a_document_whose_file_is_not_fully_accessible():
    untagged = DocumentFactory(title="Sprawozdanie o lokalach")
    untagged.file.save("sprawozdanie.pdf", ContentFile(pdf(["Lokale dla organizacji."])))
    accessible = DocumentFactory(title="Stanowisko o lokalach")
    accessible.file.save("stanowisko.pdf", ContentFile(accessible_pdf(["Lokale w dzielnicach."])))
    assert untagged.accessibility_check.marker() == "nie w pełni dostępny cyfrowo"

    response = Client().get("/szukaj/", {"q": "lokalach", "typ": "dokumenty"})

    hits = response.content.decode().split('<li class="hit">')[1:]
    [marked] = [hit for hit in hits if "Sprawozdanie o lokalach" in hit]
    [unmarked] = [hit for hit in hits if "Stanowisko o lokalach" in hit]
    assert ' · <span class="file-marker">nie w pełni dostępny cyfrowo</span></p>' in marked
    assert "file-marker" not in unmarked
    # The same words as the meeting's list of its documents.
    assertContains(
        Client().get(untagged.meeting.get_absolute_url()), "; nie w pełni dostępny cyfrowo)"
    )
    # Loaded with the hits: no query of its own.
    with CaptureQueriesContext(connection) as captured:
        Client().get("/szukaj/", {"q": "lokalach", "typ": "dokumenty"})
    assert not [q for q in captured if 'FROM "accessibility_documentcheck"' in q["sql"]]


# 4. The text is read in the language its file states -----------------------------------------


def text_body(document):
    page = Client().get(document.get_text_url()).content.decode()
    return page[page.index('<div class="document-body"') :].split(">", 1)[0] + ">"


@pytest.mark.parametrize(
    "name, content, lang",
    [
        ("report.docx", docx(paragraph("Minutes of the meeting."), language="en-US"), "en-US"),
        (
            "bericht.odt",
            odf("text", "<office:text><text:p>Protokoll.</text:p></office:text>", language="de"),
            "de",
        ),
        ("protokol.docx", docx(paragraph("Protokół spotkania."), language="pl-PL"), "pl"),
        ("bez-jezyka.docx", docx(paragraph("Protokół spotkania."), language=""), "pl"),
        # No valid BCP 47 tag: taken as Polish.
        ("zly.docx", docx(paragraph("Protokół spotkania."), language="x_none!"), "pl"),
        ("zaden.docx", docx(paragraph("Protokół spotkania."), language="zxx"), "pl"),
    ],
)
def test_the_text_version_is_in_the_language_its_file_states(name, content, lang):
    document = DocumentFactory(title="Protokół")
    document.file.save(name, ContentFile(content))

    assert text_body(document) == f'<div class="document-body" lang="{lang}">'


# 5. The easy-read summary's admin messages name it once -------------------------------------


def test_the_easy_read_summarys_admin_messages_name_its_kind_once(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    add = reverse("admin:accessibility_easyreadsummary_add")
    data = form_data(client.get(add), "easyreadsummary_form", text="Krótko o spotkaniu.")

    added = client.post(add, {**data, "meeting": meeting.pk, "document": ""}, follow=True)

    summary = EasyReadSummary.objects.get(meeting=meeting)
    change = reverse("admin:accessibility_easyreadsummary_change", args=[summary.pk])
    [message] = [str(m) for m in added.context["messages"]]
    assert message == f'Dodano: tekst łatwy do czytania „<a href="{change}">{meeting.title}</a>”.'
    assert "Tekst łatwy do czytania: " not in added.content.decode()


# 6. A document's own register lists its text version's corrections ---------------------------


def test_the_documents_own_register_lists_its_text_versions_corrections(world, login):
    document = world["own"]["document"]
    with time_machine.travel(at(-10), tick=False):
        document.file.save("podsumowanie.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))
    version = DocumentText.objects.get(document=document)
    client = login("kultura")
    save(client, version, 5, corrected_html="<h2>Podsumowanie</h2><p>Poprawione.</p>")

    entries = register(page_at(client, document.get_absolute_url(), 20))

    corrections = [entry for entry in entries if "Wersja tekstowa" in entry]
    assert corrections == [
        f"{shown(at(5))} – Wersja tekstowa dokumentu: poprawiono treść "
        "(Poprawiona wersja tekstowa) wprowadził(a): redakcja wydziału"
    ]
    # As the site-wide register lists it.
    day = timezone.localtime(at(0)).date().isoformat()
    site_wide = page_at(client, register_url(od=day, do=day), 20).content.decode()
    assert f"Wersja tekstowa dokumentu: {document.title} poprawiono treść" in " ".join(
        re.sub(r"<[^>]+>", " ", site_wide).split()
    )


# 7. The meeting's admin says each inline document's accessibility ------------------------------


def test_the_meetings_inline_documents_show_their_accessibility_read_only(world, login):
    meeting = world["own"]["meeting"]
    without_file = world["own"]["document"]
    untagged = DocumentFactory(meeting=meeting, title="Sprawozdanie")
    untagged.file.save("sprawozdanie.pdf", ContentFile(pdf(["Sprawozdanie."])))
    accessible = DocumentFactory(meeting=meeting, title="Stanowisko")
    accessible.file.save("stanowisko.pdf", ContentFile(accessible_pdf()))
    client = login("kultura")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)

    html = response.content.decode().split('id="documents-empty"')[0]  # not the blank row
    states = re.findall(
        r'field-accessibility_state.*?<div class="readonly">(.*?)</div>', html, re.S
    )
    titles = re.findall(r'name="documents-\d+-title" value="([^"]*)"', html)
    assert dict(zip(titles, states, strict=True)) == {
        without_file.title: "brak pliku",
        "Sprawozdanie": "nie w pełni dostępny cyfrowo",
        "Stanowisko": "dostępny",
    }
    assertNotContains(response, 'name="documents-0-accessibility_state"')
    # Read with the documents, not a query a row.
    assert not [q for q in captured if 'FROM "accessibility_documentcheck"' in q["sql"]]


# 2. A zip bomb is found as one (the admin's message: test_editor_review) -----------------------


def test_a_zip_bomb_is_its_own_finding_and_reason_in_polish_and_english():
    [finding] = check_file(io.BytesIO(bomb_docx(megabytes=20)), "DOCX")

    assert (finding.code, finding.is_blocking) == ("compressed-too-highly", True)
    assert finding.reason == "plik nieczytelny: po rozpakowaniu byłby setki razy większy"
    with translation.override("en"):
        assert finding.reason == "unreadable file: unpacked, it would be hundreds of times larger"


def test_a_correction_restored_without_its_cleaned_html_is_cleaned_when_saved():
    document, version = document_with_text()
    # As a revert of a version kept from before the cleaned HTML was stored leaves it.
    DocumentText.objects.filter(pk=version.pk).update(
        corrected_html=CARELESS, corrected_rendered=""
    )

    DocumentText.objects.get(pk=version.pk).save()

    assertContains(Client().get(document.get_text_url()), CLEAN, html=True)


def test_the_editors_save_cleans_the_correction_once(world, login, monkeypatch):
    client = login("kultura")
    document = world["own"]["document"]
    document.file.save("plik.pdf", ContentFile(pdf(["Tekst z pliku."], tagged=True)))
    version = DocumentText.objects.get(document=document)
    url = reverse("admin:accessibility_documenttext_change", args=[version.pk])
    data = form_data(client.get(url), "documenttext_form", corrected_html=CARELESS)
    cleanings = []
    original = html_version.nh3.clean
    monkeypatch.setattr(
        html_version.nh3, "clean", lambda html, **kw: cleanings.append(html) or original(html, **kw)
    )

    assert client.post(url, data).status_code == 302

    assert cleanings.count(CARELESS) == 1 and len(cleanings) == 2  # and the file's text once
    version.refresh_from_db()
    assert version.corrected_html == version.corrected_rendered == CLEAN
    monkeypatch.setattr(html_version.nh3, "clean", original)
    no_cleaning(monkeypatch)
    assertContains(Client().get(document.get_text_url()), CLEAN, html=True)
