from django.core.management import BaseCommand

from search.indexing import LOADED_FOR_TEXT, update_search_text


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
        for model in LOADED_FOR_TEXT:
            records = model._default_manager.order_by("pk")
            if only_missing:
                records = records.filter(search_text="")
            updated = update_search_text(model, records)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {updated}")
