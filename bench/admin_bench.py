"""Admin list pages, main against a branch side by side, on a big database (a benchmark).

    .venv/bin/python bench/admin_bench.py [REPS] [URL-PART] [-v]

Runs bench/admin_worker.py once with /work/main's code and once with this worktree's, both
against DATABASE_URL big_bench (accounts bigkoord, a coordinator, and bigedit, an editor),
and prints the median time and query count of each page.
"""

import json
import subprocess
import sys
from pathlib import Path

reps = sys.argv[1] if len(sys.argv) > 1 else "2"
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
if len(sys.argv) > 2:
    pages = [p for p in pages if sys.argv[2] in p[1]]
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
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/big_bench",
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
if "-v" in sys.argv:
    for k in res["branch"]:
        print(k, res["branch"][k][3])
