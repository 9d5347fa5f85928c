"""Search benchmark: p50/p95 of two-word queries over 100,000 postulates on PostgreSQL.

    make bench-search            (or: .venv/bin/python bench/search_bench.py [--reload])

With --database-url (e.g. sqlite:////tmp/large.sqlite3, filled by `make sample-data` with
that DATABASE_URL) it times that database as it is, loading nothing.

Fills (or reuses) the database `krakow_ngo_bench` through bench/server.py, as `make bench`
does (the two share it), and times the search engine and the whole results page side by side
in one run, so a noisy shared machine affects both alike. Prints the data size, the timings
and the query plan. A benchmark, not a test: it asserts nothing.
"""

import argparse
import os
import random
import statistics
import sys
import time
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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    server.add_database_arguments(parser)
    parser.add_argument("--queries", type=int, default=QUERIES, help="how many queries")
    args = parser.parse_args()
    server.open_database(args, DATABASE)

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
