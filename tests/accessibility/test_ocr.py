"""OCR of scanned uploads in the background worker: the flag always, the text where Tesseract
with its Polish data is installed."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageDraw, ImageFont

from accessibility import ocr
from accessibility.models import DocumentCheck
from alerts import worker
from meetings.models import Document
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

WORDS = "Podsumowanie spotkania"


def scanned_pdf():
    """A page as a scanner makes it: the words drawn into an image, the PDF holding only it."""
    image = Image.new("L", (1400, 260), 255)
    ImageDraw.Draw(image).text((60, 90), WORDS, fill=0, font=ImageFont.load_default(size=72))
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


@pytest.fixture
def run_worker(monkeypatch):
    """One round of `manage.py alerts_worker`, which runs the OCR queue after the alerts'
    (tests/alerts/conftest.py says why the connection is kept)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        monkeypatch.setitem(worker._last_look, "at", None)
        call_command("alerts_worker", "--once", verbosity=0)

    return run


def upload_scan():
    document = DocumentFactory()
    document.file.save("skan.pdf", ContentFile(scanned_pdf()))
    return document


def test_a_scan_is_flagged_at_upload_and_its_ocr_queued_not_run_in_the_request():
    document = upload_scan()
    check = DocumentCheck.objects.get(document=document)
    assert check.blocking and "pdf-scan" in {f.code for f in check.finding_list()}
    assert check.scanned_pages() == [1]
    assert (check.ocr, check.ocr_text) == (DocumentCheck.Ocr.WAITING, "")
    [task] = DBTaskResult.objects.filter(queue_name="documents")
    assert task.args_kwargs["args"] == [document.pk, check.checksum]
    assert Document.objects.get(pk=document.pk).text == ""


def test_without_tesseract_the_worker_leaves_the_flag_only(monkeypatch, run_worker):
    monkeypatch.setattr(ocr, "available", lambda: False)
    document = upload_scan()
    run_worker()
    check = DocumentCheck.objects.get(document=document)
    assert (check.ocr, check.ocr_text, check.blocking) == ("niedostepne", "", True)
    assert Document.objects.get(pk=document.pk).text == ""


def test_a_file_replaced_before_the_worker_came_is_not_read(monkeypatch, run_worker):
    document = upload_scan()
    document.file.save("tekst.pdf", ContentFile(b"%PDF-1.4 broken"))
    run_worker()
    assert DocumentCheck.objects.get(document=document).ocr == ""


@pytest.mark.skipif(not ocr.available(), reason="Tesseract with Polish data is not installed")
def test_the_worker_reads_the_scan_into_the_documents_search_text(run_worker):
    document = upload_scan()
    run_worker()
    check = DocumentCheck.objects.get(document=document)
    assert check.ocr == DocumentCheck.Ocr.DONE
    assert WORDS in check.ocr_text
    document.refresh_from_db()
    assert WORDS in document.text
    assert "podsumowanie spotkania" in document.search_text
    assert check.blocking  # the file itself still has no text layer
    assert WORDS in check.ocr_pages["1"]
    # The HTML version shows it too, under its page's note.
    body = Client().get(document.get_text_url()).content.decode()
    assert "Strona 1: skan. Tekst poniżej odczytano automatycznie (OCR)" in body
    assert WORDS in body


@pytest.mark.skipif(not ocr.available(), reason="Tesseract with Polish data is not installed")
def test_checking_the_same_file_again_keeps_its_text_and_reads_it_once(run_worker):
    document = upload_scan()
    run_worker()
    call_command("check_documents", "--again", verbosity=0)
    check = DocumentCheck.objects.get(document=document)
    assert check.ocr == DocumentCheck.Ocr.DONE and WORDS in check.ocr_text
    assert not DBTaskResult.objects.filter(queue_name="documents", status="READY").exists()
    document.refresh_from_db()
    assert document.text.count(WORDS) == 1
