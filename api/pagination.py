"""Keyset pagination: a page is the records after the last id of the previous one, so the
database reads the page's rows along the primary key's index however deep the page is, and a
record added meanwhile never shifts a page nor shows twice."""

CURSOR = "kursor"
LIMIT = "limit"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Ids the database can hold (a bigger number could not name any record).
MAX_ID = 2**63 - 1


def page(queryset, after, limit):
    """(records of the page, whether more follow), in one query: ordered by the primary key
    with a LIMIT, the database reads the index from `after` and stops at the page's end (no
    sort of the whole list, unlike an OFFSET page of a list in another order)."""
    rows = list(queryset.filter(pk__gt=after).order_by("pk")[: limit + 1])
    return rows[:limit], len(rows) > limit
