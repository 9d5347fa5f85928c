"""Checking a document's file and keeping the result: on every save of a document (the signal in
apps.py) and for the whole archive (manage.py check_documents)."""

import hashlib

from django.utils import timezone

from accessibility.document_checks import check_file
from accessibility.models import DocumentCheck
from files.uploads import _reading

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
    fields = ("file_name", "checksum", "findings", "blocking", "checked_at")
    DocumentCheck.objects.update_or_create(
        document=document, defaults={name: getattr(check, name) for name in fields}
    )
    return check


def new_check(document, file):
    """The check of `file` as `document`'s file, not saved (bulk loads save many at once)."""
    with _reading(file):
        checksum = _sha256(file)
    findings = check_file(file, document.file_format)
    return DocumentCheck(
        document=document,
        file_name=document.file.name,
        checksum=checksum,
        findings=[finding.as_json() for finding in findings],
        blocking=any(finding.is_blocking for finding in findings),
        checked_at=timezone.now(),
    )


def _sha256(file):
    digest = hashlib.sha256()
    while chunk := file.read(CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


def document_saved(sender, instance, raw=False, **kwargs):
    # A fixture being loaded (raw) holds what was checked before, or no file at all.
    if not raw:
        check_document(instance)
