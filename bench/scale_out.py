"""Scale-out check: two gunicorn instances sharing PostgreSQL, Redis and object storage serve
the same site consistently (issue #8).

    make scale-out-check   (or: .venv/bin/python bench/scale_out.py [--reload])

Fills (or reuses) the PostgreSQL database `krakow_ngo_scaleout` with the real archive plus a
few sample meetings and postulates, starts moto's S3 server in this process on a free loopback
port with a fresh bucket, empties Redis database 7, and starts two gunicorn instances with
production settings on ports 8300-8399. Both get the same DATABASE_URL, REDIS_URL, bucket and
DJANGO_SECRET_KEY, and each its own empty DJANGO_MEDIA_ROOT (which must stay empty). Requests
carry the same Host header on both, as a load balancer passes it on.

Checks, each printed PASS or FAIL:

  a. /zdrowie/ answers 200 {"status": "ok", ...} on both, also when probed concurrently;
  b. home, a year, a meeting, the postulate list and a search give identical bodies and
     ETags on both, from the shared cache (a page one server rendered is a hit on the other);
  c. a meeting retitled through the app's code (`manage.py shell` in a subprocess) shows on
     both within PAGE_CACHE_TOKEN_SECONDS + 1 s, and the old ETag gets a 200 with the new page;
  d. a file saved on a published document lands in the bucket, not on any local disk, and its
     download address gives the same bytes on both;
  e. an unpublished meeting answers 404 on both within the same window;
  f. neither server logged a traceback.

Whatever happens, the records changed are put back, and the servers, the S3 server and the
temporary folders are gone when it ends. Exits 1 on any FAIL.
"""

import argparse
import concurrent.futures
import http.client
import json
import logging
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server

DATABASE = "krakow_ngo_scaleout"
MEETINGS = 20
POSTULATES = 200
REDIS_URL = "redis://127.0.0.1:6379/7"
PORTS = range(8300, 8400)
# The host name every request names, whichever server takes it: pages' cache keys and ETags
# are built from the absolute URL, so a load balancer passes the same Host to every server.
HOST = "localhost"
S3_REGION = "eu-central-1"
S3_KEY = "test"  # moto accepts any credentials
MARGIN_SECONDS = 1.0  # on top of PAGE_CACHE_TOKEN_SECONDS
POLL_SECONDS = 3.0
SWEEP_REQUESTS = 8  # concurrent requests per server once the window has passed
HEALTH_ROUNDS = 5
MARKER = "scale-out"
RESULT = "SCALE-OUT-RESULT "

# Run by `manage.py shell -c` with the servers' environment: the app's own code, so saves
# invalidate the page cache through Redis and files go to the configured storage.
SHELL_CODE = f"""
import json, os, time
from django.core.files.base import ContentFile
from meetings.models import Document, Meeting

args = json.loads(os.environ["SCALE_OUT_ARGS"])
action = args["action"]
result = {{}}
if action == "retitle":
    meeting = Meeting.objects.get(pk=args["meeting"])
    meeting.title = args["title"]
    meeting.save()
elif action == "attach":
    document = Document.objects.get(pk=args["document"])
    document.file.save(args["name"], ContentFile(bytes.fromhex(args["content"])))
    document.refresh_from_db()
    result = {{
        "name": document.file.name,
        "url": document.get_download_url(),
        # default_storage is a lazy proxy; __class__ names the storage behind it.
        "storage": document.file.storage.__class__.__module__,
    }}
elif action == "unpublish":
    meeting = Meeting.objects.get(pk=args["meeting"])
    meeting.status = "draft"
    meeting.save()
elif action == "restore":
    meeting = Meeting.objects.get(pk=args["meeting"])
    meeting.title, meeting.status = args["title"], args["status"]
    meeting.save()
    document = Document.objects.get(pk=args["document"])
    if document.file.name != args["file"]:
        document.file = args["file"]
        document.save()
result["saved_at"] = time.time()
print({RESULT!r} + json.dumps(result))
"""


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def etag(self):
        return self.headers.get("etag", "")

    @property
    def cache(self):
        return self.headers.get("x-page-cache", "none")


