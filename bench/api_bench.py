"""The API's postulate list at its first and its last page (issue #22): keyset pagination
must make the last page of 100,000 postulates answer as fast as the first, p95 under 50 ms
uncached.

    .venv/bin/python bench/api_bench.py [--requests 50] [--strict] [--database-url URL]

Loads (or reuses) the benchmark database of bench/pages_bench.py, 10,000 meetings and
100,000 postulates (--scale 10 for ten times more), and measures in this process with the
production settings and the page cache off, as pages_bench does: median and p95 of the first
page, a page in the middle and the last page, unfiltered and filtered by a department, and
one record. --strict exits 1 when a p95 is over --target-ms or the last page is more than
1.5 times slower than the first. A benchmark, not a test.

--gunicorn measures over HTTP instead: gunicorn with gunicorn.conf.py and the production
settings (page cache off, the API's rate limit counting every request but never refusing),
one request at a time, each request of an address followed by one of the trivial view
(/_bench/trivial/, bench/urls.py). The two series are taken side by side in the same seconds,
so a noisy machine slows both: their ratio tells what the API's own code costs over the
floor of the stack, and --strict then judges the p95 net of the trivial view's p95 too.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server
from bench.http_bench import TRIVIAL, sized
from bench.pages_bench import production_settings


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--target-ms", type=float, default=50.0)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--database-url", default="", help="measure this database as it is")
    parser.add_argument("--database", default="", help="load into this PostgreSQL database")
    parser.add_argument("--reload", action="store_true")
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--gunicorn", action="store_true", help="over HTTP, next to a trivial view")
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def p95(samples):
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def targets():
    from django.utils import timezone

    from api.resources import RESOURCES
    from bench.page_targets import api_cursor_of_last_page
    from departments.models import Department
    from postulates.models import Postulate

    resource = next(r for r in RESOURCES if r.name == "postulaty")
    keys = resource.queryset(timezone.now()).values_list("pk", flat=True)
    middle = keys[keys.count() // 2]
    department = (
        Department.objects.published()
        .filter(postulates__in=Postulate.objects.published())
        .values_list("slug", flat=True)
        .first()
    )
    last = api_cursor_of_last_page(resource, 50)
    return [
        ("first page", "/api/v1/postulaty/"),
        ("middle page", f"/api/v1/postulaty/?kursor={middle}"),
        ("last page", f"/api/v1/postulaty/?kursor={last}"),
        ("first page, 200", "/api/v1/postulaty/?limit=200"),
        ("?wydzial= first page", f"/api/v1/postulaty/?wydzial={department}"),
        ("one record", f"/api/v1/postulaty/{keys.first()}/"),
    ]


def main():
    args = parse_args()
    production_settings(Path(tempfile.mkdtemp()))
    database = None
    if args.database_url:
        server.setup_django(None, url=args.database_url)
        database = args.database_url.rsplit("/", 1)[-1]
    else:
        database, meetings, postulates = sized(args.scale)
        database = args.database or database
        server.setup_django(database)
        server.prepare_database(
            database, meetings=meetings, postulates=postulates, reload=args.reload
        )
    if args.gunicorn:
        return over_http(args, database)
    from django.test import Client

    client = Client()
    results = {}
    print(f"{'address':<24} {'status':>6} {'p50 ms':>8} {'p95 ms':>8}  path")
    for label, path in targets():
        response = client.get(path)
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        results[label] = (response.status_code, statistics.median(times), p95(times))
        status, p50, high = results[label]
        print(f"{label:<24} {status:>6} {p50:>8.1f} {high:>8.1f}  {path}")
    failures = [
        label
        for label, (status, _p50, high) in results.items()
        if status != 200 or high > args.target_ms
    ]
    if results["last page"][2] > 1.5 * max(results["first page"][2], 1.0):
        failures.append("last page slower than the first")
    if failures:
        print("over target:", ", ".join(failures))
    return 1 if failures and args.strict else 0


def timed(url):
    started = time.perf_counter()
    status, _headers = server.fetch(url)
    return status, (time.perf_counter() - started) * 1000


def over_http(args, database):
    from django.db import connection

    paths = targets()
    connection.close()
    config = server.Config(args.workers)
    with tempfile.TemporaryDirectory(prefix="api-bench-") as workdir:
        env = server.production_env(
            database,
            workdir,
            settings="bench.settings",
            DJANGO_API_RATE_LIMIT=str(10**9),
            GUNICORN_ACCESS_LOG="",
            **server.mode_env("uncached"),
        )
        server.collectstatic(env)
        (port,) = server.free_ports(1)
        gunicorn = server.Gunicorn("api", port, env, config, workdir)
        with server.running([gunicorn], TRIVIAL):
            return measure_over_http(args, gunicorn.base, paths, config)


def measure_over_http(args, base, paths, config):
    for _label, path in paths:  # each worker's first requests: not measured
        for _ in range(args.workers * 3):
            timed(base + path)
            timed(base + TRIVIAL)
    print(
        f"gunicorn ({config}), one request at a time, {args.requests} of each address, "
        f"each followed by one of {TRIVIAL}; load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'address':<24} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'trivial p50':>12} {'trivial p95':>12} {'p50 ratio':>10}"
    )
    failures = []
    results = {}
    for label, path in paths:
        times, floor, statuses = [], [], set()
        for _ in range(args.requests):
            status, ms = timed(base + path)
            statuses.add(status)
            times.append(ms)
            floor.append(timed(base + TRIVIAL)[1])
        p50, high = statistics.median(times), p95(times)
        floor_p50, floor_p95 = statistics.median(floor), p95(floor)
        results[label] = (statuses, p50, high, floor_p95)
        status = ",".join(map(str, sorted(statuses)))
        print(
            f"{label:<24} {status:>6} {p50:>8.1f} {high:>8.1f} {floor_p50:>12.1f} "
            f"{floor_p95:>12.1f} {p50 / floor_p50:>9.1f}x"
        )
        if statuses != {200} or high > args.target_ms:
            failures.append(label)
    if results["last page"][2] > 1.5 * max(results["first page"][2], 1.0):
        failures.append("last page slower than the first")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if failures:
        print("over target:", ", ".join(failures))
    return 1 if failures and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
