from django.apps import apps
from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

from core.publishing import created_by_publication
from meetings.models import ArchiveYear

FIXTURES = ("vocabularies.json", "archive.json")


class Command(BaseCommand):
    help = (
        "Loads the real archive (fixtures/archive.json) and the editable vocabularies into an "
        "empty database. Skips when real archive years exist, so editors' later changes to "
        "these records are never overwritten."
    )

    def handle(self, *args, **options):
        if ArchiveYear.objects.filter(is_sample=False).exists():
            self.stdout.write("Archiwum jest już wczytane; pomijam (zmiany redakcji pozostają).")
            return
        paths = [str(settings.BASE_DIR / "fixtures" / name) for name in FIXTURES]
        with transaction.atomic():
            call_command("loaddata", *paths, verbosity=0)
            # Loaded now, published long ago: created by then (before the first versions).
            created_by_publication(apps.get_models())
            # Fixtures skip save(), which keeps each record's search text.
            call_command("update_search_text", verbosity=0)
            # A first history entry for every record, so any of them can later be recovered.
            call_command(
                "createinitialrevisions",
                comment="Wczytano archiwum ze strony „Materiały ze spotkań z NGO”.",
                verbosity=0,
            )
        self.stdout.write(
            self.style.SUCCESS(f"Wczytano archiwum: {ArchiveYear.objects.count()} lat.")
        )
