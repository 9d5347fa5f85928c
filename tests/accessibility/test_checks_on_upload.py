"""A document's file is checked when it is saved, however it is saved; the editor reads the
findings right after the upload and on the document's page; the public page, the lists and the
accessibility statement say which published files are not fully accessible."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from accessibility import views
from accessibility.models import DocumentCheck
from meetings.models import Document
from sampledata.files import accessible_pdf, pdf
from tests.admin_forms import form_data
from tests.factories import DRAFT, DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SCAN = pdf([None, None])
SCAN_ADVICE = (
    "Dokument jest skanem bez warstwy tekstowej: opublikuj wersję tekstową lub plik z OCR "
    "(rozpoznanym tekstem)."
)


def with_file(content, name="plik.pdf", **fields):
    document = DocumentFactory(**fields)
    document.file.save(name, ContentFile(content))
    return document


# Storing the check -----------------------------------------------------------------------------


def test_saving_a_file_stores_its_check_with_the_files_checksum():
    document = with_file(SCAN)
    check = DocumentCheck.objects.get(document=document)
    assert check.blocking
    assert check.checksum == hashlib.sha256(SCAN).hexdigest()
    assert check.file_name == document.file.name
    assert [finding.code for finding in check.finding_list()] == [
        "pdf-untagged",
        "pdf-no-title",
        "no-language",
        "pdf-scan",
    ]
    assert check.reasons() == ["PDF bez znaczników struktury (tagów)", "skan bez warstwy tekstowej"]


def test_a_new_file_is_checked_again_an_unchanged_one_is_not_and_no_file_drops_the_check():
    document = with_file(SCAN)
    first = DocumentCheck.objects.get(document=document)
    document.title = "Nowy tytuł"
    document.save()
    assert DocumentCheck.objects.get(document=document).checked_at == first.checked_at

    document.file.save("poprawiony.pdf", ContentFile(accessible_pdf()))
    check = DocumentCheck.objects.get(document=document)
    assert (check.blocking, check.findings) == (False, [])

    document.file = ""
    document.save()
    assert not DocumentCheck.objects.filter(document=document).exists()


def test_the_command_checks_documents_saved_before_checks_existed():
    document = with_file(SCAN)
    DocumentCheck.objects.all().delete()
    DocumentFactory()  # no file: nothing to check
    call_command("check_documents", verbosity=0)
    assert DocumentCheck.objects.get(document=document).blocking


# The editor ------------------------------------------------------------------------------------


def test_an_editor_uploading_a_scan_reads_the_findings_and_may_still_publish(world, login):
    client = login("kultura")
    document = world["own"]["document"]
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form", status="published")
    data["file"] = SimpleUploadedFile("skan.pdf", SCAN)

    response = client.post(url, data, follow=True)

    [message] = [
        str(m) for m in response.context["messages"] if str(m).startswith("Plik dokumentu")
    ]
    assert message.startswith(
        f"Plik dokumentu „{document.title}” nie jest w pełni dostępny cyfrowo. Możesz go opublikować"
    )
    assert f"<li>Blokuje odczyt: {SCAN_ADVICE}</li>" in message
    document.refresh_from_db()
    assert document.status == "published" and document.file
    page = client.get(url)
    assertContains(page, f"<li>Blokuje odczyt: {SCAN_ADVICE}</li>", html=True)
    assertContains(page, "Sprawdzono:")


def test_an_upload_on_the_meetings_page_is_reported_too(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url), "meeting_form")
    data["documents-0-file"] = SimpleUploadedFile("dobry.pdf", accessible_pdf())

    response = client.post(url, data, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    document = world["own"]["document"]
    assert (
        f"Sprawdzono dostępność pliku dokumentu „{document.title}”: nie znaleziono problemów."
        in messages
    )


# The public pages ------------------------------------------------------------------------------


def test_a_published_scan_is_marked_on_its_page_with_the_text_version_and_the_contact():
    document = with_file(SCAN)
    response = Client().get(document.get_absolute_url())
    assertContains(
        response,
        '<h2 id="dostepnosc-pliku">Ten plik nie jest w pełni dostępny cyfrowo</h2>',
        html=True,
    )
    assertContains(
        response, "Dlaczego: PDF bez znaczników struktury (tagów); skan bez warstwy tekstowej."
    )
    assertContains(
        response,
        f'<a href="{document.get_absolute_url()}tekst/">Przeczytaj wersję tekstową dokumentu</a>',
        html=True,
    )
    assertContains(response, '<a class="accessible-request"')


RTF = b"{\\rtf1\\ansi Notatka ze spotkania\\par }"


def test_a_file_the_archive_cannot_check_is_marked_as_not_checked_on_every_page(world, login):
    """An RTF file is not called inaccessible, nor left unmarked: its page, the lists and the
    statement say its accessibility was not checked, and the editor is told so on upload."""
    client = login("kultura")
    document = world["own"]["document"]
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(client.get(url), "document_form", status="published")
    data["file"] = SimpleUploadedFile("notatka.rtf", RTF)
    response = client.post(url, data, follow=True)
    [message] = [str(m) for m in response.context["messages"] if "nie sprawdzono" in str(m)]
    assert message.startswith(
        f"Dostępności pliku dokumentu „{document.title}” nie sprawdzono. Możesz go opublikować"
    )
    assert "<li>Blokuje odczyt: Archiwum nie sprawdza dostępności plików RTF" in message

    public = Client()
    page = public.get(document.get_absolute_url())
    assertContains(
        page, '<h2 id="dostepnosc-pliku">Dostępności tego pliku nie sprawdzono</h2>', html=True
    )
    assertContains(page, "Dlaczego: dostępności pliku w formacie RTF nie sprawdzono.")
    assertContains(page, "Przeczytaj wersję tekstową dokumentu")
    assertContains(
        public.get(document.meeting.get_absolute_url()), "dostępność pliku niesprawdzona"
    )
    statement = public.get(reverse("accessibility:statement"))
    assertContains(statement, f'<a href="{document.get_absolute_url()}">{document.title}</a>')
    assertContains(statement, "– dostępności pliku w formacie RTF nie sprawdzono.")


def test_stored_checks_of_unchecked_formats_are_marked_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    document = with_file(RTF, name="notatka.rtf", file_format="RTF")
    DocumentCheck.objects.filter(document=document).update(blocking=False)  # as stored before
    migration = import_module("accessibility.migrations.0007_unchecked_formats_marked")
    migration.mark_unchecked_formats(apps, None)
    assert DocumentCheck.objects.get(document=document).blocking


def test_an_accessible_file_is_not_marked():
    document = with_file(accessible_pdf())
    assertNotContains(Client().get(document.get_absolute_url()), "dostepnosc-pliku")


def test_lists_mark_the_file_without_a_query_per_document():
    meeting = MeetingFactory()
    with_file(accessible_pdf(), meeting=meeting, title="Dostępny")
    scan = with_file(SCAN, meeting=meeting, title="Skan")
    client = Client()
    with CaptureQueriesContext(connection) as two:
        response = client.get(meeting.get_absolute_url())
    assertContains(response, "nie w pełni dostępny cyfrowo", count=1)
    assertContains(response, f'<a href="{scan.get_absolute_url()}">Skan</a>')
    with_file(SCAN, meeting=meeting, title="Drugi skan")
    with_file(SCAN, meeting=meeting, title="Trzeci skan")
    with CaptureQueriesContext(connection) as four:
        response = client.get(meeting.get_absolute_url())
    assertContains(response, "nie w pełni dostępny cyfrowo", count=3)
    assert len(four) == len(two)


# The accessibility statement -------------------------------------------------------------------


def test_the_statement_names_each_published_inaccessible_document_and_why(monkeypatch):
    monkeypatch.setattr(views, "DOCUMENTS_PER_PAGE", 2)
    scans = [with_file(SCAN, title=f"Skan {n}") for n in range(3)]
    with_file(pdf(tagged=True), title="Bez tytułu i języka")  # advice only: not listed
    with_file(SCAN, title="Szkic skanu", **DRAFT)
    DocumentFactory(title="Bez pliku")

    client = Client()
    first = client.get(reverse("accessibility:statement"))
    second = client.get(reverse("accessibility:statement"), {"page": 2})

    listed = first.content.decode() + second.content.decode()
    for scan in scans:
        assert f'<a href="{scan.get_absolute_url()}">{scan.title}</a>' in listed
    assert "Bez tytułu i języka" not in listed and "Szkic skanu" not in listed
    assertContains(
        first, "Opublikowane dokumenty, których pliki nie są w pełni dostępne cyfrowo: 3."
    )
    assertContains(first, "PDF bez znaczników struktury (tagów); skan bez warstwy tekstowej.")
    assertContains(first, "Plików 1 z 5 opublikowanych dokumentów nie ma jeszcze w archiwum")


def test_the_real_archive_says_its_files_are_not_attached_yet():
    call_command("load_archive", verbosity=0)
    response = Client().get(reverse("accessibility:statement"))
    total = Document.objects.published().count()
    assert total > 0
    assertContains(
        response,
        f"Plików {total} z {total} opublikowanych dokumentów nie ma jeszcze w archiwum",
    )
    assertContains(response, "Sprawdzenie nie uznało za niedostępny żadnego z opublikowanych")


def test_sample_data_attaches_files_some_of_which_the_statement_lists():
    call_command("generate_sample_data", meetings=30, postulates=20, organisations=5, seed=3)
    with_files = Document.objects.exclude(file="")
    assert with_files.count() >= 4
    assert with_files.count() == DocumentCheck.objects.count()
    flagged = DocumentCheck.objects.filter(blocking=True)
    assert flagged.exists() and DocumentCheck.objects.filter(blocking=False).exists()
    response = Client().get(reverse("accessibility:statement"))
    listed = Document.objects.published().filter(accessibility_check__blocking=True)
    assert listed.exists()
    for document in listed:
        assertContains(response, f'<a href="{document.get_absolute_url()}">{document.title}</a>')


def test_the_statement_reads_a_bounded_number_of_queries(django_assert_num_queries):
    for n in range(3):
        with_file(SCAN, title=f"Skan {n}")
    client = Client()
    with django_assert_num_queries(4):  # statement, counts, page's count, page's rows
        client.get(reverse("accessibility:statement"))
    for n in range(3):
        with_file(SCAN, title=f"Inny skan {n}")
    with django_assert_num_queries(4):
        client.get(reverse("accessibility:statement"))


def test_the_notice_and_the_marker_speak_english_on_english_pages():
    document = with_file(SCAN)
    with translation.override("en"):
        document_url, meeting_url = document.get_absolute_url(), document.meeting.get_absolute_url()
    response = Client().get(document_url)
    assertContains(response, "This file is not fully accessible")
    assertContains(response, "Why: a PDF without structure tags; a scan without a text layer.")
    meeting_page = Client().get(meeting_url)
    assertContains(meeting_page, "not fully accessible")


def test_the_marked_pages_are_valid_html(tmp_path):
    from tests.html_validator import html_problems

    document = with_file(SCAN)
    client = Client()
    pages = {
        "document": document.get_absolute_url(),
        "meeting": document.meeting.get_absolute_url(),
        "statement": reverse("accessibility:statement"),
    }
    files = []
    for name, url in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(path)
    assert html_problems(files) == []
