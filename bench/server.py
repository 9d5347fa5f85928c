"""What the benchmarks in bench/ share.

- a PostgreSQL database of their own, filled once and reused while it holds exactly the data
  asked for (loading 100,000 postulates takes over a minute), always VACUUM ANALYZEd
  (every script loads it through prepare_database()):
  autovacuum is off on the development machines; without statistics the planner is 20x
  slower, and unmerged full-text index entries slow every search; then the statistics'
  facts are built for the current content generation, as production's worker does after
  every change (rebuild_snapshot()): without them the lists and statistics count live, a
  fallback production serves only until the worker's next round;
- gunicorn with production settings (debug off, manifest static files, security
  middleware) on a loopback port, with gunicorn.conf.py, stopped with its whole process
  group however the script ends;
- wrk with bench/wrk_stats.lua: requests per second, latency quantiles, status codes and
  page-cache hits; an asyncio client stands in when wrk is missing and cannot be installed.
"""

import asyncio
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/5"
SEED = 2026
WRK_SCRIPT = Path(__file__).with_name("wrk_stats.lua")
RESULTS = ROOT / "bench-results"
PORTS = range(8200, 8300)
# The per-address limits lifted, for a benchmark whose every request comes from one address.
ONE_CLIENT_LIMITS = {
    "DJANGO_API_RATE_LIMIT": "1000000000",
    "DJANGO_EXPORT_RATE_LIMIT": "1000000000",
}
ACCESS_LOG_FORMAT = '%(s)s %(L)s %(B)s "%(r)s"'
ACCESS_LOG_LINE = re.compile(r'^(\d{3}) ([\d.]+) (\d+|-) "\S+ (\S+) [^"]*"$')
QUANTILES = 1000  # latency quantiles wrk prints per run, merged across runs


def mode_env(mode):
    """The environment of a server in `mode`: uncached (page cache off), redis, cached, or
    proxy (cached, behind nginx)."""
    if mode == "uncached":
        return {"DJANGO_PAGE_CACHE": "off"}
    if mode == "redis":
        return {"REDIS_URL": REDIS_URL}
    if mode == "proxy":
        # As deploy/nginx/archiwum-ngo.conf asks of the app behind it.
        return {"DJANGO_PAGE_CACHE_TOKEN_SECONDS": "0"}
    return {}


if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def stop_on_sigterm():
    """SIGTERM unwinds like Ctrl-C, so every `finally` stops the servers it started."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


# --- The database ------------------------------------------------------------------------


def psql(sql, database="postgres"):
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qAtc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def setup_django(database, url=None):
    """Django in this process, on the benchmark's database (to load it and pick URLs), or on
    the database at `url`."""
    import django

    os.environ["DATABASE_URL"] = url or f"{POSTGRES}/{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "krakow_ngo.settings"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    django.setup()


def add_database_arguments(parser, *, meetings=10_000, postulates=100_000):
    """--reload, --meetings, --postulates and --database-url, as `open_database` reads them."""
    parser.add_argument("--reload", action="store_true", help="load the database anew")
    parser.add_argument("--meetings", type=int, default=meetings)
    parser.add_argument("--postulates", type=int, default=postulates)
    parser.add_argument("--database-url", help="measure this database as it is, loading nothing")


def open_database(args, database):
    """Django on --database-url as it is, or on `database` filled (or reused) with the sample
    data --meetings and --postulates ask for."""
    if args.database_url:
        setup_django(database, url=args.database_url)
        return
    setup_django(database)
    prepare_database(
        database, meetings=args.meetings, postulates=args.postulates, reload=args.reload
    )


def database_contents():
    from meetings.models import ArchiveYear, Meeting
    from postulates.models import Postulate

    return {
        "real archive": ArchiveYear.objects.filter(is_sample=False).exists(),
        "sample meetings": Meeting.objects.filter(is_sample=True).count(),
        "sample postulates": Postulate.objects.filter(is_sample=True).count(),
    }


def prepare_database(database, *, meetings, postulates, real_archive=False, reload=False):
    """Makes `database` hold exactly the data asked for, reusing it when it already does.

    Call setup_django(database) first. Leaves no connection open.
    """
    from django.core.management import call_command
    from django.db import connection

    wanted = {
        "real archive": real_archive,
        "sample meetings": meetings,
        "sample postulates": postulates,
    }
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    fresh = reload or not exists
    if not fresh:
        call_command("migrate", verbosity=0)
        found = database_contents()
        if found == wanted:
            print(f"database {database}: reused ({describe(found)}; --reload to load anew)")
        else:
            print(f"database {database} holds {describe(found)}, not {describe(wanted)}")
            fresh = True
    if fresh:
        connection.close()
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{database}"')
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        if real_archive:
            call_command("load_archive", verbosity=0)
        call_command("generate_sample_data", meetings=meetings, postulates=postulates, seed=SEED)
        found = database_contents()
        if found != wanted:
            raise SystemExit(f"database {database} holds {describe(found)} after loading")
        print(f"database {database}: loaded in {time.perf_counter() - started:.0f} s")
    # VACUUM as autovacuum would have by then on a running server: besides the statistics,
    # it merges the full-text indexes' pending entries, which a fresh bulk load leaves for
    # every search to scan (it slowed the index scans two to three times).
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"database {database}: VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
    rebuild_snapshot()
    connection.close()


def rebuild_snapshot():
    """The statistics' facts and the lists' orders for the current content generation, as
    the alerts worker builds them (stats.snapshot.rebuild) after every change: the pages a
    benchmark measures then read them as production's do. A no-op when they are built."""
    from stats.snapshot import rebuild

    started = time.perf_counter()
    built = rebuild()
    state = f"built in {time.perf_counter() - started:.1f} s" if built else "already built"
    print(f"statistics snapshot for the current generation: {state}", flush=True)


