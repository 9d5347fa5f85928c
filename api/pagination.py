"""Keyset pagination: a page is the records after the last id of the previous one, so the
database reads the page's rows along the primary key's index however deep the page is, and a
record added meanwhile never shifts a page nor shows twice."""

from contextlib import contextmanager

from django.db import connection, transaction

CURSOR = "kursor"
LIMIT = "limit"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Ids the database can hold (a bigger number could not name any record).
MAX_ID = 2**63 - 1


# Up to this many tables in one query, PostgreSQL's search of join orders costs too little to
# be worth a transaction and a SET LOCAL (three more statements: BEGIN, SET LOCAL, COMMIT).
# Measured (EXPLAIN's planning time, PostgreSQL 15, a loaded 2-core machine): pages of 1-5
# tables (years, rounds, meetings, documents) plan in 0.04-0.5 ms either way; positions (12)
# in 3.2 ms, 0.9 ms in written order; postulates (13) in 24 ms, 1.0 ms in written order.
FREELY_PLANNED_TABLES = 6


@contextmanager
def joins_in_written_order(query):
    """PostgreSQL plans the page's joins in the order the query writes them: the records
    first, along their primary key, then each related record by its key. A page of
    postulates joins a dozen tables (what is public, which related names may be shown); left
    to choose their order, the planner spent 25 ms on it for a query that runs in 1 ms. A
    query of a few tables (years, areas, rounds) is planned at once and runs as written."""
    if connection.vendor != "postgresql" or len(query.alias_map) <= FREELY_PLANNED_TABLES:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL join_collapse_limit = 1")
        yield


def page(queryset, after, limit):
    """(records of the page, whether more follow), in one query: ordered by the primary key
    with a LIMIT, the database reads the index from `after` and stops at the page's end (no
    sort of the whole list, unlike an OFFSET page of a list in another order)."""
    sliced = queryset.filter(pk__gt=after).order_by("pk")[: limit + 1]
    with joins_in_written_order(sliced.query):
        rows = list(sliced)
    return rows[:limit], len(rows) > limit
