"""Load test: 100 concurrent connections for 60 s over a mix of public URLs, and no errors.

    make load-test        (or: .venv/bin/python bench/load_test.py [--reload] [--mode uncached])

Fills (or reuses) the PostgreSQL database `krakow_ngo_loadtest` with the real archive plus
1,000 sample meetings and 10,000 postulates, VACUUM ANALYZEs it, and starts gunicorn with
production settings on loopback (gunicorn.conf.py; page cache as in production unless --mode says
otherwise). Every URL of the mix is fetched once first and must answer 200 (the deliberately
missing page 404). Then wrk keeps --connections connections busy for --duration seconds,
request after request, over the mix: home, years, meetings, rounds, postulates, departments,
organisations, programmes, search, feeds and calendars, sitemaps, the English pages, a 404.

Passes when there was no socket error or timeout (wrk's --timeout, 30 s), every response was 200
except the missing page's 404s, the server's access log agrees, and the server's own log
tells of no traceback or worker timeout. Prints totals per group of URLs; exits 1 otherwise.
"""

import argparse
import random
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server

DATABASE = "krakow_ngo_loadtest"
MEETINGS = 1_000
POSTULATES = 10_000
SEARCHES = (
    "konkursy ofert",
    "klub seniora",
    "lokale organizacji",
    "wolontariat szkoly",
    "zielen miejska",
    "dotacje sprawozdanie",
)
MISSING = "missing page"
SLOWEST = 8


def pick_paths():
    """(group, path) pairs of the mix, the same for the same database."""
    from django.urls import reverse
    from django.utils import translation

    from departments.models import Department
    from meetings.models import ArchiveYear, Meeting, Round
    from organisations.models import Organisation
    from postulates.models import Postulate
    from programmes.models import Programme

    rng = random.Random(9)

    def some(queryset, count):
        rows = list(queryset.order_by("pk"))
        return rng.sample(rows, min(count, len(rows)))

    years = list(ArchiveYear.objects.published().order_by("-year").values_list("year", flat=True))
    meetings = some(Meeting.objects.published().filter(is_sample=False), 10) + some(
        Meeting.objects.published().filter(is_sample=True), 20
    )
    departments = some(Department.objects.published(), 5)
    organisations = some(Organisation.objects.published(), 5)
    mix = [
        ("home", "/"),
        ("home", reverse("robots")),
        ("accessibility", reverse("accessibility:statement")),
        ("open data", reverse("opendata_page:index")),
        *(("years", reverse("meetings:year", kwargs={"year": year})) for year in years),
        ("meeting list", reverse("meetings:list")),
        ("meeting list", f"{reverse('meetings:list')}?{urlencode({'rok': years[0]})}"),
        *(("meetings", meeting.get_absolute_url()) for meeting in meetings),
        *(("rounds", r.get_absolute_url()) for r in some(Round.objects.published(), 5)),
        ("postulates", reverse("postulates:list")),
        ("postulates", f"{reverse('postulates:list')}?page=2"),
        *(("postulates", p.get_absolute_url()) for p in some(Postulate.objects.published(), 15)),
        ("departments", reverse("departments:list")),
        *(("departments", department.get_absolute_url()) for department in departments),
        ("organisations", reverse("organisations:list")),
        *(("organisations", organisation.get_absolute_url()) for organisation in organisations),
        ("programmes", reverse("programmes:list")),
        *(("programmes", p.get_absolute_url()) for p in some(Programme.objects.published(), 3)),
        *(
            ("search", f"{reverse('search:results')}?{urlencode({'q': query})}")
            for query in SEARCHES
        ),
        ("feeds", reverse("feeds:latest")),
        *(("feeds", reverse("feeds:year", kwargs={"year": year})) for year in years[:2]),
        ("feeds", reverse("feeds:calendar")),
        ("feeds", reverse("feeds:department", kwargs={"slug": departments[0].slug})),
        ("feeds", reverse("feeds:department_calendar", kwargs={"slug": departments[0].slug})),
        ("feeds", reverse("feeds:organisation", kwargs={"slug": organisations[0].slug})),
        ("sitemaps", reverse("sitemap")),
        *(
            ("sitemaps", reverse("sitemap-section", kwargs={"section": section}))
            for section in ("lata", "spotkania", "postulaty")
        ),
    ]
    with translation.override("en"):
        mix += [
            ("english", "/en/"),
            ("english", reverse("meetings:year", kwargs={"year": years[0]})),
            ("english", meetings[0].get_absolute_url()),
        ]
    missing = reverse(
        "meetings:detail", kwargs={"year": years[0], "slug": "nie-ma-takiego-spotkania"}
    )
    mix.append((MISSING, missing))
    return mix


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reload", action="store_true", help="load the database anew")
    parser.add_argument(
        "--strict", action="store_true", help="accepted like http_bench's; always strict"
    )
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60, help="seconds")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--timeout",
        type=int,
        default=30,
        help="seconds after which wrk counts a request as timed out (default 30: gunicorn's "
        "own worker timeout; a proxy usually waits 60)",
    )
    parser.add_argument(
        "--mode",
        default="cached",
        choices=("cached", "uncached", "redis"),
        help="page cache in each worker's memory (production default), off, or in Redis",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="TEXT",
        help="leave out of the mix the URLs containing TEXT (repeatable)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--gunicorn-threads", type=int, default=1, help="threads per worker")
    return parser.parse_args()