def get(gunicorn, path, headers=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn.port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Response(response.status, headers, body)
    finally:
        connection.close()


def get_many(gunicorns, path, per_server):
    """`per_server` concurrent GETs of `path` on every server (so several workers answer)."""
    with concurrent.futures.ThreadPoolExecutor(len(gunicorns) * per_server) as pool:
        futures = [
            (g.name, pool.submit(get, g, path)) for g in gunicorns for _ in range(per_server)
        ]
        return [(name, future.result()) for name, future in futures]


class Checks:
    def __init__(self):
        self.failures = []

    def report(self, name, ok, detail):
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)
        if not ok:
            self.failures.append(name)
        return ok

    def run(self, name, check, *args):
        """Runs one check; an exception is that check's FAIL, not the end of the run."""
        try:
            check(self, name, *args)
        except Exception as error:  # the report names it; later checks still run
            self.report(name, False, f"{type(error).__name__}: {error}")


# --- Setting up --------------------------------------------------------------------------


@dataclass
class Targets:
    pages: dict  # label -> path
    meeting_pk: int
    meeting_title: str
    meeting_status: str
    meeting_path: str
    document_pk: int
    document_file: str


def pick_targets():
    """A published real meeting to change, a published document of another meeting, pages."""
    from django.urls import reverse

    from meetings.models import Document, Meeting

    meeting = (
        Meeting.objects.published()
        .filter(is_sample=False)
        .exclude(title__contains=MARKER)  # left over by an interrupted run
        .order_by("pk")
        .first()
    )
    document = (
        Document.objects.published()
        .filter(meeting__isnull=False, file="")
        .exclude(meeting=meeting)
        .order_by("pk")
        .first()
    )
    if meeting is None or document is None:
        raise SystemExit(f"{DATABASE} has no published meeting or document left: use --reload")
    pages = {
        "home": "/",
        "year": reverse("meetings:year", kwargs={"year": meeting.year_id}),
        "meeting": meeting.get_absolute_url(),
        "postulate list": reverse("postulates:list"),
        "search": f"{reverse('search:results')}?{urlencode({'q': 'spotkanie'})}",
    }
    return Targets(
        pages=pages,
        meeting_pk=meeting.pk,
        meeting_title=meeting.title,
        meeting_status=meeting.status,
        meeting_path=meeting.get_absolute_url(),
        document_pk=document.pk,
        document_file=document.file.name,
    )


class ObjectStorage:
    """moto's S3 server in this process, on a free loopback port, with one fresh bucket."""

    def __init__(self):
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.bucket = f"archiwum-scale-out-{secrets.token_hex(4)}"
        self.endpoint = None

    def start(self):
        import boto3

        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        self.client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_KEY,
            region_name=S3_REGION,
        )
        self.client.create_bucket(
            Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION}
        )

    def stop(self):
        self.server.stop()

    def keys(self):
        listing = self.client.list_objects_v2(Bucket=self.bucket)
        return [item["Key"] for item in listing.get("Contents", [])]

    def env(self):
        return {
            "DJANGO_S3_BUCKET": self.bucket,
            "DJANGO_S3_ENDPOINT_URL": self.endpoint,
            "DJANGO_S3_REGION": S3_REGION,
            "DJANGO_S3_ACCESS_KEY_ID": S3_KEY,
            "DJANGO_S3_SECRET_ACCESS_KEY": S3_KEY,
            "DJANGO_S3_PREFIX": "",
        }


def shell(env, **args):
    """Runs SHELL_CODE in `manage.py shell` with `env`; what it printed after RESULT."""
    completed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHELL_CODE],
        cwd=server.ROOT,
        env={**env, "SCALE_OUT_ARGS": json.dumps(args)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT):
            return json.loads(line.removeprefix(RESULT))
    tail = "\n".join((completed.stdout + completed.stderr).splitlines()[-15:])
    raise RuntimeError(
        f"manage.py shell ({args['action']}) failed ({completed.returncode}):\n{tail}"
    )


def files_under(folder):
    return sorted(
        str(path.relative_to(folder)) for path in Path(folder).rglob("*") if path.is_file()
    )


