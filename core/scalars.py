"""Single values of several querysets read in one SQL statement: SELECT (…), (…), …

A page that needs a few dozen independent values (the sitemap index: each kind of record's
latest change and lowest and highest id) paid a round trip and a query's fixed cost for each.
Written as scalar subqueries of one SELECT, each keeps its own plan (read along its index) and
all of them cost one statement."""

from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet


@dataclass(frozen=True)
class RowCount:
    """How many rows `queryset` has (its count())."""

    queryset: QuerySet


def first_value(query):
    """What `first_values` reads for `query`, read alone: the first value of a one-column
    `values_list(..., flat=True)` queryset (None without rows), or a RowCount's count."""
    if isinstance(query, RowCount):
        return query.queryset.count()
    return query.first()


def first_values(queries):
    """{key: first_value(query)} of `queries` ({key: query}, all on one database), in one
    statement."""
    if not queries:
        return {}
    parts, params, conversions = [], [], []
    using = None
    for query in queries.values():
        queryset = query.queryset if isinstance(query, RowCount) else query
        using = using or queryset.db
        if isinstance(query, RowCount):
            sql, part_params = queryset.values("pk").query.get_compiler(using).as_sql()
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
            conversions.append(None)
        else:
            if not queryset.ordered:
                queryset = queryset.order_by("pk")  # as first() does
            compiler = queryset[:1].query.get_compiler(using)
            sql, part_params = compiler.as_sql()
            (expression, _sql, _alias), *others = compiler.select
            if others:
                raise ValueError(f"{queryset.query} must select one column")
            parts.append(f"({sql})")
            conversions.append((compiler, compiler.get_converters([expression])))
        params.extend(part_params)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    values = {}
    for key, value, conversion in zip(queries, row, conversions, strict=True):
        if conversion is not None and value is not None:
            compiler, converters = conversion
            [[value]] = compiler.apply_converters([[value]], converters)
        values[key] = value
    return values
