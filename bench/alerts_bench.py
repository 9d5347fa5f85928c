"""Email alerts at scale (issue #19), on PostgreSQL: 10,000 confirmed subscribers following
departments, organisations, years and the archive, 2,000 changes published in one day (new
answers and documents), then the next morning's digests built and handed to an SMTP server on
loopback (aiosmtpd's sink, in a process of its own). Prints the time and the number of SQL
queries of each stage, and times an editor's save side by side with and without an alerts
worker running (alerts add nothing to the save itself: changes are found from what is public).

    .venv/bin/python bench/alerts_bench.py [--subscribers 10000] [--changes 2000] [--reload]

Exits 1 when the digests are not handed to SMTP within a minute (--limit-seconds).
"""

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import (
    BIN,
    POSTGRES,
    ROOT,
    SEED,
    free_ports,
    prepare_database,
    setup_django,
    stop_on_sigterm,
)

DATABASE = "a19_alerts_bench"


def counted(label, function, *args, **kwargs):
    """Runs `function`, printing its time and the SQL statements it sent."""
    from django.db import connection

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s, {statements} queries -> {result}")
    return result, seconds, statements


def reset_alerts():
    from django_tasks_db.models import DBTaskResult

    from alerts.models import CaptureStart, Delivery, Event, Subscriber

    for model in (Delivery, Subscriber, Event, CaptureStart, DBTaskResult):
        model.objects.all().delete()


def subscribe(count, now):
    """`count` daily subscribers confirmed at `now`, each following one to three pages."""
    from alerts.models import Frequency, Subscriber, Subscription
    from departments.models import Department
    from meetings.models import ArchiveYear
    from organisations.models import Organisation

    rng = random.Random(SEED)
    departments = list(Department.objects.published().values_list("pk", flat=True))
    organisations = list(Organisation.objects.published().values_list("pk", flat=True)[:2000])
    years = list(ArchiveYear.objects.published().values_list("year", flat=True))
    yesterday = now
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"subskrybent{n}@bench.example.org",
                frequency=Frequency.DAILY,
                created_at=yesterday,
                confirmed_at=yesterday,
                digest_until=yesterday,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    subscriptions = []
    for subscriber in Subscriber.objects.values_list("pk", flat=True):
        for _ in range(rng.randint(1, 3)):
            kind = rng.choices(["wydzial", "organizacja", "rok", "archiwum"], [6, 3, 1, 0.2])[0]
            subscription = Subscription(
                subscriber_id=subscriber,
                kind=kind,
                confirmed_at=yesterday,
                confirmation_token=None,
                department_id=rng.choice(departments) if kind == "wydzial" else None,
                organisation_id=rng.choice(organisations) if kind == "organizacja" else None,
                year=rng.choice(years) if kind == "rok" else None,
            )
            subscription.target = subscription.target_key()
            subscriptions.append(subscription)
    Subscription.objects.bulk_create(subscriptions, batch_size=2000, ignore_conflicts=True)
    return Subscription.objects.count()


def publish_changes(count, day_start):
    """`count` changes published over one day: answers to unanswered postulates, and
    documents of public meetings (one in five)."""
    from core.publishing import Status
    from meetings.models import Document, Meeting
    from postulates.models import Outcome, Position, Postulate

    rng = random.Random(SEED + 1)
    outcomes = list(Outcome.objects.all())
    documents = count // 5
    unanswered = list(
        Postulate.objects.published()
        .filter(positions__isnull=True)
        .values_list("pk", flat=True)[: count - documents]
    )
    meetings = list(Meeting.objects.published().values_list("pk", flat=True)[:documents])

    def moment():
        return day_start + datetime.timedelta(seconds=rng.randrange(20 * 3600))

    Position.objects.bulk_create(
        [
            Position(
                postulate_id=postulate,
                outcome=rng.choice(outcomes),
                justification="Odpowiedź przykładowa (benchmark powiadomień).",
                status=Status.PUBLISHED,
                published_at=moment(),
                is_sample=True,
            )
            for postulate in unanswered
        ],
        batch_size=1000,
    )
    Document.objects.bulk_create(
        [
            Document(
                meeting_id=meeting,
                kind=Document.Kind.SUMMARY,
                title=f"Podsumowanie (benchmark powiadomień {n})",
                slug=f"benchmark-powiadomien-{n}",
                status=Status.PUBLISHED,
                published_at=moment(),
                is_sample=True,
            )
            for n, meeting in enumerate(meetings)
        ],
        batch_size=1000,
    )
    return len(unanswered) + len(meetings)


def remove_changes():
    from meetings.models import Document
    from postulates.models import Position

    Position.objects.filter(justification="Odpowiedź przykładowa (benchmark powiadomień).").delete()
    Document.objects.filter(slug__startswith="benchmark-powiadomien-").delete()


