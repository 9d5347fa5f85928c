"""The alerts worker: `manage.py alerts_worker`. Each round does the alerts' own duties
(alerts.worker.tick), runs the queued messages with django-tasks-db's worker until none is
left, then up to OCR_TASKS_PER_ROUND queued OCR jobs of scanned documents, then the
statistics' facts and the postulate list's order for the current content generation
(stats.snapshot.rebuild: after each change, scheduled publication and midnight), then builds
the downloads of the whole archive that are missing or older than the data
(opendata.builds.refresh_files: at start on a fresh database, then after each change), then
sleeps. Stop it with SIGTERM or Ctrl+C: a message being sent is finished
first."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from alerts import worker
from opendata.builds import refresh_files
from stats.snapshot import rebuild as rebuild_statistics

OCR_TASKS_PER_ROUND = 3


class Command(BaseCommand):
    help = (
        "Runs the email alerts (finds what was published, builds and sends the messages) and "
        "keeps the downloads of the whole archive built."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between rounds (default 30)."
        )
        parser.add_argument("--once", action="store_true", help="One round, then exit.")

    def handle(self, *args, interval, once, verbosity, **options):
        while True:
            worker.tick()
            call_command(
                "db_worker",
                queue_name="alerts",
                batch=True,
                reload=False,
                startup_delay=False,
                verbosity=max(verbosity - 1, 0),
            )
            # Then a few OCR jobs of scanned documents (accessibility.tasks): a long scan
            # takes minutes, so a round takes only a few and the alerts never wait long.
            call_command(
                "db_worker",
                queue_name="documents",
                batch=True,
                max_tasks=OCR_TASKS_PER_ROUND,
                reload=False,
                startup_delay=False,
                verbosity=max(verbosity - 1, 0),
            )
            # Until they are built, the statistics and the postulate list count live.
            rebuild_statistics()
            # After the messages: a long build of the ZIP does not hold alerts back.
            refresh_files()
            if once:
                return
            time.sleep(interval)
