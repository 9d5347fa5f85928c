import time

from django.core.management.base import BaseCommand

from opendata.builds import build_stale_files


class Command(BaseCommand):
    help = (
        "Builds the downloads of the whole archive (list exports and /dane/archiwum.zip) whose "
        "data changed since they were built. Run it after loading data and regularly (e.g. "
        "every few minutes from cron, or once with --watch as a worker process)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="rebuild every file")
        parser.add_argument(
            "--watch",
            type=int,
            metavar="SECONDS",
            help="keep running, looking for changed data every SECONDS seconds",
        )

    def handle(self, *args, force=False, watch=None, **options):
        while True:
            for name, export_file in build_stale_files(force=force):
                if export_file is None:
                    self.stdout.write(f"{name}: tworzy go teraz inny proces, pominięto.")
                else:
                    self.stdout.write(f"{name}: {export_file.size} B, sha256 {export_file.sha256}")
            if watch is None:
                return
            force = False
            time.sleep(watch)