def smtp_sink():
    port = free_ports(1)[0]
    process = subprocess.Popen(
        [
            str(BIN / "python"),
            "-m",
            "aiosmtpd",
            "-n",
            "-c",
            "aiosmtpd.handlers.Sink",
            "-l",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)
    return process, port


def send_one_task():
    """One queued task (a batch of messages over one SMTP connection), in this process."""
    from django.core.management import call_command

    call_command(
        "db_worker",
        queue_name="alerts",
        batch=True,
        max_tasks=1,
        reload=False,
        startup_delay=False,
        verbosity=0,
    )


def send_everything(senders, port):
    """The rest of the queue, by `senders` worker processes at once (as production may run)."""
    from django.db.models import Count

    from alerts.models import Delivery

    env = {
        **os.environ,
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(port),
        "DJANGO_EMAIL_USE_TLS": "false",
    }
    command = [str(BIN / "python"), "manage.py", "db_worker", "--queue-name", "alerts"]
    command += ["--batch", "--no-reload", "--no-startup-delay", "--verbosity", "0"]
    workers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(senders)]
    for worker in workers:
        worker.wait()
    return dict(Delivery.objects.values_list("state").annotate(n=Count("pk")))


def time_saves(rounds=100):
    """Milliseconds of an editor's save of an answer (the admin's save path: Model.save with
    its signals), `rounds` times."""
    from postulates.models import Position

    position = Position.objects.published().order_by("pk").first()
    times = []
    for n in range(rounds):
        position.justification = f"Uzasadnienie, wersja {n}."
        started = time.perf_counter()
        position.save()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=2_000)
    parser.add_argument("--meetings", type=int, default=1_000)
    parser.add_argument("--postulates", type=int, default=10_000)
    parser.add_argument("--limit-seconds", type=float, default=60.0)
    parser.add_argument(
        "--senders", type=int, default=3, help="worker processes sending at once (default 3)"
    )
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    stop_on_sigterm()
    # Production settings (debug off), in this process and the worker processes it starts.
    os.environ.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-" + "x" * 44),
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        DJANGO_SITE_URL="https://archiwum.example.pl",
    )
    setup_django(DATABASE)
    prepare_database(
        DATABASE, meetings=args.meetings, postulates=args.postulates, reload=args.reload
    )
    from django.conf import settings
    from django.utils import timezone

    from alerts import capture, dispatch
    from alerts.models import Frequency

    # What an earlier run published and recorded goes first (a run leaves it for inspection).
    remove_changes()
    reset_alerts()
    # The day that ended at this morning's digest time (7:00), so the digests are due now.
    now = timezone.now()
    boundary = dispatch.digest_boundary(Frequency.DAILY, now)
    day_start = boundary - datetime.timedelta(days=1)
    counted(
        "baseline (what is public before alerts start)",
        capture.capture,
        day_start - datetime.timedelta(hours=2),
    )
    subscribed = subscribe(args.subscribers, day_start - datetime.timedelta(hours=1))
    print(f"subscriptions: {subscribed}, of {args.subscribers} subscribers")
    changes = publish_changes(args.changes, day_start)
    print(f"changes published during the day: {changes}")
    counted(
        "capture (the day's changes found)",
        capture.capture,
        boundary - datetime.timedelta(minutes=1),
    )
    _created, build_seconds, build_queries = counted(
        "digests built and queued", dispatch.plan_digests, now
    )

    sink, port = smtp_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        _none, batch_seconds, batch_queries = counted(
            "one task: 100 digests over one SMTP connection", send_one_task
        )
        states, rest_seconds, _queries = counted(
            f"the other tasks, by {args.senders} worker processes",
            send_everything,
            args.senders,
            port,
        )
    finally:
        sink.terminate()
    send_seconds = batch_seconds + rest_seconds
    total = build_seconds + send_seconds
    sent = states.get("wyslano", 0)
    print(
        f"RESULT: {sent} digests of {changes} changes to {args.subscribers} subscribers: built and "
        f"queued in {build_seconds:.1f} s ({build_queries} queries), handed to SMTP in "
        f"{send_seconds:.1f} s ({batch_queries} queries per task of 100 messages, "
        f"{args.senders} worker processes); total {total:.1f} s (limit {args.limit_seconds:.0f} s)"
    )

    # The editor's save, without and then with a worker running rounds all the time.
    without = time_saves()
    env = {
        **os.environ,
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    worker = subprocess.Popen(
        [str(BIN / "python"), "manage.py", "alerts_worker", "--interval", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)
        with_worker = time_saves()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print(
        f"RESULT: an editor's save of an answer, median / p95: {without[0]:.1f} / {without[1]:.1f} ms "
        f"without alerts running, {with_worker[0]:.1f} / {with_worker[1]:.1f} ms with the worker "
        "running a round every second"
    )
    sys.exit(0 if total <= args.limit_seconds and sent else 1)


if __name__ == "__main__":
    main()
