"""Full-text search across meetings, documents, postulates, answers, organisations and the
years of the archive.

PostgreSQL matches folded text with a prefix tsquery through GIN indexes; SQLite matches the
same folded text with LIKE, so both find the same records. Both rank first by the typed words
a record holds in some form and those in its title (exact_matches), then PostgreSQL by
ts_rank, then by date."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, FloatField, Q, Value
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Coalesce

from core.ownership import belonging_to, is_owned
from departments.models import Department
from postulates.models import Postulate
from programmes.models import Programme
from search.kinds import KINDS
from search.text import is_whole

NO_DATE = datetime.date(1, 1, 1)  # sorts undated results last
# Counting stops here: "more than 300" tells a reader enough, and counting every one of
# 60,000 matches of a common word would cost more than the whole rest of the page.
COUNT_LIMIT = 300


# Kinds travel through the query as numbers, in the order of their keys (the tie-break on
# equal rank and day): sorting thousands of candidates by a collated text cost milliseconds.
KIND_KEYS = sorted(KINDS)
KIND_NUMBERS = {key: number for number, key in enumerate(KIND_KEYS)}


def uses_full_text_index():
    return connection.vendor == "postgresql"


# A prefix beginning more words than this stays a prefix query ("po" begins thousands).
EXPANSION_LIMIT = 64


class FullTextQueries(NamedTuple):
    match: str | None  # the records holding every term (None: a term begins no word)
    exact: str | None  # of those, the records holding every typed word in one of its forms


def full_text_queries(words):
    """PostgreSQL's tsqueries for `words` ((term, word as typed)): `match`, each term a word
    prefix, None when a term begins no word in the archive, so nothing can match; `exact`,
    each term as the typed word or another form of it (see exact_matches), None when no
    record can hold every word so (the search then skips that tier).

    Each prefix becomes the words that begin with it, as search_word lists them (search
    migration 0003): "konkurs" -> (konkurs | konkursach | konkursow). The index finds exact
    words two to three times faster than a prefix, which it serves by gathering every entry
    that begins with it; the records found are the same."""
    prefixes = [(term, word) for term, word in words if not is_whole(term)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT typed.term, found.word, found.is_form"
            " FROM unnest(%s::text[], %s::text[]) AS typed (term, word), LATERAL ("
            "  (SELECT DISTINCT word, false AS is_form FROM search_word WHERE word >= typed.term"
            '   COLLATE "C" AND word < (typed.term || chr(1114111)) COLLATE "C"'
            "   ORDER BY word LIMIT %s)"
            "  UNION ALL"
            '  (SELECT DISTINCT word, true FROM search_word WHERE word >= typed.term COLLATE "C"'
            '   AND word < (typed.term || chr(1114111)) COLLATE "C"'
            "   AND (length(word) <= length(typed.term) + %s OR word = typed.word)"
            "   ORDER BY word LIMIT %s)"
            ") AS found",
            [
                [term for term, _word in prefixes],
                [word for _term, word in prefixes],
                EXPANSION_LIMIT + 1,
                ENDING_LETTERS,
                EXPANSION_LIMIT + 1,
            ],
        )
        begun, forms = defaultdict(list), defaultdict(list)
        for term, word, is_form in cursor.fetchall():
            (forms if is_form else begun)[term].append(word)
    match, exact = [], []
    for term, _word in words:
        if is_whole(term):
            group = form_group = _whole(term)
        elif not begun[term]:
            return FullTextQueries(None, None)
        else:
            listed = len(begun[term]) <= EXPANSION_LIMIT
            group = _any_word(begun[term]) if listed else prefix_query([term])
            if not forms[term]:
                form_group = None
            elif len(forms[term]) > EXPANSION_LIMIT:
                form_group = group  # too many forms to list: the tier is the whole match
            else:
                form_group = _any_word(forms[term])
        match.append(group)
        exact.append(form_group)
    return FullTextQueries(" & ".join(match), None if None in exact else " & ".join(exact))


def full_text_query(terms):
    """full_text_queries' `match` for `terms`."""
    return full_text_queries([(term, term) for term in terms]).match


def _any_word(words):
    return "(" + " | ".join(map(_quoted, words)) + ")"


