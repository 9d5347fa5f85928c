"""Uncached page benchmark: median and p95 of every public URL pattern (issue #18).

    make bench-pages   (or: .venv/bin/python bench/pages_bench.py [--strict] [--target-ms 50] ...)

Fills (or reuses) the PostgreSQL database `krakow_ngo_bench` with 10,000 sample meetings and
100,000 postulates (--scale 10: 100,000 and 1,000,000, in the database bench/http_bench.py
uses for that size), as `make bench` does, and VACUUM ANALYZEs it; with --database-url it measures that database
as it is, loading nothing (e.g. sqlite:////tmp/large.sqlite3 filled by `make sample-data`)
but the statistics' facts and the exports, which production's worker builds.

Every request is served in this process by Django's test client with the production settings
(debug off, manifest static files, every middleware) and the page cache off
(DJANGO_PAGE_CACHE=off), asking for gzip as browsers do: each one renders the page, as the
first visitor after an editor's save meets it. No gunicorn, so the numbers are the page's own
time (a loopback gunicorn adds about a millisecond).

Which URLs: every URL pattern of the public URLconf (the admin aside) is walked, and each has
a picker below that chooses addresses from the data: each list at its first and its last page
and with typical filters, detail pages of the records with the most to show. A pattern without
a picker is reported (and fails --strict), so a new page cannot escape the benchmark.

Per address: one request untimed (the worker's first, which also checks the status), then
--requests timed ones, one after another: median and p95 (nearest rank). Pages must answer
under --target-ms (50 at the default size, 100 at --scale above 1), search's p95 too;
downloads (exports, the full archive, files) are judged by the time to
their first byte against --download-target-ms (200), their total time shown beside it. For
every address over its target the slowest SQL query of one more request is printed with its
EXPLAIN ANALYZE (EXPLAIN QUERY PLAN on SQLite).

The statistics' facts are built for the current content generation first
(bench.server.rebuild_snapshot), as production's worker builds them after every change.

Prints a table, writes it with the numbers to bench-results/ (and to --json, for
bench/http_bench.py, which runs this as part of `make bench`), and with --strict exits 1 when
an address is over its target, answers an unexpected status, or a pattern is not measured.
A benchmark, not a test.
"""

import argparse
import json
import math
import os
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server
from bench.http_bench import (
    DOWNLOAD_TARGET_MS,
    LARGE_PAGE_TARGET_MS,
    PAGE_TARGET_MS,
    page_target_ms,
    sized,
)
from bench.page_targets import (
    Target,
    body_text,
    last_page_target,
    pick_targets,
    public_patterns,
    sitemap_section_targets,
)

SEARCH = "search:results"  # judged by its p95 as well as its median


@dataclass
class Measurement:
    target: Target
    status: int = 0
    size: int = 0
    queries: int = 0
    times_ms: list = field(default_factory=list)
    first_byte_ms: list = field(default_factory=list)
    # This process's CPU time (Python's share, the database's not included): on a loaded
    # machine it tells a page's own work from time spent waiting for a core.
    cpu_ms: list = field(default_factory=list)
    problem: str = ""

    def p50(self, first_byte=False):
        samples = self.first_byte_ms if first_byte else self.times_ms
        return statistics.median(samples) if samples else math.nan

    def p95(self, first_byte=False):
        samples = sorted(self.first_byte_ms if first_byte else self.times_ms)
        if not samples:
            return math.nan
        return samples[min(len(samples) - 1, math.ceil(0.95 * len(samples)) - 1)]

    def judged_ms(self):
        """What the target is about: the whole page, or a download's first byte."""
        return self.p50(first_byte=self.target.download)

    def over(self, args):
        if self.target.download:
            return not self.judged_ms() < args.download_target_ms
        if self.target.pattern == SEARCH and not self.p95() < args.target_ms:
            return True
        return not self.judged_ms() < args.target_ms

    def ok(self, args):
        return not self.problem and self.status == self.target.status and not self.over(args)


# --- Settings and data ---------------------------------------------------------------------


def production_settings(static_root):
    """The production settings in this process, page cache off."""
    os.environ.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_PAGE_CACHE="off",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=server.media_root(),
        # A 404 or 400 the benchmark asks for on purpose is not news.
        DJANGO_LOG_LEVEL="ERROR",
        # Every request comes from one address here: the per-address limits on the API and
        # on exports built in the request (10 a minute) would answer the repeats with 429.
        **server.ONE_CLIENT_LIMITS,
    )


def prepare(args, static_root):
    production_settings(static_root)
    if args.database_url:
        server.setup_django(None, url=args.database_url)
    else:
        database, meetings, postulates = sized(args.scale)
        server.setup_django(database)
        server.prepare_database(
            database, meetings=meetings, postulates=postulates, reload=args.reload
        )
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"static files collected in {time.perf_counter() - started:.0f} s")
    if not args.skip_downloads:
        # The files of the whole archive are built ahead of requests, as in production.
        started = time.perf_counter()
        call_command("build_exports", verbosity=0)
        print(f"exports built (where stale) in {time.perf_counter() - started:.0f} s")
    # As the worker does after every change (prepare_database did it for its own databases).
    server.rebuild_snapshot()


