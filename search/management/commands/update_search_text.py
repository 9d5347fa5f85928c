from django.core.management import BaseCommand
from django.db.models import Prefetch

from departments.models import Department
from meetings.models import Document, Meeting
from organisations.models import Organisation
from postulates.models import Position, Postulate
from search.text import search_text

BATCH = 2000

# How to load each searchable model so that search_parts() needs no extra queries.
LOADERS = {
    Meeting: lambda qs: qs.prefetch_related(
        Prefetch("departments", queryset=Department.objects.only("name"))
    ),
    Document: lambda qs: qs,
    Postulate: lambda qs: qs.select_related("organisation"),
    Position: lambda qs: qs.select_related("outcome"),
    Organisation: lambda qs: qs,
}


class Command(BaseCommand):
    help = (
        "Recomputes the search text of every searchable record (after bulk loads, which "
        "skip save(), or after changing how search text is built)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only-missing", action="store_true", help="only records with no search text yet"
        )

    def handle(self, *args, only_missing, **options):
        for model, load in LOADERS.items():
            records = model._default_manager.order_by("pk")
            if only_missing:
                records = records.filter(search_text="")
            updated = self.update(model, load(records))
            self.stdout.write(f"{model._meta.verbose_name_plural}: {updated}")

    def update(self, model, records):
        batch, updated = [], 0
        for record in records.iterator(chunk_size=BATCH):
            record.search_text = search_text(*record.search_parts())
            batch.append(record)
            if len(batch) == BATCH:
                updated += model._default_manager.bulk_update(batch, ["search_text"])
                batch = []
        if batch:
            updated += model._default_manager.bulk_update(batch, ["search_text"])
        return updated