def _quoted(word):
    """A word as a tsquery operand: quoted, so no character in it can act as an operator."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _whole(term):
    """A number or a code ("c 10") as a tsquery: its words exactly, one after the other."""
    return "(" + " <-> ".join(map(_quoted, term.split())) + ")"


def prefix_query(terms):
    """The tsquery matching every term as a word prefix (terms are folded letters and digits),
    numbers and codes as whole words."""
    return " & ".join(_whole(term) if is_whole(term) else f"{term}:*" for term in terms)


# A word counts as the typed one when it is the term and at most this many letters more: an
# ending ("lokal", "lokale", "lokali", "lokalach"), not a longer word ("lokalnych").
ENDING_LETTERS = 3


class OwnColumn(Expression):
    """A column of the queried table that is no model field (the full-text vector search's
    migration 0002 adds on PostgreSQL), named through the table's alias in the query being
    compiled: inside a subquery, where the table is renamed, a column named by the table
    meant the outer query's row instead, and the subquery ran once per outer row (73 s for
    the postulate list's keyword filter at 100,000 postulates)."""

    def __init__(self, column, output_field):
        super().__init__(output_field=output_field)
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def _word_forms(table, term, word):
    """SQL: the record of `table` holds the typed `word` as itself or another form of it (the
    term and at most ENDING_LETTERS letters); a number or code only whole."""
    forms = [f"% {word} %"] + (
        []
        if is_whole(term)
        else [f"% {term}{'_' * extra} %" for extra in range(ENDING_LETTERS + 1)]
    )
    # LIKE's "_" is one letter; the folded text and terms hold no "%" or "_" of their own.
    return " OR ".join(f'"{table}"."search_text" LIKE %s' for _form in forms), forms


def exact_matches(table, words, titled=False):
    """How many of the (term, word as typed) pairs the record of `table` holds as the word
    itself or another form of it (see ENDING_LETTERS): "lokale" ranks a record saying
    "lokali" above one saying only "społeczności lokalnych". Numbers and codes count whole.
    With `titled` (its search text begins with its title), a term in the title counts once
    more."""
    conditions, params = [], []
    for term, word in words:
        held, forms = _word_forms(table, term, word)
        conditions.append(f"(CASE WHEN {held} THEN 1.0 ELSE 0.0 END)")
        params += forms
        if titled:
            # Found no further from the start than the title is long: in the title, since
            # folding never lengthens it.
            find = "STRPOS" if uses_full_text_index() else "INSTR"
            conditions.append(
                f'(CASE WHEN {find}("{table}"."search_text", %s) '
                f'BETWEEN 1 AND LENGTH("{table}"."title") THEN 1.0 ELSE 0.0 END)'
            )
            params.append(f" {term}")
    if not conditions:
        return Value(0.0, output_field=FloatField())
    return RawSQL(" + ".join(conditions), params, output_field=FloatField())


def _vector():
    """The generated, GIN-indexed tsvector of search migration 0002 (PostgreSQL only), named
    through the query's own alias (see OwnColumn)."""
    from django.contrib.postgres.search import SearchVectorField

    return OwnColumn("search_vector", output_field=SearchVectorField())


def text_rank(queryset, terms, words=(), titled=False):
    """`queryset` (records matching `terms`) with a rank: first the count of `words` (see
    exact_matches) held whole, then, on PostgreSQL, ts_rank."""
    if not terms:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    table = queryset.model._meta.db_table
    rank = exact_matches(table, words, titled)
    if uses_full_text_index():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        # Ranked by the prefixes, not by the words they were matched by: ts_rank weighs a list
        # of alternatives differently, and the order should not depend on how many words a
        # prefix happens to begin. Normalised to rank / (rank + 1): below 1, it orders
        # records with as many exact words.
        ranked_by = SearchQuery(prefix_query(terms), search_type="raw", config="simple")
        rank = rank + SearchRank(_vector(), ranked_by, normalization=32)
    return queryset.annotate(rank=rank)


def text_filter(queryset, terms, query=None):
    """`queryset` narrowed to records containing every term as a word prefix (numbers and
    codes whole). On PostgreSQL `query` is full_text_query(terms), worked out once for all
    kinds."""
    if not terms:
        return queryset
    if uses_full_text_index():
        from django.contrib.postgres.search import SearchQuery

        if query is None:
            query = full_text_query(terms)
        if query is None:
            return queryset.none()
        # Matched by the listed words: fast in the index.
        query = SearchQuery(query, search_type="raw", config="simple")
        return queryset.annotate(fulltext=_vector()).filter(fulltext=query)
    condition = Q()
    for term in terms:
        condition &= Q(search_text__contains=f" {term} " if is_whole(term) else f" {term}")
    return queryset.filter(condition)