# --- Measuring -----------------------------------------------------------------------------


def request(client, path):
    """(response, seconds to the first byte, seconds in all, bytes, CPU seconds)."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    if response.streaming:
        chunks = iter(response.streaming_content)
        first = next(chunks, b"")
        first_byte = time.perf_counter() - started
        size = len(first) + sum(len(chunk) for chunk in chunks)
    else:
        first_byte = time.perf_counter() - started
        size = len(response.content)
    elapsed = time.perf_counter() - started
    response.close()
    return response, first_byte, elapsed, size, time.process_time() - cpu


def measure(client, target, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Measurement(target)
    try:
        with CaptureQueriesContext(connection) as captured:
            response, _first, _all, size, _cpu = request(client, target.path)
        result.status, result.size, result.queries = response.status_code, size, len(captured)
        for _ in range(requests):
            response, first_byte, elapsed, size, cpu = request(client, target.path)
            result.first_byte_ms.append(first_byte * 1000)
            result.times_ms.append(elapsed * 1000)
            result.cpu_ms.append(cpu * 1000)
    except Exception as error:  # a page that fails is reported, not the end of the run
        result.problem = f"{type(error).__name__}: {error}"
    return result, response if not result.problem else None


def slowest_query_plan(client, path):
    """The slowest query of one request to `path`, with its plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    if not captured.captured_queries:
        return "no queries"
    slowest = max(captured.captured_queries, key=lambda query: float(query["time"]))
    sql = slowest["sql"]
    total = sum(float(query["time"]) for query in captured.captured_queries)
    heading = (
        f"{len(captured)} queries, {total * 1000:.1f} ms in SQL; the slowest "
        f"({float(slowest['time']) * 1000:.1f} ms):\n{sql}"
    )
    if connection.vendor == "postgresql":
        explain = "EXPLAIN (ANALYZE, BUFFERS) "
    elif connection.vendor == "sqlite":
        explain = "EXPLAIN QUERY PLAN "
    else:
        return heading
    try:
        with connection.cursor() as cursor:
            cursor.execute(explain + sql)
            plan = "\n".join(" | ".join(str(cell) for cell in row) for row in cursor.fetchall())
    except Exception as error:
        plan = f"(no plan: {type(error).__name__}: {error})"
    return f"{heading}\n{plan}"


def run(args):
    from django.test import Client

    client = Client()
    patterns = public_patterns()
    targets = pick_targets()
    # Patterns with a picker, measured or not in this run (the sitemap's sections are picked
    # from the index).
    picked = {target.pattern for target in targets} | {"sitemap-section"}
    queue = [target for target in targets if selected(target, args)]
    results = []
    skipped = []
    while queue:
        target = queue.pop(0)
        if target.skipped:
            skipped.append(target)
            continue
        result, response = measure(client, target, args.requests)
        results.append(result)
        print(row_text(result, args), flush=True)
        if response is None:
            continue
        if target.last_page_of:
            last = last_page_target(target, response)
            if last:
                queue.insert(0, last)
        if target.pattern == "sitemap":
            queue[0:0] = [
                t for t in sitemap_section_targets(body_text(response)) if selected(t, args)
            ]
    plans = {}
    if not args.no_plans:
        for result in results:
            if not result.problem and result.over(args) and not result.target.download:
                plans[result.target.label] = slowest_query_plan(client, result.target.path)
    unmeasured = sorted(name for name in patterns if name not in picked)
    return results, plans, skipped, unmeasured


def selected(target, args):
    words = f"{target.pattern} {target.label}"
    if any(word in words for word in args.skip):
        return False
    return not args.only or any(word in words for word in args.only)


# --- Report --------------------------------------------------------------------------------


def ms(value):
    return "-" if math.isnan(value) else f"{value:.1f}"


HEADER = (
    f"{'pattern':28} {'address':44} {'st':>3} {'q':>4} {'kB':>7} "
    f"{'p50':>8} {'p95':>8} {'1st B':>7} {'cpu':>6}  verdict"
)


def row_text(result, args):
    target = result.target
    if result.problem:
        verdict = f"ERROR {result.problem}"
    elif result.status != target.status:
        verdict = f"FAIL status {result.status}, expected {target.status}"
    elif result.over(args):
        limit = args.download_target_ms if target.download else args.target_ms
        what = "first byte" if target.download else "p50"
        if target.pattern == SEARCH and result.judged_ms() < limit:
            what = "p95"
        verdict = f"FAIL {what} >= {limit} ms"
    else:
        verdict = "ok"
    first_byte = ms(result.p50(first_byte=True)) if target.download else ""
    return (
        f"{target.pattern[:28]:28} {target.label[:44]:44} {result.status:>3} {result.queries:>4} "
        f"{result.size / 1024:7.1f} {ms(result.p50()):>8} {ms(result.p95()):>8} "
        f"{first_byte:>7} {ms(statistics.median(result.cpu_ms) if result.cpu_ms else math.nan):>6}"
        f"  {verdict}"
    )


