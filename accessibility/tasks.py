from django_tasks import task


@task(queue_name="documents")
def recognise_text(document_id, checksum):
    """OCR of the scanned pages of a document's file, if the file is still the one checked
    (`checksum`): a file replaced meanwhile has its own check and its own task."""
    from accessibility.services import recognise_document_text

    recognise_document_text(document_id, checksum)