def share_generation_with_redis(database, url=REDIS_URL):
    """Makes the Redis store hold the database store's content generation, so a server with
    REDIS_URL set reads the statistics' facts built for it instead of counting live (in
    production one store holds the token and the worker builds the facts for it)."""
    code = (
        "from pagecache.generation import CacheStore, DatabaseStore; "
        "CacheStore().replace_token(DatabaseStore().read()[0])"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "REDIS_URL": url,
        "DJANGO_SETTINGS_MODULE": "krakow_ngo.settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True
    )


def describe(contents):
    archive = "the real archive + " if contents["real archive"] else ""
    return (
        f"{archive}{contents['sample meetings']:,} sample meetings, "
        f"{contents['sample postulates']:,} sample postulates"
    )


# --- gunicorn ----------------------------------------------------------------------------


def media_root():
    """The media folder the servers use: DJANGO_MEDIA_ROOT when set (one per database, so the
    built downloads of one size never replace another's), else the checkout's media/."""
    return os.environ.get("DJANGO_MEDIA_ROOT") or str(ROOT / "media")


def production_env(database, workdir, settings="krakow_ngo.settings", **extra):
    """The environment of a production deployment, on loopback over plain http."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "REDIS_URL", "DJANGO_PAGE_CACHE", "PORT", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain http on loopback: no TLS proxy in front to redirect to.
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"{POSTGRES}/{database}",
        DJANGO_STATIC_ROOT=str(Path(workdir) / "static"),
        DJANGO_MEDIA_ROOT=media_root(),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def collectstatic(env):
    """Manifest static files, as the Docker image builds them (pages link hashed names)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def free_ports(count, candidates=PORTS):
    ports = []
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise SystemExit(f"fewer than {count} free ports in {candidates.start}-{candidates.stop - 1}")


@dataclass
class Config:
    """One gunicorn configuration for every server of a run."""

    workers: int = 3
    worker_class: str = "sync"
    threads: int = 1

    def env(self):
        return {
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_WORKER_CLASS": self.worker_class,
            "GUNICORN_THREADS": str(self.threads),
        }

    def __str__(self):
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"{self.workers} {self.worker_class} workers{threads}"