def main():
    server.stop_on_sigterm()
    args = parse_args()
    wrk = server.ensure_wrk()
    if args.mode == "redis" and not server.flush_redis():
        raise SystemExit("--mode redis: Redis does not answer")
    extra = server.mode_env(args.mode)

    server.setup_django(DATABASE)
    server.prepare_database(
        DATABASE, meetings=MEETINGS, postulates=POSTULATES, real_archive=True, reload=args.reload
    )
    mix = [
        (group, path)
        for group, path in pick_paths()
        if group == MISSING or not any(text in path for text in args.exclude)
    ]
    from django.db import connection

    connection.close()
    group_of = {path: group for group, path in mix}
    paths = list(group_of)
    missing = next(path for group, path in mix if group == MISSING)

    config = server.Config(args.workers, args.worker_class, args.gunicorn_threads)
    with tempfile.TemporaryDirectory(prefix="load-test-") as workdir:
        env = server.production_env(DATABASE, workdir, **extra)
        server.collectstatic(env)
        (port,) = server.free_ports(1)
        gunicorn = server.Gunicorn(args.mode, port, env, config, workdir)
        with server.running([gunicorn], "/robots.txt"):
            failed = [
                (path, status)
                for path in paths
                if (status := server.fetch(gunicorn.base + path)[0])
                != (404 if path == missing else 200)
            ]
            if failed:
                for path, status in failed:
                    print(f"{path} answered {status}")
                print(gunicorn.log_tail())
                raise SystemExit(f"{len(failed)} URLs of the mix answer wrongly before any load")
            logged_before = len(gunicorn.access_log_entries())
            print(
                f"load: {args.connections} connections for {args.duration:g} s over "
                f"{len(paths)} URLs in {len(set(group_of.values()))} groups; gunicorn {config}, "
                f"page cache {args.mode}, {DATABASE}",
                flush=True,
            )
            result = server.run_load(
                gunicorn.base,
                paths,
                seconds=args.duration,
                connections=args.connections,
                threads=args.threads,
                timeout=args.timeout,
                wrk=wrk,
            )
        # Stopped: every request the server answered is in its access log.
        entries = gunicorn.access_log_entries()[logged_before:]
        problems = gunicorn.log_problems()
    sys.exit(report(result, entries, problems, group_of, missing))


def report(result, entries, problems, group_of, missing):
    print()
    print(
        f"wrk: {result.requests:,} responses in {result.seconds:.1f} s = {result.rps:.0f} rps; "
        f"latency p50 {result.percentile(50):.0f} ms, p99 {result.percentile(99):.0f} ms, "
        f"max {result.max_us / 1000:.0f} ms; {result.bytes / 2**20:,.0f} MiB"
    )
    print(
        "wrk statuses: "
        + ", ".join(f"{status}: {count:,}" for status, count in sorted(result.statuses.items()))
    )
    print(
        "wrk socket errors: "
        + ", ".join(
            f"{kind} {result.errors[kind]}" for kind in ("connect", "read", "write", "timeout")
        )
    )

    groups = defaultdict(lambda: {"statuses": Counter(), "seconds": []})
    by_path = defaultdict(list)
    wrong = Counter()
    for status, seconds, size, path in entries:
        group = group_of.get(path, "not in the mix")
        groups[group]["statuses"][status] += 1
        groups[group]["seconds"].append(seconds)
        by_path[path].append((seconds, size))
        if status != (404 if path == missing else 200):
            wrong[path, status] += 1
    print(f"\nserver access log: {len(entries):,} requests")
    print(f"{'group':16} {'requests':>8} {'statuses':24} {'server p50':>10} {'p99':>8}")
    for group in sorted(groups, key=lambda g: -len(groups[g]["seconds"])):
        data = groups[group]
        times = sorted(data["seconds"])
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(data["statuses"].items()))
        print(
            f"{group:16} {len(times):8,} {statuses:24} "
            f"{times[len(times) // 2] * 1000:8.0f} ms {times[int(len(times) * 0.99)] * 1000:5.0f} ms"
        )

    print("\nslowest URLs (server time, most costly in total first):")
    costly = sorted(by_path.items(), key=lambda item: -sum(t for t, _ in item[1]))[:SLOWEST]
    for path, samples in costly:
        times = sorted(t for t, _ in samples)
        print(
            f"  {sum(times):6.1f} s in {len(times):3} requests, median {times[len(times) // 2]:6.2f} s, "
            f"max {times[-1]:6.2f} s, {samples[0][1] / 1024:6.0f} KB  {path}"
        )

    failures = []
    if result.socket_errors:
        failures.append(
            f"{result.socket_errors} socket errors or timeouts (wrk: {dict(result.errors)})"
        )
    unexpected = {s: n for s, n in result.statuses.items() if s not in (200, 404)}
    if unexpected:
        failures.append(f"wrk saw statuses other than 200 and 404: {unexpected}")
    if wrong:
        worst = ", ".join(f"{path} {status} x{n}" for (path, status), n in wrong.most_common(5))
        failures.append(f"{sum(wrong.values())} wrong statuses in the access log: {worst}")
    if result.statuses[404] > groups[MISSING]["statuses"][404]:
        failures.append("wrk saw more 404s than the server logged for the missing page")
    if not entries:
        failures.append("the server's access log is empty")
    if problems:
        failures.append(f"{len(problems)} problem lines in the server's log, e.g. {problems[0]}")
    print()
    if failures:
        for failure in failures:
            print(f"FAIL  {failure}")
        return 1
    print(
        f"PASS  {result.requests:,} requests, no socket error or timeout, no 5xx; "
        f"404 only for the missing page ({groups[MISSING]['statuses'][404]:,} times)"
    )
    return 0


if __name__ == "__main__":
    main()
