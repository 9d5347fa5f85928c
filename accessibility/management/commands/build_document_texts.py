"""Reads the HTML version of every document with a file (accessibility.DocumentText): for the
documents stored before the versions existed, loaded from fixtures, or after the reader was
improved (--force)."""

from django.core.management.base import BaseCommand

from accessibility.services import refresh_document_text
from meetings.models import Document


class Command(BaseCommand):
    help = "Buduje wersje tekstowe (HTML) dokumentów z ich plików."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Odczytaj ponownie każdy plik, także gdy wersja tekstowa już jest "
            "(poprawki redakcji zostają).",
        )
        parser.add_argument(
            "--only-missing",
            action="store_true",
            help="Tylko dokumenty, które nie mają jeszcze wersji tekstowej.",
        )

    def handle(self, *args, force=False, only_missing=False, **options):
        # With each document's check: what OCR read of a scan goes into its text version.
        documents = (
            Document.objects.exclude(file="").select_related("accessibility_check").order_by("pk")
        )
        if only_missing:
            documents = documents.filter(html_version__isnull=True)
        built = missing = 0
        for document in documents.iterator(chunk_size=100):
            if not document.file.storage.exists(document.file.name):
                self.stderr.write(f"Brak pliku {document.file.name} (dokument {document.pk}).")
                missing += 1
                continue
            refresh_document_text(document, force=force)
            built += 1
        self.stdout.write(f"Wersje tekstowe: {built} dokumentów, brak pliku: {missing}.")
