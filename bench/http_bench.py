"""HTTP benchmark: the public pages under gunicorn, cached and uncached, next to a trivial view.

    make bench            (or: .venv/bin/python bench/http_bench.py [--reload] [--strict] ...)

Fills (or reuses) the PostgreSQL database `krakow_ngo_bench` with 10,000 sample meetings and
100,000 postulates (`--scale 10`: ten times that, in a database of its own), VACUUM ANALYZEs
it, collects the static files, and starts gunicorn with production settings on loopback, once
per mode, all with the same worker configuration:

    uncached  DJANGO_PAGE_CACHE=off: every request renders the page
    cached    the default page cache, in each worker's memory
    redis     the page cache in Redis (REDIS_URL=redis://127.0.0.1:6379/5), if Redis answers
    proxy     Debian's nginx with the shipped site file (deploy/nginx/archiwum-ngo.conf, plain
              http here) in front of a gunicorn with the page cache on, as deployed: pages
              come from nginx's micro-cache; also measured: how soon a save shows through it

Each server also answers /_bench/trivial/ (bench/urls.py): a tiny HttpResponse through the same
gunicorn, WSGI handler and middleware, with no database and no template. On the uncached
server that is the floor of the stack, and every page's throughput is compared to it; with the
page cache on, the trivial view is itself served from the cache (its row there is the cost of a
cache hit on a tiny page).

For every page and mode, wrk measures requests per second with --connections open connections,
then, once the server has finished what that load left queued, the latency of one connection
sending requests one after another: under load, sync workers queue requests, so latency there
is mostly connections / throughput (Little's law), not the page's own time. p95 comes from
1,000 latency quantiles wrk's Lua script prints per run, merged across runs. Pages and modes
are measured in turns over --rounds rounds (the order reversed every other round), so a noisy
machine affects them alike.

Before the servers start, in the same run: every public page kind uncached
(bench/pages_bench.py: each URL pattern with its first and last pages and typical filters,
p50/p95, downloads' first byte, sizes, and the slowest query's plan of each page over its
target) and every feed and calendar's size (bench/feeds_bench.py). Then, with the servers up,
each of those page kinds is measured cached (--sweep-seconds under load in each of
--sweep-modes, after a warm-up that stores it) as a ratio of the floor, and finally every
address is requested once more from every server, so the workers' memory is read after
serving every page kind.

Before measuring, the statistics' facts are built for the current content generation, as
production's worker does after every change (bench.server.rebuild_snapshot), and Redis is
given the database's generation, so the Redis server reads them too.

Prints a table and issue #18's targets with PASS/FAIL; exits non-zero on a FAIL only with
--strict. Writes the numbers to bench-results/. A benchmark, not a test.
"""

import argparse
import contextlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server
from bench.proxy import NGINX, NginxProxy

DATABASE = "krakow_ngo_bench"
MEETINGS = 10_000
POSTULATES = 100_000
TRIVIAL = "/_bench/trivial/"
# Two words as residents type them: inflected, some without Polish letters.
SEARCHES = ("konkursy ofert", "klub seniora", "ogrody spolecznosciowe", "zdrowie psychiczne")
# Issue #18's targets.
CACHED_SHARE = 0.90  # cached pages: at least this share of the trivial view's throughput
PROXY_FACTOR = 10  # through the proxy tier: at least this many times the floor's throughput
SAVE_VISIBLE_S = 2.0  # an editor's save shows through the proxy tier within this
WORKER_RSS_MB = 200  # a gunicorn worker's resident memory after serving every page kind
PAGE_TARGET_MS = 50  # uncached median of every page kind (and search's p95)
LARGE_PAGE_TARGET_MS = 100  # the same above the default size (ten times the data)
DOWNLOAD_TARGET_MS = 200  # a download's first byte
FEED_MAX_BYTES = 1_000_000  # every feed and calendar, at any data size
SWEEP_FLOOR_EVERY = 20  # page kinds between two measurements of the floor in a sweep


def page_target_ms(scale):
    """The uncached page target at a data size: cost must follow the page, not the archive."""
    return PAGE_TARGET_MS if scale <= 1 else LARGE_PAGE_TARGET_MS


@dataclass
class Page:
    key: str
    label: str
    paths: list


