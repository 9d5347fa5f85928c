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

Prints a table and the issue's targets with PASS/FAIL; exits non-zero on a FAIL only with
--strict. Writes the numbers to bench-results/. A benchmark, not a test.
"""

import argparse
import json
import math
import os
import random
import sys
import tempfile
import time
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
CACHED_SHARE = 0.60  # cached pages: at least this share of the trivial view's throughput
PROXY_FACTOR = 10  # through the proxy tier: at least this many times the floor's throughput
SAVE_VISIBLE_S = 2.0  # an editor's save shows through the proxy tier within this
WORKER_RSS_MB = 200  # a gunicorn worker's resident memory after the run
YEAR_P50_MS = 30  # uncached year page, one connection
SEARCH_P95_MS = 50  # uncached search, one connection


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
        base_env = server.production_env(database, workdir, settings="bench.settings")
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
            delays = save_delays(servers["proxy"].base) if "proxy" in servers else []
            problems = {mode: s.log_problems() for mode, s in servers.items()}
            memory = {mode: s.worker_rss_mb() for mode, s in servers.items()}
    report(args, pages, modes, results, loadavg, problems, config, wrk, delays, memory)


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


def report(args, pages, modes, results, loadavg, problems, config, wrk, delays, memory):
    load_before, load_after = loadavg
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
    for page in pages:
        for mode in modes:
            loaded = results[page.key, mode, "load"]
            single = results[page.key, mode, "single"]
            # The floor: the trivial view with the page cache off (no database, no template,
            # no cache). With the cache on, the trivial view is itself a cache hit.
            trivial = results["trivial", "uncached" if "uncached" in modes else mode, "load"]
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
    lines.append("")
    if delays:
        lines.append(
            "a save shown through the proxy tier after (s): "
            + ", ".join(f"{delay:.2f}" for delay in delays)
        )
    for mode, sizes in memory.items():
        lines.append(
            f"{mode} workers' memory after the run (RSS, MB): "
            + ", ".join(f"{size:.0f}" for size in sizes)
        )
    checks = targets(rows, modes, delays, memory)
    lines.append("targets (issue #8):")
    lines += [f"  {'PASS' if ok else 'FAIL'}  {text}" for ok, text in checks]
    for mode, found in problems.items():
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
                "save_delays_s": delays,
                "worker_rss_mb": memory,
                "checks": checks,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"\nwritten to bench-results/http_bench-{stamp}.txt and .json")
    if args.strict and not all(ok for ok, _ in checks):
        sys.exit(1)


def ms_text(value):
    """Milliseconds, or a dash when no request finished (a page slower than the run)."""
    return "      -" if math.isnan(value) else f"{value:7.1f}"


def targets(rows, modes, delays, memory):
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
    if delays:
        checks.append(
            (
                max(delays) <= SAVE_VISIBLE_S,
                f"a save shows through the proxy tier within {max(delays):.2f} s "
                f"(<= {SAVE_VISIBLE_S:g} s, worst of {len(delays)})",
            )
        )
    if "uncached" in modes:
        year = by.get(("year", "uncached"))
        if year:
            checks.append(
                (
                    year["single_p50_ms"] < YEAR_P50_MS,
                    f"uncached {year['label']} p50 {ms_text(year['single_p50_ms']).strip()} ms "
                    f"(< {YEAR_P50_MS} ms, one connection)",
                )
            )
        search = by.get(("search", "uncached"))
        if search:
            checks.append(
                (
                    search["single_p95_ms"] < SEARCH_P95_MS,
                    f"uncached {search['label']} p95 {ms_text(search['single_p95_ms']).strip()} ms "
                    f"(< {SEARCH_P95_MS} ms, one connection)",
                )
            )
    largest = max((size for sizes in memory.values() for size in sizes), default=0)
    if largest:
        checks.append(
            (
                largest < WORKER_RSS_MB,
                f"largest worker {largest:.0f} MB RSS after the run (< {WORKER_RSS_MB} MB)",
            )
        )
    requests = sum(row["requests"] for row in rows)
    bad = sum(row["non_200"] for row in rows)
    errors = sum(row["socket_errors"] for row in rows)
    statuses = sorted({s for row in rows for s in row["statuses"] if s != "200"})
    checks.append(
        (
            bad == 0 and errors == 0,
            f"every request answered 200: {requests:,} requests, {bad} not 200"
            + (f" (statuses {', '.join(statuses)})" if statuses else "")
            + f", {errors} socket errors or timeouts",
        )
    )
    return checks


if __name__ == "__main__":
    main()