class Gunicorn:
    """gunicorn on 127.0.0.1:port, in a process group of its own so nothing outlives it."""

    def __init__(self, name, port, env, config, workdir):
        self.name = name
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = Path(workdir) / f"gunicorn-{name}.log"
        self.access_log = Path(workdir) / f"access-{name}.log"
        self.env = {**env, **config.env(), "PORT": str(port)}
        self.env["GUNICORN_ACCESS_LOG"] = str(self.access_log)
        self.process = None

    def start(self):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "--config",
                    str(ROOT / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    # Status, seconds, bytes, request line: what access_log_entries() reads.
                    "--access-logformat",
                    ACCESS_LOG_FORMAT,
                ],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, path, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn {self.name} exited:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                status, _ = fetch(self.base + path, timeout=5)
                if status == 200:
                    return
            time.sleep(0.3)
        raise SystemExit(f"gunicorn {self.name} did not answer {path}:\n{self.log_tail()}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def access_log_entries(self):
        """(status, seconds, bytes, path) of every request the server logged."""
        entries = []
        if not self.access_log.exists():
            return entries
        for line in self.access_log.read_text(errors="replace").splitlines():
            match = ACCESS_LOG_LINE.match(line)
            if match:
                status, seconds, size, path = match.groups()
                entries.append((int(status), float(seconds), int(size.replace("-", "0")), path))
        return entries

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def worker_rss_mb(self):
        """Resident memory of each of the server's workers (the master's children), in MB."""
        if self.process is None:
            return []
        sizes = []
        for status in Path("/proc").glob("[0-9]*/status"):
            with contextlib.suppress(OSError):
                fields = dict(
                    line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
                )
                if int(fields["PPid"]) == self.process.pid and "VmRSS" in fields:
                    sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
        return sorted(sizes)

    def log_problems(self):
        """Lines of the server's own log that tell of failures (not the access log)."""
        words = ("Traceback", "WORKER TIMEOUT", "[CRITICAL]", "[ERROR]", "Internal Server Error")
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [line for line in text.splitlines() if any(word in line for word in words)]


@contextlib.contextmanager
def running(servers, ready_path):
    """Starts every server, waits for all, and stops them all whatever happens."""
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready(ready_path)
        yield servers
    finally:
        for server in servers:
            server.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirect)


def fetch(url, timeout=30):
    """(status, headers) of one GET, redirects not followed."""
    try:
        with _opener.open(url, timeout=timeout) as response:
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def fetch_discarding(url, timeout=300):
    """(status, bytes) of one GET read in chunks and dropped: a download of any size costs
    this process no memory."""
    try:
        with _opener.open(url, timeout=timeout) as response:
            size = 0
            while chunk := response.read(1 << 20):
                size += len(chunk)
            return response.status, size
    except urllib.error.HTTPError as error:
        return error.code, 0


def fetch_text(url, timeout=30):
    """The body of one GET as text ('' on an error status)."""
    try:
        with _opener.open(url, timeout=timeout) as response:
            return response.read().decode(errors="replace")
    except urllib.error.HTTPError:
        return ""


def drain(base, paths, timeout=300):
    """Waits until a server has answered what a load run left queued.

    Sync workers go on serving requests whose client has gone, so after wrk stops, a slow
    page keeps the workers busy for up to connections x page time. The first GET waits for
    the listen queue to empty; the next, as long as a page takes, for the requests still
    in the other workers' hands.
    """
    for path in paths:
        fetch(base + path, timeout=timeout)


def flush_redis(url=REDIS_URL):
    """Empties the benchmark's Redis database; False when Redis does not answer."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
        client.close()
        return True
    except Exception as error:
        print(f"Redis at {url} unavailable ({error})")
        return False


# --- Load generation ---------------------------------------------------------------------


def ensure_wrk():
    """wrk's path, installing Debian's package when running as root; None without it."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (apt-get install wrk)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=False)
    if not shutil.which("wrk"):
        print("wrk is not available: using the slower asyncio client (numbers not comparable)")
    return shutil.which("wrk")


