from django.core.management.base import BaseCommand

from history.entries import rebuild


class Command(BaseCommand):
    help = (
        "Derives every line of the site-wide change register again from the history "
        "(after loading data outside the admin, e.g. a restored dump)."
    )

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(f"Rejestr zmian: {count} wpisów.")
