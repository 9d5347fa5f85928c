"""Keeping each document's HTML version (DocumentText) in step with its file."""

from accessibility.models import DocumentText
from files.structured_text import extract_blocks


def refresh_document_text(document, force=False):
    """Reads `document`'s file into its HTML version, when the file is one the version was not
    read from (or `force`). A new file replaces what was read from the old one and the
    editor's correction of it (kept in the history of the correction). Without a file, the
    version stays as it is: the page is shown only for a document with a file."""
    if not document.file:
        return None
    version = DocumentText.objects.filter(document=document).first()
    if version is not None and version.source_file == document.file.name and not force:
        return version
    blocks = extract_blocks(document.file, document.file_format)
    if version is None:
        return DocumentText.objects.create(
            document=document, blocks=blocks, source_file=document.file.name
        )
    if version.source_file != document.file.name:
        version.corrected_html = ""
    version.blocks, version.source_file = blocks, document.file.name
    version.save()
    return version


def refresh_on_save(sender, instance, raw=False, **kwargs):
    """post_save of a Document: a newly attached file is read at once, in the save, so the
    page never reads a file while a resident waits. Fixtures (raw) are read by the
    build_document_texts command instead."""
    if not raw:
        refresh_document_text(instance)
