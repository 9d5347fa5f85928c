"""What the archive keeps of each document's file for accessibility, on every save of a document
(the signals in apps.py) and for the whole archive (manage.py check_documents,
build_document_texts): the check of the file and its HTML version (DocumentText)."""

import hashlib
import logging

from django.utils import timezone

from accessibility import ocr
from accessibility.document_checks import check_file
from accessibility.models import DocumentCheck, DocumentText
from accessibility.tasks import recognise_text
from files.structured_text import extract_blocks
from files.uploads import _reading

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024


def check_document(document, *, again=False):
    """The document's stored check, made now unless it is of the current file already (or
    `again`); None, and any old check dropped, when the document has no file."""
    if not document.file:
        DocumentCheck.objects.filter(document=document.pk).delete()
        return None
    stored = DocumentCheck.objects.filter(document=document.pk).first()
    if stored and stored.file_name == document.file.name and not again:
        return stored
    check = new_check(document, document.file)
    if stored and stored.checksum == check.checksum and stored.ocr == DocumentCheck.Ocr.DONE:
        # The same bytes checked again (check_documents --again): their text is read already.
        check.ocr, check.ocr_text, check.ocr_pages = stored.ocr, stored.ocr_text, stored.ocr_pages
    fields = (
        *("file_name", "checksum", "findings", "blocking", "checked_at"),
        *("ocr", "ocr_text", "ocr_pages"),
    )
    saved, _created = DocumentCheck.objects.update_or_create(
        document=document, defaults={name: getattr(check, name) for name in fields}
    )
    # Kept on the document for the rest of its save: its text version reads what OCR read.
    document.accessibility_check = saved
    if check.ocr == DocumentCheck.Ocr.WAITING:
        # A row in the same transaction as the check: the worker reads it once it is committed.
        recognise_text.enqueue(document.pk, check.checksum)
    return check


def new_check(document, file):
    """The check of `file` as `document`'s file, not saved (bulk loads save many at once)."""
    with _reading(file):
        checksum = _sha256(file)
    findings = check_file(file, document.file_format)
    check = DocumentCheck(
        document=document,
        file_name=document.file.name,
        checksum=checksum,
        findings=[finding.as_json() for finding in findings],
        blocking=any(finding.is_blocking for finding in findings),
        checked_at=timezone.now(),
    )
    if check.scanned_pages():
        check.ocr = DocumentCheck.Ocr.WAITING
    return check


def recognise_document_text(document_id, checksum):
    """The worker's OCR of a checked file's scanned pages: the text found joins the document's
    text, which the search reads, and its HTML version, each page's under that page's note.
    Without Tesseract the check says so and the scan stays flagged, as it stays after OCR: the
    file itself still has no text layer."""
    check = (
        DocumentCheck.objects.select_related("document")
        .filter(document=document_id, checksum=checksum, ocr=DocumentCheck.Ocr.WAITING)
        .first()
    )
    if check is None:
        return  # the file was replaced or deleted, or this page was read already
    document = check.document
    if not ocr.available():
        check.ocr = DocumentCheck.Ocr.UNAVAILABLE
        check.save(update_fields=["ocr"])
        return
    try:
        with _reading(document.file) as file:
            pages = ocr.recognise_pdf(file, check.scanned_pages())
    except Exception:  # a hostile image or a killed Tesseract: the flag stays, the worker goes on
        logger.warning("OCR of document %s failed", document.pk, exc_info=True)
        check.ocr = DocumentCheck.Ocr.FAILED
        check.save(update_fields=["ocr"])
        return
    text = ocr.joined(pages)
    check.ocr, check.ocr_text = DocumentCheck.Ocr.DONE, text
    check.ocr_pages = {str(number): page_text for number, page_text in pages.items()}
    check.save(update_fields=["ocr", "ocr_text", "ocr_pages"])
    if text and text not in document.text:
        document.text = f"{document.text}\n\n{text}".strip()
        document.save()
    if pages:
        refresh_document_text(document, force=True)


def _sha256(file):
    digest = hashlib.sha256()
    while chunk := file.read(CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


def document_saved(sender, instance, raw=False, **kwargs):
    # A fixture being loaded (raw) holds what was checked before, or no file at all.
    if not raw:
        check_document(instance)


def refresh_document_text(document, force=False):
    """Reads `document`'s file into its HTML version, when the file is one the version was not
    read from (or `force`). A new file replaces what was read from the old one; an editor's
    correction of the old one is kept but marked for review (DocumentText.needs_review).
    Without a file, the version stays as it is: the page is shown only for a document with a
    file."""
    if not document.file:
        return None
    version = DocumentText.objects.filter(document=document).first()
    if version is not None and version.source_file == document.file.name and not force:
        return version
    blocks = extract_blocks(document.file, document.file_format)
    if any(block.get("type") == "scanned-page" for block in blocks):
        blocks = with_recognised_text(blocks, _recognised_pages(document))
    if version is None:
        return DocumentText.objects.create(
            document=document, blocks=blocks, source_file=document.file.name
        )
    if version.source_file != document.file.name and version.corrected_html.strip():
        version.needs_review = True
    version.blocks, version.source_file = blocks, document.file.name
    version.save()
    return version


def _recognised_pages(document):
    """What OCR read of `document`'s current file, by page."""
    if type(document).accessibility_check.is_cached(document):
        # Checked in this very save, or loaded with the document.
        check = getattr(document, "accessibility_check", None)
    else:
        check = DocumentCheck.objects.filter(document=document.pk).first()
    return check.page_texts() if check and check.file_name == document.file.name else {}


def with_recognised_text(blocks, pages):
    """`blocks` with the text OCR read from a scanned page ({number: text}) on its mark."""
    for block in blocks:
        if block.get("type") == "scanned-page" and pages.get(block.get("page")):
            block["ocr"] = pages[block["page"]]
    return blocks


def refresh_on_save(sender, instance, raw=False, **kwargs):
    """post_save of a Document: a newly attached file is read at once, in the save, so the
    page never reads a file while a resident waits. Fixtures (raw) are read by the
    build_document_texts command instead."""
    if not raw:
        refresh_document_text(instance)