# --- The checks --------------------------------------------------------------------------


def health_problems(answers):
    wrong = []
    for server_name, response in answers:
        try:
            status = json.loads(response.body).get("status")
        except ValueError:
            status = None
        if response.status != 200 or status != "ok":
            wrong.append(
                f"{server_name}: {response.status} {response.body.decode(errors='replace')}"
            )
    return wrong


def check_health(checks, name, gunicorns):
    answers = [(g.name, get(g, "/zdrowie/")) for g in gunicorns]
    wrong = health_problems(answers)
    checks.report(
        name,
        not wrong,
        "; ".join(wrong) if wrong else f"200 on both: {answers[0][1].body.decode()}",
    )


def check_concurrent_health(checks, name, gunicorns):
    """A load balancer probes every server, and several balancers may probe at once."""
    answers = []
    for _ in range(HEALTH_ROUNDS):
        answers += get_many(gunicorns, "/zdrowie/", SWEEP_REQUESTS)
    wrong = health_problems(answers)
    checks.report(
        name,
        not wrong,
        f"{len(answers) - len(wrong)}/{len(answers)} probes 200 ok "
        f"({HEALTH_ROUNDS} rounds of {SWEEP_REQUESTS} at once per server)"
        + (f"; e.g. {wrong[0]}" if wrong else ""),
    )


def check_pages(checks, name, gunicorns, targets, etags):
    first, second = gunicorns
    for label, path in targets.pages.items():
        rendered = get(first, path)  # renders (miss) and stores the page in Redis
        shared = get(second, path)  # the other server: already a hit
        warm = [get(g, path) for g in gunicorns]
        problems = []
        if rendered.status != 200:
            problems.append(f"{first.name} answered {rendered.status}")
        if shared.cache != "hit":
            problems.append(f"first request on {second.name} was {shared.cache}, not a hit")
        for g, response in zip(gunicorns, warm, strict=True):
            if response.status != 200 or response.cache != "hit":
                problems.append(f"{g.name} warm: {response.status} {response.cache}")
        if warm[0].body != warm[1].body:
            problems.append(f"bodies differ ({len(warm[0].body)} vs {len(warm[1].body)} bytes)")
        if not warm[0].etag or warm[0].etag != warm[1].etag:
            problems.append(f"ETags differ: {warm[0].etag} vs {warm[1].etag}")
        etags[path] = warm[0].etag
        checks.report(
            f"{name} {label}",
            not problems,
            f"{path} "
            + (
                "; ".join(problems)
                if problems
                else f"{len(warm[0].body):,} identical bytes, ETag {warm[0].etag}, "
                f"{first.name} {rendered.cache} then {second.name} {shared.cache}, warm hit on both"
            ),
        )


def wait_for(gunicorns, path, is_new, saved_at, window):
    """Polls both servers until each answers the new state, then sends SWEEP_REQUESTS
    concurrent requests to each once the window has passed (so several workers answer).

    Returns ({server: seconds after the save it first answered anew, or None}, stale sweeps).
    """
    seen = {g.name: None for g in gunicorns}
    while time.time() < saved_at + POLL_SECONDS and None in seen.values():
        for g in gunicorns:
            if seen[g.name] is None and is_new(get(g, path)):
                seen[g.name] = time.time() - saved_at
        time.sleep(0.05)
    time.sleep(max(0.0, saved_at + window - time.time()))
    stale = [g for g, response in get_many(gunicorns, path, SWEEP_REQUESTS) if not is_new(response)]
    return seen, stale


def describe_wait(seen, stale, window):
    parts = [
        f"{name} after {seconds:.2f} s"
        if seconds is not None
        else f"{name} not in {POLL_SECONDS:g} s"
        for name, seconds in seen.items()
    ]
    ok = all(s is not None and s <= window for s in seen.values()) and not stale
    sweep = f"{len(stale)} stale answers" if stale else "all new"
    return ok, f"{', '.join(parts)} (window {window:g} s); sweep after the window: {sweep}"