def pick_pages():
    """The pages to measure, picked from the database: the heavy end of what is public."""
    from django.db.models import Count
    from django.urls import reverse

    from departments.models import Department
    from meetings.models import Meeting

    meetings = Meeting.objects.published()
    year = meetings.values("year").annotate(n=Count("pk")).order_by("-n", "-year").first()["year"]
    meeting = (
        meetings.filter(year=year)
        .annotate(n=Count("postulates"))
        .order_by("-n", "pk")
        .only("pk", "slug", "year")
        .first()
    )
    department = (
        Department.objects.published().annotate(n=Count("meetings")).order_by("-n", "pk").first()
    )
    year_meetings = meetings.filter(year=year).count()
    print(
        f"pages: year {year} ({year_meetings} meetings), its meeting with most postulates "
        f"({meeting.n}), department with most meetings ({department.n}): {department.name}"
    )
    search = reverse("search:results")
    return [
        Page("trivial", "trivial view", [TRIVIAL]),
        Page("home", "home", ["/"]),
        Page("year", f"year {year}", [reverse("meetings:year", kwargs={"year": year})]),
        Page("meeting", "meeting", [meeting.get_absolute_url()]),
        Page("department", "department", [department.get_absolute_url()]),
        Page(
            "search",
            f"search x{len(SEARCHES)}",
            [f"{search}?{urlencode({'q': query})}" for query in SEARCHES],
        ),
    ]


def sized(scale):
    """The database, meetings and postulates of a --scale: 1 is the default size."""
    meetings, postulates = round(MEETINGS * scale), round(POSTULATES * scale)
    if scale == 1:
        return DATABASE, meetings, postulates
    return f"{DATABASE}_{meetings}_{postulates}", meetings, postulates


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reload", action="store_true", help="load the database anew")
    parser.add_argument(
        "--scale",
        type=float,
        default=1,
        help="data size as a multiple of 10,000 meetings / 100,000 postulates (10: 100k / 1M), "
        "each size in a database of its own",
    )
    parser.add_argument(
        "--database",
        help="the PostgreSQL database to fill or reuse (default: krakow_ngo_bench, or one "
        "named after the --scale's size)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument(
        "--duration", type=float, default=10, help="seconds under load per page and mode"
    )
    parser.add_argument(
        "--latency-duration",
        type=float,
        default=6,
        help="seconds of one-connection latency per page and mode",
    )
    parser.add_argument("--rounds", type=int, default=2, help="turns the durations are split in")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per server")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=int, default=10, help="wrk request timeout, seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--gunicorn-threads", type=int, default=1, help="threads per worker")
    parser.add_argument(
        "--modes",
        default="uncached,cached,redis,proxy",
        help="comma-separated: uncached, cached, redis (skipped when Redis does not answer), "
        "proxy (skipped when nginx is not installed)",
    )
    parser.add_argument("--pages", default="", help="comma-separated subset of the page keys")
    parser.add_argument(
        "--skip-page-kinds",
        action="store_true",
        help="measure only the pages above: no table of every page kind (pages_bench), no "
        "feed sizes, no cached sweep over every page kind",
    )
    parser.add_argument(
        "--page-requests", type=int, default=5, help="timed uncached requests per page kind"
    )
    parser.add_argument(
        "--sweep-seconds",
        type=float,
        default=1,
        help="seconds under load per page kind and cached mode (0: no sweep)",
    )
    parser.add_argument(
        "--sweep-modes", default="cached,redis", help="modes of the sweep over every page kind"
    )
    return parser.parse_args()