def data_size():
    from django.db import connection

    from meetings.models import Meeting
    from organisations.models import Organisation
    from postulates.models import Postulate

    return (
        f"{connection.vendor} {connection.settings_dict['NAME']}: "
        f"{Meeting.objects.count():,} meetings, {Postulate.objects.count():,} postulates, "
        f"{Organisation.objects.count():,} organisations"
    )


def report(args, results, plans, skipped, unmeasured, size):
    failed = [r for r in results if not r.ok(args)]
    lines = [
        f"pages_bench {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: {size}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
        f"uncached (page cache off), production settings, Django test client in process; "
        f"{args.requests} timed requests per address after one untimed; ms",
        f"targets: pages p50 < {args.target_ms:g} ms (search p95 too); downloads: first byte p50 < "
        f"{args.download_target_ms} ms (1st B)",
        "q: SQL queries of one request; kB: the response as sent (gzip where it applies); "
        "cpu: this process's CPU time, p50 (the database's not included)",
        HEADER,
        "-" * len(HEADER),
        *(row_text(result, args) for result in results),
        "",
    ]
    for target in skipped:
        lines.append(f"skipped {target.pattern}: {target.skipped} in this database")
    if unmeasured:
        lines.append(f"NOT MEASURED (no picker in bench/page_targets.py): {', '.join(unmeasured)}")
    lines.append(
        f"{len(results) - len(failed)} of {len(results)} addresses within target; "
        f"{len(failed)} over target or failing"
    )
    for label, plan in plans.items():
        lines += ["", f"== {label}: the slowest query", plan]
    text = "\n".join(lines)
    print()
    print(text)
    server.RESULTS.mkdir(exist_ok=True)
    stamp = f"{datetime.now().astimezone():%Y%m%d-%H%M%S}"
    (server.RESULTS / f"pages_bench-{stamp}.txt").write_text(text + "\n")
    rows = [
        {
            **asdict(result.target),
            "expected_status": result.target.status,
            "status": result.status,
            "queries": result.queries,
            "bytes": result.size,
            "p50_ms": result.p50(),
            "p95_ms": result.p95(),
            "first_byte_p50_ms": result.p50(first_byte=True),
            "cpu_p50_ms": statistics.median(result.cpu_ms) if result.cpu_ms else None,
            "problem": result.problem,
            "ok": result.ok(args),
        }
        for result in results
    ]
    data = (
        json.dumps(
            {
                "args": vars(args),
                "size": size,
                "load_average": os.getloadavg(),
                "rows": rows,
                "skipped": [asdict(target) for target in skipped],
                "unmeasured": unmeasured,
                "plans": plans,
            },
            indent=1,
        )
        + "\n"
    )
    (server.RESULTS / f"pages_bench-{stamp}.json").write_text(data)
    if args.json:
        Path(args.json).write_text(data)
    print(f"\nwritten to bench-results/pages_bench-{stamp}.txt and .json")
    return not failed and not unmeasured


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        help="measure this database as it is, loading nothing (the statistics' facts and the "
        "exports are built where stale, as the worker builds them)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1,
        help="data size as a multiple of 10,000 meetings / 100,000 postulates (10: 100k / 1M), "
        "in the database `make bench` fills for that size",
    )
    parser.add_argument("--reload", action="store_true", help="load the database anew")
    parser.add_argument("--requests", type=int, default=7, help="timed requests per address")
    parser.add_argument(
        "--target-ms",
        type=float,
        help=f"page target (default {PAGE_TARGET_MS} at --scale 1, {LARGE_PAGE_TARGET_MS} above)",
    )
    parser.add_argument("--download-target-ms", type=float, default=DOWNLOAD_TARGET_MS)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        help="measure only addresses whose pattern or label "
        "contains one of these words (e.g. organisations sitemap)",
    )
    parser.add_argument(
        "--skip", nargs="*", default=[], help="leave out addresses matching one of these words"
    )
    parser.add_argument(
        "--skip-downloads", action="store_true", help="do not build the exports first"
    )
    parser.add_argument("--no-plans", action="store_true", help="no EXPLAIN of slow pages")
    parser.add_argument("--json", help="also write the numbers to this file")
    args = parser.parse_args()
    if args.target_ms is None:
        args.target_ms = page_target_ms(args.scale)
    return args


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="pages-bench-") as workdir:
        prepare(args, Path(workdir) / "static")
        size = data_size()
        print(size)
        print(HEADER)
        results, plans, skipped, unmeasured = run(args)
        passed = report(args, results, plans, skipped, unmeasured, size)
    if args.strict and not passed:
        sys.exit(1)


if __name__ == "__main__":
    main()