def check_retitle(checks, name, gunicorns, targets, env, etags, window, state):
    path = targets.meeting_path
    title = f"{targets.meeting_title} [{MARKER} {secrets.token_hex(4)}]"
    needle = title.rsplit("[", 1)[1].encode()
    before = [get(g, path) for g in gunicorns]
    if any(needle in response.body for response in before):
        raise RuntimeError("the new title is on the page before the save")
    state["changed"] = True
    saved_at = shell(env, action="retitle", meeting=targets.meeting_pk, title=title)["saved_at"]
    seen, stale = wait_for(
        gunicorns, path, lambda r: r.status == 200 and needle in r.body, saved_at, window
    )
    ok, detail = describe_wait(seen, stale, window)
    checks.report(f"{name} retitled meeting visible on both", ok, f"{path}: {detail}")

    old_etag = etags.get(path) or before[0].etag
    conditional = [get(g, path, {"If-None-Match": old_etag}) for g in gunicorns]
    problems = [
        f"{g.name}: {r.status}, new title {'in' if needle in r.body else 'NOT in'} body, "
        f"ETag {r.etag}"
        for g, r in zip(gunicorns, conditional, strict=True)
        if r.status != 200 or needle not in r.body or r.etag == old_etag
    ]
    new_etags = {r.etag for r in conditional}
    if len(new_etags) != 1:
        problems.append(f"new ETags differ: {sorted(new_etags)}")
    checks.report(
        f"{name} old ETag revalidates to the new page",
        not problems,
        "; ".join(problems)
        if problems
        else f"If-None-Match {old_etag} -> 200 with the new title on both, ETag {conditional[0].etag}",
    )