def main():
    server.stop_on_sigterm()
    args = parse_args()
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    unknown = set(modes) - {"uncached", "cached", "redis", "proxy"}
    if unknown:
        raise SystemExit(f"unknown modes: {', '.join(sorted(unknown))}")
    if "redis" in modes and not server.flush_redis():
        modes.remove("redis")
    if "proxy" in modes and not os.path.exists(NGINX):
        print(f"proxy mode skipped: {NGINX} is not installed (make system-deps)")
        modes.remove("proxy")
    wrk = server.ensure_wrk()

    database, meetings, postulates = sized(args.scale)
    database = args.database or database
    server.setup_django(database)
    server.prepare_database(database, meetings=meetings, postulates=postulates, reload=args.reload)
    pages = pick_pages()
    if args.pages:
        wanted = {"trivial", *args.pages.split(",")}
        pages = [page for page in pages if page.key in wanted]
    from django.db import connection

    connection.close()

    config = server.Config(args.workers, args.worker_class, args.gunicorn_threads)
    with tempfile.TemporaryDirectory(prefix="http-bench-") as workdir:
        kinds, feeds = {}, []
        if not args.skip_page_kinds:
            kinds = page_kinds(args, database, Path(workdir))
            feeds = feed_sizes(database, Path(workdir))
        if "redis" in modes:
            server.share_generation_with_redis(database)
        # All the load comes from one address here, where the public's comes from many: the
        # API's per-address limit (600 a minute) would answer most of the sweep with 429.
        base_env = server.production_env(
            database, workdir, settings="bench.settings", **server.ONE_CLIENT_LIMITS
        )
        server.collectstatic(base_env)
        ports = server.free_ports(len(modes))
        servers = {
            mode: server.Gunicorn(
                mode, port, {**base_env, **server.mode_env(mode)}, config, workdir
            )
            for mode, port in zip(modes, ports, strict=True)
        }
        if "proxy" in servers:
            servers["proxy"] = ThroughProxy(servers["proxy"], Path(workdir) / "nginx")
        with server.running(list(servers.values()), TRIVIAL):
            results, loadavg = measure(args, pages, servers, wrk, config)
            swept, sweep_floors = {}, {}
            if kinds and args.sweep_seconds > 0:
                swept, sweep_floors = sweep(args, kind_rows(kinds), servers, wrk)
            if kinds:
                serve_every_kind(kinds["rows"], servers, args.workers)
            delays = save_delays(servers["proxy"].base) if "proxy" in servers else []
            problems = {mode: s.log_problems() for mode, s in servers.items()}
            memory = {mode: s.worker_rss_mb() for mode, s in servers.items()}
    measured = Measured(
        results, loadavg, problems, delays, memory, kinds, feeds, swept, sweep_floors
    )
    report(args, pages, modes, measured, config, wrk)


@dataclass
class Measured:
    results: dict
    loadavg: tuple
    problems: dict
    delays: list
    memory: dict
    kinds: dict  # pages_bench's JSON: every page kind uncached
    feeds: list  # feeds_bench's rows: every feed and calendar
    swept: dict  # (label, mode): Result of the cached sweep over every page kind
    sweep_floors: dict  # mode: the floor's requests per second measured during its sweep


def page_kinds(args, database, workdir):
    """Every public page kind uncached: bench/pages_bench.py on the prepared database (it
    prints its own table and plans as it goes); its JSON."""
    output = workdir / "pages.json"
    command = [
        sys.executable,
        str(server.ROOT / "bench" / "pages_bench.py"),
        "--database-url",
        f"{server.POSTGRES}/{database}",
        "--scale",
        str(args.scale),
        "--requests",
        str(args.page_requests),
        "--json",
        str(output),
    ]
    print(f"\nevery page kind, uncached: {' '.join(command[1:])}", flush=True)
    subprocess.run(command, cwd=server.ROOT, check=False)
    if not output.exists():
        raise SystemExit("bench/pages_bench.py wrote no results")
    return json.loads(output.read_text())


def feed_sizes(database, workdir):
    """Every feed and calendar's size, entries and time: bench/feeds_bench.py's rows."""
    output = workdir / "feeds.json"
    command = [
        sys.executable,
        str(server.ROOT / "bench" / "feeds_bench.py"),
        "--database-url",
        f"{server.POSTGRES}/{database}",
        "--json",
        str(output),
    ]
    print(f"\nfeeds and calendars: {' '.join(command[1:])}", flush=True)
    subprocess.run(command, cwd=server.ROOT, check=False)
    if not output.exists():
        raise SystemExit("bench/feeds_bench.py wrote no results")
    return json.loads(output.read_text())


def kind_rows(kinds):
    """The page kinds a page cache may hold: pages (not downloads) that answered 200."""
    return [
        row
        for row in kinds["rows"]
        if row["path"] and row["status"] == 200 and not row["download"] and not row["problem"]
    ]


