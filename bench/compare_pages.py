"""Two versions of the code, one database, the same addresses: times and bytes side by side.

    .venv/bin/python bench/compare_pages.py --database-url postgres://…/db \
        --code /tmp/main-export --code . --urls '/postulaty/?rok=2024' '/organizacje/' …

Each `--code` is a checkout of the project (e.g. `git archive main | tar -x -C /tmp/main`);
each is run in a process of its own, with the production settings and the page cache off as
bench/pages_bench.py runs them, alternately, `--rounds` times. Per address and version it
prints the median over rounds of the wall time, of this process's CPU time and of the SQL
time of one request (p50 of `--requests` each), its number of queries, and whether its body
(decompressed) is byte for byte the first version's. A benchmark, not a test: compare numbers
of one run only.
"""

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()


def measure_here(args):
    """In a child process, from the checkout `args.code[0]`: {url: numbers}, as JSON."""
    code = Path(args.code[0]).resolve()
    # That checkout's modules only, not this script's folder's.
    sys.path[:] = [str(code), *(p for p in sys.path if Path(p).resolve() != HERE.parent)]
    import time

    from bench import pages_bench, server

    pages_bench.production_settings(Path(tempfile.mkdtemp()) / "static")
    server.setup_django(None, url=args.database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    results = {}
    for url in args.urls:
        client.get(url)  # untimed: the first of a worker
        walls, cpus, sqls = [], [], []
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as captured:
                started, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                body = response.content
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            sqls.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
        results[url] = {
            "status": response.status_code,
            "wall": statistics.median(walls),
            "cpu": statistics.median(cpus),
            "sql": statistics.median(sqls),
            "queries": len(captured),
            "sha": hashlib.sha256(body).hexdigest()[:12],
        }
        if args.bodies:
            name = hashlib.sha256(url.encode()).hexdigest()[:10]
            Path(args.bodies, f"{code.name}-{name}.html").write_bytes(body)
    print(json.dumps(results))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--code", action="append", required=True, help="a checkout, twice or more")
    parser.add_argument("--urls", nargs="+", required=True)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--bodies", help="write each body into this folder")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return measure_here(args)
    runs = {code: [] for code in args.code}
    for _round in range(args.rounds):
        for code in args.code:
            command = [
                sys.executable,
                str(HERE),
                "--child",
                "--database-url",
                args.database_url,
                "--code",
                code,
                "--requests",
                str(args.requests),
                "--urls",
                *args.urls,
            ]
            if args.bodies:
                command += ["--bodies", args.bodies]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            runs[code].append(json.loads(output.strip().splitlines()[-1]))
    names = [Path(code).resolve().name for code in args.code]
    print("p50 ms over rounds: wall / CPU / SQL, queries; = the same bytes as the first")
    print("| address | " + " | ".join(names) + " |")
    print("| --- | " + " | ".join("---" for _ in names) + " |")
    for url in args.urls:
        cells = []
        first = runs[args.code[0]][0][url]["sha"]
        for code in args.code:
            rounds = runs[code]

            def median(key, rounds=rounds, url=url):
                return statistics.median(run[url][key] for run in rounds)

            same = all(run[url]["sha"] == first for run in rounds)
            cells.append(
                f"{median('wall'):.0f} / {median('cpu'):.0f} / {median('sql'):.0f}, "
                f"{rounds[0][url]['queries']} q, {rounds[0][url]['status']}"
                f"{' =' if same else ' DIFFERENT'}"
            )
        print(f"| `{url}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
