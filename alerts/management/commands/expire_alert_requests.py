from django.core.management.base import BaseCommand

from alerts.services import expire_unconfirmed


class Command(BaseCommand):
    help = (
        "Deletes requests for email alerts left unconfirmed for 48 hours, and the addresses "
        "left with nothing (the alerts worker does it too, every round)."
    )

    def handle(self, *args, **options):
        count = expire_unconfirmed()
        self.stdout.write(f"Expired requests deleted: {count}")