def sweep(args, rows, servers, wrk):
    """Requests per second of every page kind in each cached mode, after a warm-up in which
    every worker stores it."""
    modes = [mode.strip() for mode in args.sweep_modes.split(",") if mode.strip() in servers]
    per_step = args.sweep_seconds + 1
    print(
        f"\ncached sweep: {len(rows)} page kinds x {', '.join(modes)}, about "
        f"{math.ceil(len(rows) * len(modes) * per_step / 60)} min",
        flush=True,
    )
    swept, floors = {}, {}
    floor = servers.get("uncached")
    for mode in modes:
        base = servers[mode].base
        for number, row in enumerate(rows):
            if floor and number % SWEEP_FLOOR_EVERY == 0:
                # The floor again every few page kinds: the shared machine's speed drifts
                # over a sweep of many minutes, and each ratio compares with its own time.
                floors.setdefault(mode, server.Result()).add(
                    server.run_load(
                        floor.base,
                        [TRIVIAL],
                        seconds=args.sweep_seconds,
                        connections=args.connections,
                        threads=args.threads,
                        timeout=args.timeout,
                        wrk=wrk,
                    )
                )
            path = row["path"]
            # One connection per worker: each renders the page once and stores it.
            server.run_load(
                base, [path], seconds=1, connections=args.workers, timeout=args.timeout, wrk=wrk
            )
            server.drain(base, [TRIVIAL, path])
            result = swept[row["label"], mode] = server.run_load(
                base,
                [path],
                seconds=args.sweep_seconds,
                connections=args.connections,
                threads=args.threads,
                timeout=args.timeout,
                wrk=wrk,
            )
            hits = result.cache["hit"] / result.requests if result.requests else 0
            print(f"  {mode:8} {row['label'][:44]:44} {result.rps:7.0f} rps {hits:5.0%} hits")
    return swept, {mode: result.rps for mode, result in floors.items()}


def serve_every_kind(rows, servers, workers):
    """Every address of every page kind from every server, `workers` requests at a time so
    that each sync worker serves each (downloads read and dropped): the workers' memory is
    then read after serving all of them, as the issue asks."""
    paths = [row["path"] for row in rows if row["path"]]

    def get(url):
        with contextlib.suppress(OSError):
            server.fetch_discarding(url)

    with ThreadPoolExecutor(workers) as pool:
        for gunicorn in servers.values():
            for path in paths:
                list(pool.map(get, [gunicorn.base + path] * workers))


class ThroughProxy:
    """The proxy tier as deployed: nginx with the shipped site file in front of a gunicorn
    with the page cache on. Measured at nginx's address."""

    def __init__(self, gunicorn, folder):
        self.gunicorn = gunicorn
        self.nginx = NginxProxy(folder, f"127.0.0.1:{gunicorn.port}", tls=False, workers="auto")
        self.base = self.nginx.base

    def start(self):
        self.gunicorn.start()
        self.nginx.start()

    def wait_ready(self, path):
        self.gunicorn.wait_ready(path)

    def stop(self):
        self.nginx.stop()
        self.gunicorn.stop()

    def log_problems(self):
        return self.gunicorn.log_problems()

    def worker_rss_mb(self):
        return self.gunicorn.worker_rss_mb()

    def log_tail(self, lines=30):
        return self.gunicorn.log_tail(lines)


def save_delays(base, rounds=6):
    """Seconds from an editor's save of a meeting to its page showing the change through the
    proxy tier, each round at another point of the micro-cache's window."""
    from meetings.models import Meeting

    meeting = Meeting.objects.published().order_by("-pk").first()
    url = base + meeting.get_absolute_url()
    original = meeting.topic
    delays = []
    try:
        for number in range(rounds):
            server.fetch(url)
            time.sleep(random.uniform(0, 1))
            marker = f"zmiana-{number}-{random.randrange(10**9)}"
            meeting.topic = f"{original} {marker}"
            saved = time.monotonic()
            meeting.save()
            while marker not in server.fetch_text(url):
                if time.monotonic() - saved > 30:
                    break
                time.sleep(0.02)
            delays.append(time.monotonic() - saved)
    finally:
        meeting.topic = original
        meeting.save()
    return delays


