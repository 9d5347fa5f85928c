"""A corrected text version's page: the stored cleaned HTML against cleaning it on every view.

    .venv/bin/python bench/text_version_bench.py [--megabytes 3]

What the page's view does with a large editor's correction, side by side in one run: as it
did (html_version.sanitized on every view), as it does now (DocumentText.html() of the
HTML cleaned on save), and the save's one cleaning, in CPU seconds (the machine is shared).
No database: the record is built in memory. A benchmark, not a test: it prints and asserts nothing.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krakow_ngo.settings")

import django

django.setup()

from accessibility.html_version import correction_markup, sanitized, scrollable_tables  # noqa: E402
from accessibility.models import DocumentText  # noqa: E402

SECTION = (
    "<h2>Rozdział {n}</h2><p>Spotkanie odbyło się w <b>Centrum Obywatelskim</b>; "
    '<a href="https://www.krakow.pl/">szczegóły</a>.</p>'
    "<ul><li>Więcej lokali dla organizacji</li><li>Dłuższe terminy naborów</li></ul>"
    "<table><tr><th>Lp.</th><th>Postulat</th></tr><tr><td>{n}</td><td>Lokale</td></tr></table>"
)


def correction(megabytes):
    parts, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        n += 1
        part = SECTION.format(n=n)
        parts.append(part)
        size += len(part.encode())
    return "".join(parts)


def timed(function, runs):
    times = []
    for _ in range(runs):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    html = correction(args.megabytes)
    version = DocumentText(corrected_html=html, corrected_rendered=correction_markup(html))

    before = timed(lambda: scrollable_tables(sanitized(version.corrected_html)), args.runs)
    now = timed(version.html, args.runs)
    save = timed(lambda: correction_markup(html), args.runs)

    print(f"correction: {len(html.encode()) / 1_000_000:.1f} MB, median of {args.runs} runs")
    print(f"{'':34}{'CPU s':>10}")
    print(f"{'view, cleaning on every view':34}{before:>10.4f}")
    print(f"{'view, cleaned HTML stored':34}{now:>10.4f}")
    print(f"{'save, cleaning once':34}{save:>10.4f}")
    print(f"view speed-up: {before / now:.0f}x")


if __name__ == "__main__":
    main()
