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
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server
from bench.http_bench import sized
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
    if args.database_url:
        server.setup_django(None, url=args.database_url)
    else:
        database, meetings, postulates = sized(args.scale)
        database = args.database or database
        server.setup_django(database)
        server.prepare_database(
            database, meetings=meetings, postulates=postulates, reload=args.reload
        )
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


if __name__ == "__main__":
    sys.exit(main())