def measure(args, pages, servers, wrk, config):
    load = {"connections": args.connections, "threads": args.threads, "timeout": args.timeout}
    for mode, gunicorn in servers.items():
        for page in pages:
            for path in page.paths:
                status, _ = server.fetch(gunicorn.base + path)
                if status != 200:
                    raise SystemExit(
                        f"{mode}: {path} answered {status}, not 200\n{gunicorn.log_tail()}"
                    )
        every_path = [path for page in pages for path in page.paths]
        # Workers' first requests, PostgreSQL's buffers, and in cached modes each worker's
        # copy of every page: not measured.
        server.run_load(gunicorn.base, every_path, seconds=args.warmup, wrk=wrk, **load)
        server.drain(gunicorn.base, [TRIVIAL, *every_path])

    plan = [(page, mode) for page in pages for mode in servers]
    per_step = args.duration + args.latency_duration
    print(
        f"gunicorn: {config} per server; load: wrk, {args.connections} connections, "
        f"{args.threads} threads; {len(plan)} page/mode pairs x {per_step:g} s in "
        f"{args.rounds} rounds: about {math.ceil(len(plan) * per_step / 60)} min"
    )
    load_before = os.getloadavg()
    results = {}
    for number in range(args.rounds):
        for page, mode in plan if number % 2 == 0 else plan[::-1]:
            base = servers[mode].base
            loaded = server.run_load(
                base, page.paths, seconds=args.duration / args.rounds, wrk=wrk, **load
            )
            # Not a request left over from the load in the one-connection latencies.
            server.drain(base, [TRIVIAL, page.paths[0]])
            single = server.run_load(
                base,
                page.paths,
                seconds=args.latency_duration / args.rounds,
                connections=1,
                threads=1,
                timeout=args.timeout,
                wrk=wrk,
            )
            results.setdefault((page.key, mode, "load"), server.Result()).add(loaded)
            results.setdefault((page.key, mode, "single"), server.Result()).add(single)
            print(
                f"  round {number + 1}: {page.label:18} {mode:8} {loaded.rps:7.0f} rps  "
                f"1-conn p50 {ms_text(single.percentile(50))} ms",
                flush=True,
            )
    return results, (load_before, os.getloadavg())