def check_document(checks, name, gunicorns, targets, env, storage, media_roots, state):
    content = (
        b"%PDF-1.4\n% " + f"{MARKER} {secrets.token_hex(8)}".encode() + b"\n"
        b"1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    state["changed"] = True
    result = shell(
        env,
        action="attach",
        document=targets.document_pk,
        name="scale-out.pdf",
        content=content.hex(),
    )
    keys = storage.keys()
    checks.report(
        f"{name} file in the bucket",
        keys == [result["name"]] and result["storage"].startswith("storages."),
        f"bucket {storage.bucket} holds {keys}; the document's file is {result['name']} "
        f"({result['storage']})",
    )
    local = {label: files_under(root) for label, root in media_roots.items()}
    checks.report(
        f"{name} no file on local disk",
        not any(local.values()),
        ", ".join(f"{label}: {files or 'empty'}" for label, files in local.items()),
    )
    url = result["url"]
    downloads = [get(g, url) for g in gunicorns]
    problems = [
        f"{g.name}: {r.status}, {len(r.body)} bytes, {r.headers.get('content-type')}"
        for g, r in zip(gunicorns, downloads, strict=True)
        if r.status != 200 or r.body != content
    ]
    checks.report(
        f"{name} download from both servers",
        not problems,
        f"{url}: "
        + (
            "; ".join(problems)
            if problems
            else f"the same {len(content)} bytes from both ({downloads[0].headers.get('content-type')})"
        ),
    )


def check_unpublish(checks, name, gunicorns, targets, env, window, state):
    path = targets.meeting_path
    before = [get(g, path).status for g in gunicorns]
    if before != [200, 200]:
        raise RuntimeError(f"{path} answered {before} before unpublishing")
    state["changed"] = True
    saved_at = shell(env, action="unpublish", meeting=targets.meeting_pk)["saved_at"]
    seen, stale = wait_for(gunicorns, path, lambda r: r.status == 404, saved_at, window)
    ok, detail = describe_wait(seen, stale, window)
    checks.report(name, ok, f"{path} 404: {detail}")


def check_logs(checks, name, gunicorns):
    problems = {g.name: g.log_problems() for g in gunicorns}
    checks.report(
        name,
        not any(problems.values()),
        "; ".join(
            f"{server_name}: {lines[0][:200] if lines else 'clean'}"
            for server_name, lines in problems.items()
        ),
    )


# --- The run -----------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reload", action="store_true", help="load the database anew")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    return parser.parse_args()


def main():
    server.stop_on_sigterm()
    args = parse_args()
    if not server.flush_redis(REDIS_URL):
        raise SystemExit(f"FAIL  Redis at {REDIS_URL} does not answer")
    server.setup_django(DATABASE)
    server.prepare_database(
        DATABASE, meetings=MEETINGS, postulates=POSTULATES, real_archive=True, reload=args.reload
    )
    targets = pick_targets()
    from django.db import connection

    # moto's server runs in this process: its request log would drown the checks' output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    connection.close()

    checks = Checks()
    storage = ObjectStorage()
    with tempfile.TemporaryDirectory(prefix="scale-out-") as workdir:
        workdir = Path(workdir)
        media_roots = {name: workdir / f"media-{name}" for name in ("a", "b", "shell")}
        for folder in media_roots.values():
            folder.mkdir()
        try:
            storage.start()
            print(f"object storage: moto at {storage.endpoint}, bucket {storage.bucket}")
            base_env = server.production_env(
                DATABASE, workdir, REDIS_URL=REDIS_URL, **storage.env()
            )
            window = float(base_env.get("DJANGO_PAGE_CACHE_TOKEN_SECONDS", "1")) + MARGIN_SECONDS
            server.collectstatic(base_env)
            config = server.Config(workers=args.workers)
            gunicorns = [
                server.Gunicorn(
                    name,
                    port,
                    {**base_env, "DJANGO_MEDIA_ROOT": str(media_roots[name])},
                    config,
                    workdir,
                )
                for name, port in zip("ab", server.free_ports(2, PORTS), strict=True)
            ]
            shell_env = {**base_env, "DJANGO_MEDIA_ROOT": str(media_roots["shell"])}
            with server.running(gunicorns, "/zdrowie/"):
                print(
                    f"servers: {', '.join(f'{g.name} {g.base}' for g in gunicorns)} "
                    f"({config} each), {DATABASE}, {REDIS_URL}, Host: {HOST}\n",
                    flush=True,
                )
                state = {"changed": False}
                etags = {}
                try:
                    checks.run("a. health", check_health, gunicorns)
                    checks.run(
                        "a. health under concurrent probes", check_concurrent_health, gunicorns
                    )
                    checks.run("b. same page", check_pages, gunicorns, targets, etags)
                    checks.run(
                        "c.", check_retitle, gunicorns, targets, shell_env, etags, window, state
                    )
                    checks.run(
                        "d. document",
                        check_document,
                        gunicorns,
                        targets,
                        shell_env,
                        storage,
                        media_roots,
                        state,
                    )
                    checks.run(
                        "e. unpublished meeting gone from both",
                        check_unpublish,
                        gunicorns,
                        targets,
                        shell_env,
                        window,
                        state,
                    )
                    checks.run("f. server logs without tracebacks", check_logs, gunicorns)
                finally:
                    if state["changed"]:
                        restore(shell_env, targets)
                if checks.failures:
                    for g in gunicorns:
                        print(f"\n--- gunicorn {g.name} log, last lines but the expected 404s ---")
                        print(unexpected_log_lines(g))
        finally:
            storage.stop()
    print()
    if checks.failures:
        print(f"FAIL  {len(checks.failures)} checks failed: {', '.join(checks.failures)}")
        sys.exit(1)
    print("PASS  two app servers on one database, Redis and bucket serve the same site")


def unexpected_log_lines(gunicorn, count=8):
    lines = gunicorn.log_tail(500).splitlines()
    return "\n".join([line[:300] for line in lines if '"Not Found: ' not in line][-count:])


def restore(env, targets):
    """Puts the meeting and the document back as they were, so the database can be reused."""
    try:
        shell(
            env,
            action="restore",
            meeting=targets.meeting_pk,
            title=targets.meeting_title,
            status=targets.meeting_status,
            document=targets.document_pk,
            file=targets.document_file,
        )
        print("restored the meeting's title and status and the document's file")
    except Exception as error:
        print(f"could not restore the changed records ({error}); run with --reload next time")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: every `finally` has cleaned up by now
        print("interrupted", file=sys.stderr)
        sys.exit(130)