@dataclass
class Result:
    """Totals of one or more load runs against one target."""

    requests: int = 0
    seconds: float = 0.0
    bytes: int = 0
    errors: Counter = field(default_factory=Counter)  # socket errors: connect, read, ...
    statuses: Counter = field(default_factory=Counter)
    cache: Counter = field(default_factory=Counter)  # X-Page-Cache: hit, miss, none
    quantiles: list = field(default_factory=list)  # (latency in µs, share of requests)
    max_us: int = 0

    def add(self, other):
        self.requests += other.requests
        self.seconds += other.seconds
        self.bytes += other.bytes
        self.errors.update(other.errors)
        self.statuses.update(other.statuses)
        self.cache.update(other.cache)
        # Each run's quantiles stand for its requests: weights merge runs of any length.
        self.quantiles += [(value, weight * other.requests) for value, weight in other.quantiles]
        self.max_us = max(self.max_us, other.max_us)

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share):
        """Latency in ms at `share` (0-100) of the requests."""
        points = sorted(self.quantiles)
        total = sum(weight for _, weight in points)
        if not total:
            return float("nan")
        rank = share / 100 * total
        seen = 0.0
        for value, weight in points:
            seen += weight
            if seen >= rank:
                return value / 1000
        return points[-1][0] / 1000

    @property
    def socket_errors(self):
        return sum(self.errors[kind] for kind in ("connect", "read", "write", "timeout"))

    @property
    def not_ok(self):
        """Responses whose status was not 200."""
        return sum(count for status, count in self.statuses.items() if status != 200)


def run_load(base, paths, *, seconds, connections, threads=1, timeout=10, wrk=None):
    """Loads `base` + paths (rotated request by request) for `seconds`; a Result."""
    if wrk:
        return run_wrk(wrk, base, paths, seconds, connections, threads, timeout)
    return asyncio.run(run_asyncio(base, paths, seconds, connections, timeout))


def run_wrk(wrk, base, paths, seconds, connections, threads, timeout):
    command = [
        wrk,
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        f"--timeout={timeout}s",
        f"--script={WRK_SCRIPT}",
        # As every browser does: the page cache keeps pages compressed for such clients.
        "--header=Accept-Encoding: gzip",
        base + paths[0],
        "--",
        *paths,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=False)
    if output.returncode != 0:
        raise SystemExit(f"wrk failed ({output.returncode}):\n{output.stdout}\n{output.stderr}")
    result = Result()
    for line in output.stdout.splitlines():
        parts = line.split()
        if not parts or parts[0] != "@wrk":
            continue
        kind, values = parts[1], parts[2:]
        if kind == "summary":
            requests, micros, size, connect, read, write, status, timeouts, top = map(
                int, map(float, values)
            )
            result.requests, result.seconds, result.bytes = requests, micros / 1e6, size
            result.max_us = top
            result.errors.update(
                {"connect": connect, "read": read, "write": write, "timeout": timeouts}
            )
            result.errors["status>=400"] += status
        elif kind == "status":
            result.statuses[int(values[0])] += int(values[1])
        elif kind == "cache":
            result.cache[values[0]] += int(values[1])
        elif kind == "q":
            result.quantiles.append((float(values[1]), 1 / QUANTILES))
    return result


async def run_asyncio(base, paths, seconds, connections, timeout):
    """A plain HTTP/1.1 client, one connection per request, for when wrk is missing."""
    host, port = base.removeprefix("http://").split(":")
    deadline = time.perf_counter() + seconds
    result, latencies = Result(), []
    counter = iter(range(10**12))

    async def one(path):
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
        ).encode()
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            writer.write(request)
            data = await reader.read()
        finally:
            writer.close()
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        cache = next(
            (h.split(":", 1)[1].strip() for h in head if h.lower().startswith("x-page-cache:")),
            "none",
        )
        return status, cache, len(data), time.perf_counter() - started

    async def connection():
        while time.perf_counter() < deadline:
            path = paths[next(counter) % len(paths)]
            try:
                status, cache, size, elapsed = await asyncio.wait_for(one(path), timeout)
            except TimeoutError:
                result.errors["timeout"] += 1
                continue
            except OSError:
                result.errors["read"] += 1
                continue
            result.statuses[status] += 1
            result.cache[cache] += 1
            result.bytes += size
            latencies.append(elapsed * 1e6)

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    result.seconds = time.perf_counter() - started
    result.requests = len(latencies)
    result.quantiles = [(value, 1 / len(latencies)) for value in latencies] if latencies else []
    result.max_us = int(max(latencies, default=0))
    return result
