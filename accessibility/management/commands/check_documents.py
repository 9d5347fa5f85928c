from django.core.management.base import BaseCommand

from accessibility.services import check_document
from meetings.models import Document


class Command(BaseCommand):
    help = (
        "Checks the accessibility of every document's file not checked yet (all of them again "
        "with --again), for the archive loaded before checks existed and after the checks change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--again", action="store_true", help="Check files already checked, too."
        )

    def handle(self, *args, again=False, **options):
        documents = Document.objects.exclude(file="").only("pk", "file", "file_format")
        checked = blocking = 0
        for document in documents.iterator(chunk_size=200):
            check = check_document(document, again=again)
            checked += 1
            blocking += bool(check and check.blocking)
        without = Document.objects.filter(file="").count()
        self.stdout.write(
            f"Documents with a file, all checked: {checked}; not fully accessible: {blocking}; "
            f"documents without a file (nothing to check): {without}."
        )