def better_match(table, criteria, queries):
    """Boolean SQL: the record of `table` holds every typed word as itself or another form of
    it, as exact_matches counts them (on PostgreSQL through `queries`.exact, see
    full_text_queries). None where that tells no match apart (no words typed; on PostgreSQL
    the same words as the match)."""
    if not criteria.words:
        return None
    if uses_full_text_index():
        if queries.exact is None or queries.exact == queries.match:
            return None
        return RawSQL(
            f'"{table}"."search_vector" @@ to_tsquery(\'simple\'::regconfig, %s)',
            [queries.exact],
            output_field=BooleanField(),
        )
    conditions, params = [], []
    for term, word in criteria.words:
        held, forms = _word_forms(table, term, word)
        conditions.append(f"({held})")
        params += forms
    return RawSQL(" AND ".join(conditions), params, output_field=BooleanField())


def _any_of(paths, lookup, value):
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__{lookup}": value})
    return condition


@dataclass
class Criteria:
    terms: list
    kinds: list = field(default_factory=lambda: list(KINDS))
    year: int | None = None
    department: Department | None = None
    programme: Programme | None = None
    # Filters of the postulates' answers, as the postulate list reads them (its parameters).
    answers: dict = field(default_factory=dict)
    words: list = field(default_factory=list)  # (term, word as typed): see exact_matches


def matching(kind, criteria, query=None):
    """The published records of one kind that match the text and the filters (`query`: see
    text_filter)."""
    ruled_out = (
        (criteria.year is not None and not kind.year_paths)
        or (criteria.department is not None and not is_owned(kind.model))
        or (criteria.programme is not None and not kind.programme_paths)
        or (criteria.answers and kind.postulate_path is None)
    )
    if ruled_out:
        # Organisations have no year, a year of the archive no department or programme, and
        # only postulates and their answers have an outcome: a search filtered by one of
        # them finds no record without it.
        return kind.model.objects.none()
    records = kind.model.objects.published()
    if criteria.year is not None:
        records = records.filter(_any_of(kind.year_paths, "exact", criteria.year))
    if criteria.department is not None:
        records = records.filter(pk__in=belonging_to(kind.model, criteria.department))
    if criteria.programme is not None:
        records = records.filter(_any_of(kind.programme_paths, "exact", criteria.programme))
    if criteria.answers:
        # The postulate list's own filters: one definition of "rejected", "in this area".
        from postulates.filters import PostulateFilter

        postulates = PostulateFilter(criteria.answers, queryset=Postulate.objects.all()).qs
        records = records.filter(**{f"{kind.postulate_path}__in": postulates.values("pk")})
    return text_filter(records, criteria.terms, query)


@dataclass
class Results:
    """One page of the matches of all kinds, best first, and the count of each kind."""

    counts: dict  # kind key -> matches counted, at most COUNT_LIMIT + 1
    page: list  # (kind key, pk) of the page's records, in order

    @property
    def capped(self):
        """Kinds whose count stopped at the limit (there are more matches than counted)."""
        return {key for key, count in self.counts.items() if count > COUNT_LIMIT}

    @property
    def total(self):
        """The matches that can be paged through: at most COUNT_LIMIT of each kind."""
        return sum(min(count, COUNT_LIMIT) for count in self.counts.values())


# Where more match than are ranked, the newest matches are looked for among this many of a
# kind's newest records: a bounded read, where ordering every match by age would read them all.
RECENT_RECORDS = 2000


def preferred(kind, criteria, queries, number):
    """SQL: the records of `kind` to rank, at most COUNT_LIMIT + 1. Where the first read (the
    table first_`number`) holds every match, all of it; where it is full, of it and the recent
    matches (recent_`number`), the better matches first (better_match), then the recent ones,
    then the newest. Each part runs only where it applies (one-time conditions). Plain SQL:
    it is built for every kind of every search, and the ORM's building cost more than
    running it."""
    table, key = kind.model._meta.db_table, kind.model._meta.pk.column
    order, params = [], []
    better = better_match(table, criteria, queries)
    if better is not None:
        order.append(f"({better.sql}) DESC")
        params += better.params
    order.append(f'"{key}" IN (SELECT id FROM recent_{number}) DESC')
    counted = f"(SELECT COUNT(*) FROM first_{number})"
    return (
        f"SELECT id FROM first_{number} WHERE {counted} <= {COUNT_LIMIT} "
        f'UNION ALL SELECT * FROM (SELECT "{key}" FROM "{table}" WHERE "{key}" IN '
        f"(SELECT id FROM first_{number} UNION SELECT id FROM recent_{number}) "
        f'ORDER BY {", ".join(order)}, "{key}" DESC LIMIT {COUNT_LIMIT + 1}) AS preferred '
        f"WHERE {counted} > {COUNT_LIMIT}",
        params,
    )