def report(args, pages, modes, measured, config, wrk):
    results = measured.results
    load_before, load_after = measured.loadavg
    header = (
        f"{'page':18} {'mode':8} {'rps':>7} {'x triv':>6} {'p50':>7} {'p99':>7}   "
        f"{'1c p50':>7} {'1c p95':>7} {'1c p99':>7} {'hits':>5} {'non200':>6} {'errors':>6}"
    )
    lines = [
        f"http_bench {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: {os.cpu_count()} cores, "
        f"gunicorn {config}, {'wrk' if wrk else 'asyncio client'} "
        f"{args.connections} connections x {args.duration:g} s + 1 connection x "
        f"{args.latency_duration:g} s per row, load average "
        f"{load_before[0]:.1f} -> {load_after[0]:.1f}",
        "rps, p50, p99: under load; 1c: one connection, requests one after another "
        "(the page's own time); ms; hits: X-Page-Cache hits",
        "x triv: rps / the trivial view's rps "
        + ("with the page cache off (the floor)" if "uncached" in modes else "on the same server"),
        header,
        "-" * len(header),
    ]
    rows = []
    floor_mode = "uncached" if "uncached" in modes else None
    for page in pages:
        for mode in modes:
            loaded = results[page.key, mode, "load"]
            single = results[page.key, mode, "single"]
            # The floor: the trivial view with the page cache off (no database, no template,
            # no cache). With the cache on, the trivial view is itself a cache hit.
            trivial = results["trivial", floor_mode or mode, "load"]
            both = server.Result()
            both.add(loaded)
            both.add(single)
            hits = both.cache["hit"] / both.requests if both.requests else 0
            row = {
                "page": page.key,
                "label": page.label,
                "paths": page.paths,
                "mode": mode,
                "rps": loaded.rps,
                "ratio_to_trivial": loaded.rps / trivial.rps if trivial.rps else 0,
                "p50_ms": loaded.percentile(50),
                "p99_ms": loaded.percentile(99),
                "single_p50_ms": single.percentile(50),
                "single_p95_ms": single.percentile(95),
                "single_p99_ms": single.percentile(99),
                "cache_hits": hits,
                "requests": both.requests,
                "non_200": both.not_ok,
                "statuses": {str(k): v for k, v in both.statuses.items()},
                "socket_errors": both.socket_errors,
            }
            rows.append(row)
            ms = [
                ms_text(row[name])
                for name in ("p50_ms", "p99_ms", "single_p50_ms", "single_p95_ms", "single_p99_ms")
            ]
            lines.append(
                f"{page.label:18} {mode:8} {row['rps']:7.0f} {row['ratio_to_trivial']:6.2f} "
                f"{ms[0]} {ms[1]}   {ms[2]} {ms[3]} {ms[4]} {hits:5.0%} "
                f"{row['non_200']:6} {row['socket_errors']:6}"
            )
    floor = results.get(("trivial", floor_mode, "load")) if floor_mode else None
    swept = swept_rows(measured.swept, floor.rps if floor else 0, measured.sweep_floors)
    lines += page_kind_lines(args, measured.kinds, swept)
    lines += feed_lines(measured.feeds)
    lines += download_lines(measured.kinds)
    lines.append("")
    if measured.delays:
        lines.append(
            "a save shown through the proxy tier after (s): "
            + ", ".join(f"{delay:.2f}" for delay in measured.delays)
        )
    after = "serving every page kind" if measured.kinds else "the run"
    for mode, sizes in measured.memory.items():
        lines.append(
            f"{mode} workers' memory after {after} (RSS, MB): "
            + ", ".join(f"{size:.0f}" for size in sizes)
        )
    checks = targets(
        rows,
        modes,
        measured.delays,
        measured.memory,
        scale=args.scale,
        kinds=measured.kinds,
        feeds=measured.feeds,
        swept=swept,
    )
    lines.append("targets (issue #18):")
    lines += [f"  {'PASS' if ok else 'FAIL'}  {text}" for ok, text in checks]
    for mode, found in measured.problems.items():
        if found:
            lines.append(f"server log of {mode}: {len(found)} problem lines, e.g. {found[0]}")
    text = "\n".join(lines)
    print()
    print(text)

    server.RESULTS.mkdir(exist_ok=True)
    stamp = f"{datetime.now().astimezone():%Y%m%d-%H%M%S}"
    (server.RESULTS / f"http_bench-{stamp}.txt").write_text(text + "\n")
    (server.RESULTS / f"http_bench-{stamp}.json").write_text(
        json.dumps(
            {
                "args": vars(args),
                "rows": rows,
                "page_kinds": measured.kinds,
                "feeds": measured.feeds,
                "cached_sweep": swept,
                "save_delays_s": measured.delays,
                "worker_rss_mb": measured.memory,
                "checks": checks,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"\nwritten to bench-results/http_bench-{stamp}.txt and .json")
    if args.strict and not all(ok for ok, _ in checks):
        sys.exit(1)


def swept_rows(swept, floor_rps, floors=None):
    """The cached sweep as rows: requests per second over the floor's (as measured during
    that mode's sweep, else in the main run), and the share of responses the page cache
    answered (hits) or held at all (hits and misses)."""
    rows = []
    for (label, mode), result in swept.items():
        requests = result.requests or 1
        floor = (floors or {}).get(mode) or floor_rps
        rows.append(
            {
                "label": label,
                "mode": mode,
                "rps": result.rps,
                "ratio_to_trivial": result.rps / floor if floor else 0,
                "floor_rps": floor,
                "hits": result.cache["hit"] / requests,
                "cacheable": (result.cache["hit"] + result.cache["miss"]) / requests,
                "non_200": result.not_ok,
                "socket_errors": result.socket_errors,
            }
        )
    return rows


def page_kind_lines(args, kinds, swept):
    """Every page kind: uncached p50/p95 (pages_bench) beside its cached throughput as a
    ratio of the floor in each swept mode."""
    if not kinds:
        return []
    modes = sorted({row["mode"] for row in swept}, key=("cached", "redis", "proxy").index)
    by = {(row["label"], row["mode"]): row for row in swept}
    head = f"{'pattern':28} {'address':44} {'p50':>8} {'p95':>8}" + "".join(
        f" {mode + ' x fl':>11}" for mode in modes
    )
    floors = ", ".join(
        f"{mode} {rps:.0f} rps" for mode, rps in {r["mode"]: r["floor_rps"] for r in swept}.items()
    )
    lines = [
        "",
        f"every page kind ({kinds['size']}; load average "
        f"{kinds.get('load_average', [math.nan])[0]:.1f} at its end): uncached p50/p95 in ms, "
        "in process (pages_bench; downloads: their first byte); cached: rps over the floor's, "
        f"{args.sweep_seconds:g} s under load each (- where the page cache does not hold it)"
        + (f"; the floor during each sweep: {floors}" if floors else ""),
        head,
        "-" * len(head),
    ]
    for row in kinds["rows"]:
        if row["download"]:
            p50, p95 = row["first_byte_p50_ms"], row["first_byte_p50_ms"]
        else:
            p50, p95 = row["p50_ms"], row["p95_ms"]
        cells = ""
        for mode in modes:
            found = by.get((row["label"], mode))
            if found and found["cacheable"] >= 0.5:
                cells += f" {found['ratio_to_trivial']:11.2f}"
            else:
                cells += f" {'-':>11}"
        verdict = "" if row["ok"] else "  over target" if not row["problem"] else "  ERROR"
        lines.append(
            f"{row['pattern'][:28]:28} {row['label'][:44]:44} {ms_text(p50)} {ms_text(p95)} "
            f"{cells}{verdict}"
        )
    for label, plan in kinds.get("plans", {}).items():
        cause = plan.splitlines()[0] if plan else ""
        lines.append(f"  over target: {label}: {cause}")
    return lines


def feed_lines(feeds):
    if not feeds:
        return []
    width = max(len(row["path"]) for row in feeds)
    lines = ["", "feeds and calendars (feeds_bench, uncompressed):"]
    lines += [
        f"  {row['path']:{width}}  {row['status']}  {row['size']:>11,} B  "
        f"{row['entries']:6,} entries  {row['median_ms']:8.1f} ms"
        for row in feeds
    ]
    return lines


def download_lines(kinds):
    rows = [row for row in (kinds or {}).get("rows", []) if row["download"]]
    if not rows:
        return []
    lines = ["", "downloads (as sent; first byte and whole, p50 ms):"]
    lines += [
        f"  {row['label'][:44]:44} {row['status']}  {row['bytes']:>13,} B  first byte "
        f"{ms_text(row['first_byte_p50_ms'])}  whole {ms_text(row['p50_ms'])}"
        for row in rows
    ]
    return lines


def ms_text(value):
    """Milliseconds, or a dash when no request finished (a page slower than the run)."""
    if value is None or math.isnan(value):
        return "      -"
    return f"{value:7.1f}"


def listed(items, most=8):
    """A few of `items` for a check's line, with how many more there are."""
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def targets(rows, modes, delays, memory, *, scale=1, kinds=None, feeds=(), swept=()):
    """(passed, text) of each of issue #18's targets the run measured."""
    page_ms = page_target_ms(scale)
    by = {(row["page"], row["mode"]): row for row in rows}
    checks = []
    for mode in modes:
        if mode == "uncached":
            continue
        share = PROXY_FACTOR if mode == "proxy" else CACHED_SHARE
        for (page, row_mode), row in by.items():
            if row_mode == mode and page != "trivial":
                checks.append(
                    (
                        row["ratio_to_trivial"] >= share,
                        f"{mode} {row['label']}: {row['rps']:.0f} rps = "
                        f"{row['ratio_to_trivial']:.2f} x the trivial view's (>= {share:.2f})",
                    )
                )
    for mode in sorted({row["mode"] for row in swept}):
        share = PROXY_FACTOR if mode == "proxy" else CACHED_SHARE
        held = [row for row in swept if row["mode"] == mode and row["cacheable"] >= 0.5]
        under = [row for row in held if row["ratio_to_trivial"] < share]
        checks.append(
            (
                not under and bool(held),
                f"{mode}, every page kind the page cache holds: {len(held) - len(under)} of "
                f"{len(held)} at >= {share:.2f} x the floor"
                + (
                    "; under: "
                    + listed([f"{r['label']} {r['ratio_to_trivial']:.2f}" for r in under])
                    if under
                    else ""
                ),
            )
        )
    if delays:
        checks.append(
            (
                max(delays) <= SAVE_VISIBLE_S,
                f"a save shows through the proxy tier within {max(delays):.2f} s "
                f"(<= {SAVE_VISIBLE_S:g} s, worst of {len(delays)})",
            )
        )
    if "uncached" in modes:
        for (page, row_mode), row in by.items():
            if row_mode != "uncached" or page == "trivial":
                continue
            if page == "search":
                value, what = row["single_p95_ms"], "p95"
            else:
                value, what = row["single_p50_ms"], "p50"
            checks.append(
                (
                    value < page_ms,
                    f"uncached {row['label']} under gunicorn: {what} "
                    f"{ms_text(value).strip()} ms (< {page_ms} ms, one connection)",
                )
            )
    if kinds:
        checks += page_kind_checks(kinds, page_ms)
    if feeds:
        largest = max(feeds, key=lambda row: row["size"])
        checks.append(
            (
                largest["size"] < FEED_MAX_BYTES,
                f"every feed and calendar under {FEED_MAX_BYTES:,} B: the largest "
                f"{largest['path']} {largest['size']:,} B ({len(feeds)} URLs)",
            )
        )
    largest = max((size for sizes in memory.values() for size in sizes), default=0)
    if largest:
        after = "serving every page kind" if kinds else "the run (these pages only)"
        checks.append(
            (
                largest < WORKER_RSS_MB,
                f"largest worker {largest:.0f} MB RSS after {after} (< {WORKER_RSS_MB} MB)",
            )
        )
    requests = sum(row["requests"] for row in rows)
    bad = sum(row["non_200"] for row in rows) + sum(row["non_200"] for row in swept)
    errors = sum(row["socket_errors"] for row in rows) + sum(r["socket_errors"] for r in swept)
    statuses = sorted({s for row in rows for s in row["statuses"] if s != "200"})
    checks.append(
        (
            bad == 0 and errors == 0,
            f"every request under load answered 200: {requests:,} requests, {bad} not 200"
            + (f" (statuses {', '.join(statuses)})" if statuses else "")
            + f", {errors} socket errors or timeouts",
        )
    )
    return checks


def page_kind_checks(kinds, page_ms):
    """Issue #18's uncached targets over pages_bench's rows: pages' p50 (search's p95 too),
    downloads' first byte, expected statuses, and every URL pattern measured."""
    rows = kinds["rows"]
    pages = [row for row in rows if not row["download"]]
    downloads = [row for row in rows if row["download"]]
    slow = sorted(
        (row for row in pages if not row["p50_ms"] < page_ms),
        key=lambda row: -row["p50_ms"],
    )
    checks = [
        (
            not slow,
            f"uncached page kinds p50 < {page_ms} ms: {len(pages) - len(slow)} of {len(pages)}"
            + (
                "; slowest: " + listed([f"{r['label']} {r['p50_ms']:.0f}" for r in slow])
                if slow
                else ""
            ),
        )
    ]
    searches = [row for row in pages if row["pattern"] == "search:results"]
    if searches:
        worst = max(row["p95_ms"] for row in searches)
        checks.append((worst < page_ms, f"uncached search p95 {worst:.1f} ms (< {page_ms} ms)"))
    late = [row for row in downloads if not row["first_byte_p50_ms"] < DOWNLOAD_TARGET_MS]
    if downloads:
        checks.append(
            (
                not late,
                f"downloads' first byte < {DOWNLOAD_TARGET_MS} ms: "
                f"{len(downloads) - len(late)} of {len(downloads)}"
                + (
                    "; late: "
                    + listed([f"{r['label']} {r['first_byte_p50_ms']:.0f}" for r in late])
                    if late
                    else ""
                ),
            )
        )
    wrong = [row for row in rows if row["problem"] or row["status"] != row["expected_status"]]
    checks.append(
        (
            not wrong,
            f"every page kind answered as expected: {len(rows) - len(wrong)} of {len(rows)}"
            + (
                "; not: " + listed([f"{r['label']} {r['status']} {r['problem']}" for r in wrong])
                if wrong
                else ""
            ),
        )
    )
    unmeasured = kinds.get("unmeasured", [])
    checks.append(
        (
            not unmeasured,
            "every public URL pattern measured"
            + (f"; not: {listed(unmeasured)}" if unmeasured else ""),
        )
    )
    return checks


if __name__ == "__main__":
    main()
