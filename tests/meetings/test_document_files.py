"""A document's file is checked when its form or full_clean runs, and stored under a safe,
unique name (the checks themselves: tests/files/test_uploads.py)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory

from meetings.models import Document, document_upload_to
from tests.factories import DocumentFactory, MeetingFactory
from tests.files.builders import pdf_bytes

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

# The model and its form ---------------------------------------------------------------------

DocumentForm = modelform_factory(Document, fields=("meeting", "kind", "title", "file"))


def submit(meeting, name, content):
    data = {"meeting": meeting.pk, "kind": Document.Kind.SUMMARY, "title": "Podsumowanie"}
    return DocumentForm(data=data, files={"file": SimpleUploadedFile(name, content)})


def test_a_form_refuses_html_renamed_to_pdf_on_the_file_field_and_saves_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory()

    form = submit(meeting, "raport.pdf", HTML)

    assert not form.is_valid()
    assert form.errors == {
        "file": [
            "Plik „raport.pdf” nie jest dokumentem PDF: to plik HTML. "
            "Archiwum przyjmuje: PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, RTF, DOC, XLS."
        ]
    }
    assert not Document.objects.exists()
    assert list(tmp_path.iterdir()) == []


def test_full_clean_puts_the_error_on_the_file_field():
    document = Document(
        meeting=MeetingFactory(),
        kind=Document.Kind.SUMMARY,
        title="Program",
        file=SimpleUploadedFile("program.pdf", b"MZ\x90\x00" + bytes(100)),
    )
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert list(error.value.message_dict) == ["file"]
    assert "to program dla Windows (EXE/DLL)" in error.value.message_dict["file"][0]


STORED_PDF_NAME = re.compile(r"^dokumenty/2025/zestawienie-postulatow-[0-9a-f]{8}\.pdf$")


def test_an_accepted_pdf_is_stored_under_a_safe_unique_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory()

    form = submit(meeting, "../../Zestawienie Postulatów.PDF", pdf_bytes())
    assert form.is_valid(), form.errors
    document = form.save()

    assert STORED_PDF_NAME.match(document.file.name), document.file.name
    assert ".." not in document.file.name
    assert (tmp_path / document.file.name).read_bytes() == pdf_bytes()
    assert (document.file_format, document.file_size) == ("PDF", len(pdf_bytes()))


def test_two_uploads_with_the_same_name_never_overwrite_each_other(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory()
    first_pdf, second_pdf = pdf_bytes(), pdf_bytes() + b"% druga wersja\n"

    first = submit(meeting, "Zestawienie Postulatów.pdf", first_pdf).save()
    second = DocumentForm(
        data={"meeting": meeting.pk, "kind": Document.Kind.SUMMARY, "title": "Druga wersja"},
        files={"file": SimpleUploadedFile("Zestawienie Postulatów.pdf", second_pdf)},
    ).save()

    assert STORED_PDF_NAME.match(first.file.name)
    assert STORED_PDF_NAME.match(second.file.name)
    assert first.file.name != second.file.name
    assert (tmp_path / first.file.name).read_bytes() == first_pdf
    assert (tmp_path / second.file.name).read_bytes() == second_pdf


SAFE_STORED_NAME = re.compile(r"^dokumenty/2025/[a-z0-9_-]+-[0-9a-f]{8}(\.[a-z0-9_-]{1,10})?$")


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd",
        "..",
        "..\\..\\Windows\\system.ini",
        "a/b/../c.docx",
        "Zażółć gęślą jaźń.PDF",
        "Отчёт.pdf",
        "報告.pdf",
        ".pdf",
        "raport.pdf.exe",
        "raport.tar.gz",
        "raport.%2e%2e%2f.pdf",
        "x" * 300 + ".pdf",
    ],
)
def test_stored_names_are_ascii_without_dots_or_slashes_in_the_stem(filename):
    document = DocumentFactory.build(meeting=MeetingFactory())
    stored = document_upload_to(document, filename)
    assert SAFE_STORED_NAME.match(stored), stored
    assert ".." not in stored
    assert stored.isascii()


def test_the_same_name_gets_a_new_token_each_time():
    document = DocumentFactory.build(meeting=MeetingFactory())
    names = {document_upload_to(document, "Stanowisko.pdf") for _ in range(20)}
    assert len(names) == 20