def search(criteria, offset, limit):
    """The matches from `offset` to `offset + limit` and the count of each kind, in one query.

    Each kind's match is bounded: it reads at most COUNT_LIMIT + 1 records, the first the index
    yields, which gives its count. A very common word so costs a bounded read instead of
    ranking every one of tens of thousands of records; the reader is told there are more and
    asked to narrow the search. The first the index yields are the records the archive
    received first (2015 before 2026), so where there are more, a kind that grows with the
    years (SearchKind.dated) also reads its matches among its RECENT_RECORDS newest records,
    newest first, and ranks COUNT_LIMIT + 1 of both reads: the better matches first (every
    typed word as itself or another form of it, better_match), then the recent ones, then
    the newest (preferred). The database merges the kinds, orders them and cuts the page, so
    only the page's rows and the counts travel to Python.
    """
    counts = dict.fromkeys(criteria.kinds, 0)
    queries = FullTextQueries(None, None)
    if criteria.terms and uses_full_text_index():
        queries = full_text_queries(criteria.words or [(term, term) for term in criteria.terms])
        if queries.match is None:  # a word begins no word in the archive
            return Results(counts=counts, page=[])
    tables, params, branches, branch_params = [], [], [], []

    def add_table(name, sql, table_params):
        tables.append(f"{name} (id) AS ({sql})")
        params.extend(table_params)

    for key in criteria.kinds:
        kind, number = KINDS[key], KIND_NUMBERS[key]
        records = matching(kind, criteria, queries.match)
        if kind.dated:
            # Unordered on PostgreSQL: any order would make it read every match to sort them.
            first = records.order_by().values("pk")[: COUNT_LIMIT + 1]
            try:
                add_table(f"first_{number}", *first.query.sql_with_params())
            except EmptyResultSet:  # the filters rule this kind out
                continue
            table, key_column = kind.model._meta.db_table, kind.model._meta.pk.column
            newest = RawSQL(f'(SELECT MAX("{key_column}") FROM "{table}") - %s', [RECENT_RECORDS])
            capped = RawSQL(
                f"(SELECT COUNT(*) FROM first_{number}) > %s",
                [COUNT_LIMIT],
                output_field=BooleanField(),
            )
            recent = records.filter(capped, pk__gt=newest).order_by("-pk").values("pk")
            add_table(f"recent_{number}", *recent[: COUNT_LIMIT + 1].query.sql_with_params())
            add_table(f"ranked_{number}", *preferred(kind, criteria, queries, number))
            records = kind.model._default_manager.filter(
                pk__in=RawSQL(f"SELECT id FROM ranked_{number}", [])
            )
        ranked = (
            text_rank(records, criteria.terms, criteria.words, kind.titled)
            .annotate(hit_kind=Value(number), hit_day=Coalesce(kind.day, Value(NO_DATE)))
            .order_by()
            .values_list("hit_kind", "pk", "rank", "hit_day")
        )
        if not kind.dated:  # few: the first read is ranked as it is read
            ranked = ranked[: COUNT_LIMIT + 1]
        try:
            sql, kind_params = ranked.query.sql_with_params()
        except EmptyResultSet:  # the filters rule this kind out (organisations have no year)
            continue
        # A subquery in FROM: SQLite allows no LIMIT on the branches of a compound SELECT.
        branches.append(f"SELECT * FROM ({sql}) AS kind_{number}")
        branch_params += kind_params
    if not branches:
        return Results(counts=counts, page=[])
    order = "rank DESC, day DESC, kind, id DESC"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH {"".join(f"{cte}, " for cte in tables)}
            hits (kind, id, rank, day) AS ({" UNION ALL ".join(branches)}),
            kept AS (
                SELECT * FROM (
                    SELECT *, ROW_NUMBER() OVER (
                        PARTITION BY kind ORDER BY rank DESC, day DESC, id DESC
                    ) AS nth_of_kind FROM hits
                ) AS numbered
                WHERE nth_of_kind <= %s
            )
            SELECT kind, id, ROW_NUMBER() OVER (ORDER BY {order}) FROM (
                SELECT * FROM kept ORDER BY {order} LIMIT %s OFFSET %s
            ) AS page
            UNION ALL
            SELECT kind, NULL, COUNT(*) FROM hits GROUP BY kind
            """,
            [*params, *branch_params, COUNT_LIMIT, limit, offset],
        )
        rows = cursor.fetchall()
    page = []
    for kind_number, pk, number in rows:
        kind = KIND_KEYS[kind_number]
        if pk is None:
            counts[kind] = number
        else:
            page.append((number, kind, pk))
    return Results(counts=counts, page=[(kind, pk) for _number, kind, pk in sorted(page)])
