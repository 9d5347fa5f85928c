"""Admin list pages, main against a branch side by side, on a big database (a benchmark).

    .venv/bin/python bench/admin_bench.py [REPS] [URL-PART] [-v] [--db NAME]

Runs bench/admin_worker.py once with /work/main's code and once with this worktree's, both
against the PostgreSQL database NAME (big_bench unless --db says otherwise; accounts
bigkoord, a coordinator, and bigedit, an editor: manage.py add_editor), and prints the
median time and query count of each page.
"""

import json
import subprocess
import sys
from pathlib import Path

args = sys.argv[1:]
database = "big_bench"
if "--db" in args:
    at = args.index("--db")
    database = args[at + 1]
    del args[at : at + 2]
flags = [arg for arg in args if arg.startswith("-")]
args = [arg for arg in args if not arg.startswith("-")]
reps = args[0] if args else "2"
K, E = "bigkoord", "bigedit"
pages = [
    (K, "/admin/postulates/postulate/"),
    (K, "/admin/postulates/postulate/?p=1000"),
    (K, "/admin/postulates/postulate/?q=dotacje"),
    (K, "/admin/postulates/postulate/?odpowiedz=bez"),
    (K, "/admin/postulates/postulate/?_facets=True"),
    (K, "/admin/postulates/position/?p=834"),
    (K, "/admin/meetings/meeting/?p=100"),
    (K, "/admin/meetings/meeting/?q=seniorow"),
    (E, "/admin/postulates/postulate/"),
    (E, "/admin/postulates/postulate/?q=dotacje"),
    (E, "/admin/postulates/position/"),
]
if len(args) > 1:
    pages = [p for p in pages if args[1] in p[1]]
res = {}
for name, root in [("main", "/work/main"), ("branch", str(Path(__file__).parents[1]))]:
    o = subprocess.run(
        [
            "/work/main/.venv/bin/python",
            str(Path(__file__).with_name("admin_worker.py")),
            root,
            reps,
            json.dumps(pages),
        ],
        capture_output=True,
        text=True,
        env={
            **__import__("os").environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        },
    )
    if o.returncode:
        print(o.stderr[-3000:])
        sys.exit(1)
    res[name] = json.loads(o.stdout.strip().splitlines()[-1])
print(f"{'page':62} {'main ms':>8} {'q':>4} {'branch ms':>9} {'q':>4}")
for k in res["main"]:
    m, b = res["main"][k], res["branch"][k]
    print(f"{k:62} {m[0]:8.0f} {m[1]:4} {b[0]:9.0f} {b[1]:4}  {m[2]}/{b[2]}")
if "-v" in flags:
    for k in res["branch"]:
        print(k, res["branch"][k][3])
