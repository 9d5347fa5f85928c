"""Keyset pagination: a page is the records after the last id of the previous one, so the
database reads the page's rows by the primary key's index however deep the page is, and a
record added meanwhile never shifts a page nor shows twice."""

CURSOR = "kursor"
LIMIT = "limit"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Ids the database can hold (a bigger number could not name any record).
MAX_ID = 2**63 - 1


def page(queryset, after, limit):
    """(records of the page, whether more follow). The page's keys are found first and only
    those rows are read whole, with their related records and prefetches."""
    keys = list(
        queryset.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[: limit + 1]
    )
    more = len(keys) > limit
    keys = keys[:limit]
    if not keys:
        return [], False
    rows = queryset.filter(pk__in=keys).order_by("pk")
    return list(rows), more
