"""Search benchmark: p50/p95 of two-word queries over 100,000 postulates on PostgreSQL.

    make bench-search            (or: .venv/bin/python bench/search_bench.py [--reload])

With --database-url (e.g. sqlite:////tmp/large.sqlite3, filled by `make sample-data` with
that DATABASE_URL) it times that database as it is, loading nothing.

With --against REV (e.g. main) it times REV's search engine (its search/engine.py, loaded
from git beside this one) and this one on the same queries, alternately, in one run, over the
two-word queries and typical ones (a common word, a rare one, three words, a year or a
department in the query, the last page); it prints p50/p95 of both side by side, PostgreSQL's
planning and execution of each one's query (EXPLAIN ANALYZE), and every query whose page or
counts differ between the two.

Fills (or reuses) the database `krakow_ngo_bench` through bench/server.py, as `make bench`
does (the two share it), and times the search engine and the whole results page side by side
in one run, so a noisy shared machine affects both alike. Prints the data size, the timings
and the query plan. A benchmark, not a test: it asserts nothing.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server

DATABASE = "krakow_ngo_bench"
QUERIES = 200

# The whole page as rendered, not a page cache hit (the warm-up requests would store them).
os.environ["DJANGO_PAGE_CACHE"] = "off"


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def two_word_queries(rng, count):
    """Queries a resident might type: two words drawn from the archive's own text."""
    from postulates.models import Postulate

    # Drawn by `rng`, not the database: two databases holding the same records (before and
    # after a change) are asked the same queries.
    chosen = rng.sample(
        list(Postulate.objects.order_by("pk").values_list("pk", flat=True)), count * 2
    )
    contents = list(
        Postulate.objects.filter(pk__in=chosen).order_by("pk").values_list("content", flat=True)
    )
    queries = []
    for content in contents:
        words = [w.strip(".,:;()[]„”") for w in content.split() if len(w) > 4]
        # Not the "[PRZYKŁAD]" marker every sample record carries: no one searches for it.
        words = [w for w in words if w and w.upper() != "PRZYKŁAD"]
        if len(words) >= 2:
            queries.append(" ".join(rng.sample(words, 2)))
    return queries[:count]


def engine_of(revision):
    """search/engine.py as it is at `revision`, loaded as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{revision}:search/engine.py"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType(f"search.engine_at_{revision}")
    exec(compile(source, f"{revision}:search/engine.py", "exec"), module.__dict__)
    return module


def typical_queries(two_word):
    """(label, query, page) a reader types: the first two-word query's words alone (a common
    and a rarer one), three words, a year, a department's abbreviation, and the last page."""
    from departments.models import Department

    words = sorted({word for query in two_word for word in query.split()}, key=len)
    cases = [("common word", "lokale", 1), ("common word", "organizacji", 1)]
    cases += [("rare word", words[-1], 1), ("rare word", words[-2], 1)]
    cases += [("three words", f"{two_word[0]} {two_word[1].split()[0]}", 1)]
    cases += [("three words", "program współpracy organizacjami", 1)]
    cases += [("year", "lokale 2024", 1), ("year", f"{two_word[2]} 2022", 1)]
    # Three departments: each filter's read walks its own share of the archive.
    abbreviations = (
        Department.objects.published()
        .exclude(abbreviation="")
        .order_by("pk")
        .values_list("abbreviation", flat=True)[:3]
    )
    for number, abbreviation in enumerate(abbreviations):
        cases += [("department", f"{abbreviation} lokale", 1), ("department", abbreviation, 1)]
        cases += [("department", f"{abbreviation} {two_word[4 + number]}", 1)]
    cases += [("last page", "lokale", "last"), ("last page", two_word[3], "last")]
    return cases


class Captured:
    """The SQL and parameters of the search's one big query (the last it runs)."""

    def __init__(self):
        self.sql, self.params = None, None

    def __call__(self, execute, sql, params, many, context):
        if "nth_of_kind" in sql:
            self.sql, self.params = sql, params
        return execute(sql, params, many, context)


def planning_and_execution(connection, captured):
    """PostgreSQL's (planning, execution) ms of the captured query."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) " + captured.sql, captured.params)
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else plan
    return plan["Planning Time"], plan["Execution Time"]


def compare(revision, queries):
    """Times `revision`'s engine and this one alternately on the same queries; prints both."""
    from django.db import connection

    from search import engine
    from search.query import read_query
    from search.views import RESULTS_PER_PAGE

    engines = {revision: engine_of(revision), "this": engine}
    cases = [("two words", query, 1) for query in queries] + typical_queries(queries)
    timings = {name: {"all": [], "plan": [], "run": []} for name in engines}
    labelled = {}  # label -> {name: [ms]}
    differing = []
    captured = Captured()
    for round_number, (label, text, page) in enumerate(cases * 2):
        warm_up = round_number < len(cases)
        read = read_query(text)
        order = list(engines.items())
        if round_number % 2:
            order.reverse()
        found = {}
        for name, module in order:
            criteria = module.Criteria(
                terms=[term for term, _word in read.words],
                year=read.year,
                department=read.department,
                programme=read.programme,
                words=read.words,
            )
            offset = 0
            if page == "last":
                total = module.search(criteria, 0, RESULTS_PER_PAGE).total
                offset = max(0, (total - 1) // RESULTS_PER_PAGE * RESULTS_PER_PAGE)
            with connection.execute_wrapper(captured):
                started = time.perf_counter()
                results = module.search(criteria, offset, RESULTS_PER_PAGE)
                elapsed = (time.perf_counter() - started) * 1000
            found[name] = (results.counts, results.page)
            if warm_up:
                continue
            timings[name]["all"].append(elapsed)
            labelled.setdefault(label, {}).setdefault(name, []).append(elapsed)
            if connection.vendor == "postgresql" and captured.sql:
                planning, execution = planning_and_execution(connection, captured)
                timings[name]["plan"].append(planning)
                timings[name]["run"].append(execution)
            captured.sql = None
        if not warm_up and len({repr(value) for value in found.values()}) > 1:
            differing.append((label, text, page))
    names = list(engines)
    print(f"{len(cases)} queries, {revision} against this code, alternately, after a warm-up")
    print(f"{'':34}" + "".join(f"{name:>22}" for name in names) + f"{'this / ' + revision:>16}")
    for title, key in (("engine", "all"), ("  planning", "plan"), ("  execution", "run")):
        if not timings[names[0]][key]:
            continue
        for share, share_name in ((0.5, "p50"), (0.95, "p95")):
            values = [percentile(timings[n][key], share) for n in names]
            print(
                f"{title + ' ' + share_name:34}"
                + "".join(f"{value:19.1f} ms" for value in values)
                + f"{values[1] / values[0]:15.2f}x"
            )
    for label, by_name in labelled.items():
        values = [statistics.median(by_name[n]) for n in names]
        print(
            f"{'  ' + label + ' (median)':34}"
            + "".join(f"{value:19.1f} ms" for value in values)
            + f"{values[1] / values[0]:15.2f}x"
        )
    print(f"queries whose page or counts differ: {len(differing)}")
    for case in differing:
        print("  ", case)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    server.add_database_arguments(parser)
    parser.add_argument("--queries", type=int, default=QUERIES, help="how many queries")
    parser.add_argument("--against", metavar="REV", help="compare with REV's search engine")
    args = parser.parse_args()
    server.open_database(args, DATABASE)

    if args.against:
        compare(args.against, two_word_queries(random.Random(7), args.queries))
        return

    from django.db import connection
    from django.test import Client

    from meetings.models import Document, Meeting
    from organisations.models import Organisation
    from postulates.models import Position, Postulate
    from search.engine import Criteria, search, text_filter
    from search.text import query_terms, query_words

    print(
        "data: "
        + ", ".join(
            f"{model._meta.verbose_name_plural} {model.objects.count():,}"
            for model in (Meeting, Document, Postulate, Position, Organisation)
        )
    )
    queries = two_word_queries(random.Random(7), args.queries)
    client = Client()
    engine_ms, page_ms, hits = [], [], []
    for query in queries:  # warm-up: caches and plans, as a running server has them
        client.get("/szukaj/", {"q": query})
    for query in queries:
        started = time.perf_counter()
        results = search(Criteria(terms=query_terms(query), words=query_words(query)), 0, 20)
        hits.append(results.total)
        engine_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        response = client.get("/szukaj/", {"q": query})
        page_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, query

    print(f"{len(queries)} two-word queries, e.g. {queries[:3]}")
    print(f"matches per query: median {statistics.median(hits):,.0f}, max {max(hits):,}")
    for label, samples in (("engine (counts + first page)", engine_ms), ("whole page", page_ms)):
        print(
            f"{label:30} p50 {percentile(samples, 0.50):6.1f} ms   "
            f"p95 {percentile(samples, 0.95):6.1f} ms   max {max(samples):6.1f} ms"
        )
    print(f"page / engine at p50: {percentile(page_ms, 0.5) / percentile(engine_ms, 0.5):.2f}x")
    records = text_filter(Postulate.objects.all(), query_terms(queries[0]))
    analyze = connection.vendor == "postgresql"  # SQLite has no EXPLAIN ANALYZE
    print(f"plan of the postulate match (EXPLAIN{' ANALYZE' if analyze else ''}):")
    print(records.explain(analyze=analyze) if analyze else records.explain())
    connection.close()


if __name__ == "__main__":
    main()
