"""Full-text search across meetings, documents, postulates, answers, organisations and the
years of the archive.

PostgreSQL matches folded text with a prefix tsquery through GIN indexes; SQLite matches the
same folded text with LIKE, so both find the same records. Both rank first by the typed words
a record holds in some form and those in its title (exact_matches), then by date (undated
last), then PostgreSQL by ts_rank."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, FloatField, Q, Value
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Coalesce

from core.dates import NO_DATE, newest_first
from core.ownership import is_owned, owned_row_condition
from departments.models import Department
from postulates.models import Postulate
from programmes.models import Programme
from search.kinds import KINDS
from search.text import alternatives, is_whole, word_forms

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


def listed_words(terms):
    """{prefix of `terms`: the words search_word lists beginning with it}, at most
    EXPANSION_LIMIT + 1 of each (PostgreSQL only)."""
    prefixes = [prefix for term in terms if not is_whole(term) for prefix in alternatives(term)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, found.word FROM unnest(%s::text[]) AS term, LATERAL ("
            '  SELECT DISTINCT word FROM search_word WHERE word >= term COLLATE "C"'
            '  AND word < (term || chr(1114111)) COLLATE "C" ORDER BY word LIMIT %s'
            ") AS found",
            [prefixes, EXPANSION_LIMIT + 1],
        )
        words = defaultdict(list)
        for term, word in cursor.fetchall():
            words[term].append(word)
    return words


def full_text_query(terms, words=None):
    """PostgreSQL's tsquery for `terms`, each a word prefix; None when a term begins no word
    in the archive, so nothing can match.

    Each prefix becomes the words that begin with it, as search_word lists them (search
    migration 0003; `words`: listed_words(terms), when the caller has them): "konkurs" ->
    (konkurs | konkursach | konkursow). The index finds exact words two to three times faster
    than a prefix, which it serves by gathering every entry that begins with it; the records
    found are the same."""
    if words is None:
        words = listed_words(terms)
    groups = []
    for term in terms:
        if is_whole(term):
            groups.append(_whole(term))
            continue
        found = [word for prefix in alternatives(term) for word in words[prefix]]
        if not found:
            return None
        if any(len(words[prefix]) > EXPANSION_LIMIT for prefix in alternatives(term)):
            groups.append(_prefixes(term))
        else:
            groups.append("(" + " | ".join(map(_quoted, found)) + ")")
    return " & ".join(groups)


def held_forms(terms, words):
    """{term: the forms of it (word_forms) the archive holds}, for the terms whose every word
    search_word lists (`words`: listed_words(terms)): word_forms guesses some thirty endings,
    and a query of thirty words cost the index and every row it tested several times one of
    the few that exist. A term not here is looked for in all its forms."""
    held = {}
    for term in terms:
        if is_whole(term) or len(words[term]) > EXPANSION_LIMIT:
            continue
        listed = set(words[term])
        held[term] = [form for form in word_forms(term) if form in listed]
    return held


def only_forms_begin(terms, words, held):
    """Whether every word the archive holds beginning with each term is a form of the typed
    word (`words`: listed_words(terms), `held`: held_forms): then the records holding the forms
    are the records matching, and reading them again costs planning and execution for nothing
    (most two-word queries of the benchmark: 166 of 200)."""
    return all(
        is_whole(term)
        or (alternatives(term) == [term] and set(held.get(term, ())) == set(words[term]))
        for term in terms
    )


def _forms(term, held):
    """The forms of `term` to look for: those the archive holds where `held` (held_forms)
    knows them, else all word_forms guesses."""
    if held and term in held:
        return held[term]
    return word_forms(term)


def _quoted(word):
    """A word as a tsquery operand: quoted, so no character in it can act as an operator."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _whole(term):
    """A number or a code ("c 10") as a tsquery: its words exactly, one after the other."""
    return "(" + " <-> ".join(map(_quoted, term.split())) + ")"


def prefix_query(terms):
    """The tsquery matching every term as a word prefix (terms are folded letters and digits),
    numbers and codes as whole words."""
    return " & ".join(_whole(term) if is_whole(term) else _prefixes(term) for term in terms)


def _prefixes(term):
    """`term` as a tsquery of word prefixes: its own, or with what it abbreviates."""
    prefixes = [f"{prefix}:*" for prefix in alternatives(term)]
    return prefixes[0] if len(prefixes) == 1 else "(" + " | ".join(prefixes) + ")"


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


def exact_matches(table, words, titled=False, held=None):
    """How many of the (term, word as typed) pairs the record of `table` holds as the word
    itself or another form of it (word_forms): "lokale" ranks a record saying "lokali" above
    one saying only "społeczności lokalnych", "zwierzęta" one saying "zwierzętami" above
    "Zwierzyniec". Numbers and codes count whole. With `titled` (its search text begins with
    its title), a term in the title counts once more. `held`: see held_forms."""
    conditions, params = [], []
    for term, word in words:
        forms = [word] if is_whole(term) else _forms(term, held)
        if not forms:
            pass  # no record holds any form of it
        elif uses_full_text_index():
            # The stored vector's sorted words: cheaper than looking for each form in the text.
            query = _whole(word) if is_whole(term) else " | ".join(map(_quoted, forms))
            conditions.append(
                f'(CASE WHEN "{table}"."search_vector" @@ to_tsquery(\'simple\', %s) '
                "THEN 1.0 ELSE 0.0 END)"
            )
            params.append(query)
        else:
            # The folded text and the forms hold no "%" or "_" of their own.
            like = " OR ".join(f'"{table}"."search_text" LIKE %s' for _form in forms)
            conditions.append(f"(CASE WHEN {like} THEN 1.0 ELSE 0.0 END)")
            params += [f"% {form} %" for form in forms]
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


def text_rank(queryset, terms, words=(), titled=False, held=None):
    """`queryset` (records matching `terms`) with `matched`, the count of `words` held whole
    (see exact_matches), and `rank`: on PostgreSQL ts_rank, below 1, else 0. Results are
    ordered by `matched`, then by date, then by `rank`: ts_rank's small differences (a word
    said twice, a shorter text) put 2015 before 2026 among equally good matches."""
    zero = Value(0.0, output_field=FloatField())
    if not terms:
        return queryset.annotate(matched=zero, rank=zero)
    table = queryset.model._meta.db_table
    matched, rank = exact_matches(table, words, titled, held), zero
    if uses_full_text_index():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        # Ranked by the prefixes, not by the words they were matched by: ts_rank weighs a list
        # of alternatives differently, and the order should not depend on how many words a
        # prefix happens to begin.
        ranked_by = SearchQuery(prefix_query(terms), search_type="raw", config="simple")
        rank = SearchRank(_vector(), ranked_by, normalization=32)
    return queryset.annotate(matched=matched, rank=rank)


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
        if is_whole(term):
            condition &= Q(search_text__contains=f" {term} ")
            continue
        either = Q()
        for prefix in alternatives(term):
            either |= Q(search_text__contains=f" {prefix}")
        condition &= either
    return queryset.filter(condition)


def _holding_any(queryset, words, name):
    """`queryset` narrowed to records holding one of `words` whole (`name`: an alias for the
    vector, one per call)."""
    if uses_full_text_index():
        from django.contrib.postgres.search import SearchQuery

        query = "(" + " | ".join(map(_quoted, words)) + ")"
        query = SearchQuery(query, search_type="raw", config="simple")
        return queryset.alias(**{name: _vector()}).filter(**{name: query})
    condition = Q()
    for word in words:
        condition |= Q(search_text__contains=f" {word} ")
    return queryset.filter(condition)


def word_filter(queryset, terms):
    """`queryset` narrowed to records holding each term as a form of the typed word
    (word_forms), for lists that show every match unranked: "lokale" lists no record saying
    only "lokalnych", "zwierzęta" none saying only "Zwierzyniec". A term no record of
    `queryset` holds in any form is matched as a word prefix (text_filter), so a word still
    being typed ("organizac") finds what it begins."""
    prefixes = []
    for number, term in enumerate(terms):
        if is_whole(term):
            prefixes.append(term)
            continue
        forms = _holding_any(queryset, word_forms(term), f"forms_{number}")
        if forms.exists():
            queryset = forms
        else:
            prefixes.append(term)
    return text_filter(queryset, prefixes)


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


def matching(kind, criteria, query=None, text=True):
    """The published records of one kind that match the text and the filters (`query`: see
    text_filter); without `text`, those matching the filters alone."""
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
        # Tested on each row read newest first (core.ownership.owned_row_condition): as a
        # subquery of the kind's own keys, each of the thousands of rows a department's read
        # tests cost an index scan per ownership path.
        lineage = criteria.department.lineage_ids()
        records = records.filter(owned_row_condition(kind.model, lineage))
    if criteria.programme is not None:
        records = records.filter(_any_of(kind.programme_paths, "exact", criteria.programme))
    if criteria.answers:
        # The postulate list's own filters: one definition of "rejected", "in this area".
        from postulates.filters import PostulateFilter

        postulates = PostulateFilter(criteria.answers, queryset=Postulate.objects.all()).qs
        records = records.filter(**{f"{kind.postulate_path}__in": postulates.values("pk")})
    return text_filter(records, criteria.terms, query) if text else records


@dataclass
class Results:
    """One page of the matches of all kinds, best first, and the count of each kind."""

    counts: dict  # kind key -> matches counted, above COUNT_LIMIT only when there are more
    page: list  # (kind key, pk) of the page's records, in order

    @property
    def capped(self):
        """Kinds whose count stopped at the limit (there are more matches than counted)."""
        return {key for key, count in self.counts.items() if count > COUNT_LIMIT}

    @property
    def total(self):
        """The matches that can be paged through: at most COUNT_LIMIT of each kind."""
        return sum(min(count, COUNT_LIMIT) for count in self.counts.values())


def holding_forms(queryset, terms, held=None):
    """`queryset` narrowed to records holding every term as a form of the typed word
    (word_forms; numbers and codes whole): the matches exact_matches ranks first. Each form
    begins with its term, so they match the terms too, and the index looks up the forms
    alone: with the terms' query as well, it took longer than the read. `held`: see
    held_forms."""
    for number, term in enumerate(terms):
        if not is_whole(term):
            forms = _forms(term, held)
            if not forms:
                return queryset.none()
            queryset = _holding_any(queryset, forms, f"forms_{number}")
    return text_filter(queryset, [term for term in terms if is_whole(term)])


def search(criteria, offset, limit):
    """The matches from `offset` to `offset + limit` and the count of each kind, in one query.

    Each kind's match is bounded, and read in the order the results are shown: its newest
    COUNT_LIMIT + 1 matches (by date, then key; undated ones last), which also give its count,
    and its newest COUNT_LIMIT + 1 records holding every typed word in some form (those rank
    first, however old). A very common word so costs two bounded reads instead of ranking
    every one of tens of thousands of records, and every page is cut from the same bounded
    set, so paging walks back through the years from the newest, without gaps, repeats or a
    restart, as far as the bound; the reader is told there are more and asked to narrow the
    search. The database merges the kinds, orders them and cuts the page, so only the page's
    rows and the counts travel to Python.
    """
    counts = dict.fromkeys(criteria.kinds, 0)
    query, held = None, None
    forms_read = not all(map(is_whole, criteria.terms))
    if criteria.terms and uses_full_text_index():
        words = listed_words(criteria.terms)
        query = full_text_query(criteria.terms, words)
        if query is None:  # a word begins no word in the archive
            return Results(counts=counts, page=[])
        held = held_forms(criteria.terms, words)
        forms_read = not only_forms_begin(criteria.terms, words, held)
    reads, params, branches, counted, read_names = [], [], [], [], set()
    for key in criteria.kinds:
        kind, number = KINDS[key], KIND_NUMBERS[key]
        # The filters once for both reads: building published() is much of the Python time.
        filtered = matching(kind, criteria, text=False)
        matches = text_filter(filtered, criteria.terms, query)
        holding = holding_forms(filtered, criteria.terms, held)
        day = kind.day if kind.dated else None
        reads_of_kind = [
            (f"{name}_{number}", name, records)
            for name, records in (("all", matches), ("forms", holding))
            # Where every word the terms begin is a form of the typed one (or no term has
            # forms: numbers), the second read is the first.
            if name == "all" or forms_read
        ]
        for read_name, name, records in reads_of_kind:
            # Ordered as the index on the date orders it, so the read walks the index.
            order = newest_first(day) if day is not None else (F("pk").desc(),)
            ranked = (
                text_rank(records, criteria.terms, criteria.words, kind.titled, held)
                .annotate(
                    hit_kind=Value(number),
                    hit_id=F("pk"),
                    hit_day=Coalesce(kind.day, Value(NO_DATE)),
                )
                .order_by(*order)
                .values_list("hit_kind", "hit_id", "matched", "hit_day", "rank")
            )[: COUNT_LIMIT + 1]
            try:
                sql, read_params = ranked.query.sql_with_params()
            except EmptyResultSet:  # the filters rule this kind out (organisations have no year)
                continue
            # Subqueries in FROM: SQLite allows no LIMIT on the branches of a compound SELECT.
            condition = ""
            if name == "forms":
                first = read_name.replace("forms_", "all_", 1)
                if first not in read_names:
                    continue
                # Only where the first read is full: else it holds every match.
                condition = f" WHERE (SELECT COUNT(*) FROM {first}) > {COUNT_LIMIT}"
            read_names.add(read_name)
            reads.append(
                f"{read_name} (kind, id, matched, day, rank) AS "
                f"(SELECT * FROM ({sql}) AS r{condition})"
            )
            params += read_params
            branches.append(f"SELECT * FROM {read_name}")
            if name == "all":
                counted.append(f"SELECT kind FROM {read_name}")
    if not branches:
        return Results(counts=counts, page=[])
    # Better matches first; among as good ones, the newest (undated ones last), and ts_rank
    # only within a day.
    order = "matched DESC, day DESC, rank DESC, kind, id DESC"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH {", ".join(reads)},
            -- UNION, not UNION ALL: a record of both reads is one hit.
            hits (kind, id, matched, day, rank) AS ({" UNION ".join(branches)}),
            kept AS (
                SELECT * FROM (
                    SELECT *, ROW_NUMBER() OVER (
                        PARTITION BY kind ORDER BY {order}
                    ) AS nth_of_kind FROM hits
                ) AS numbered
                WHERE nth_of_kind <= %s
            )
            SELECT kind, id, ROW_NUMBER() OVER (ORDER BY {order}) FROM (
                SELECT * FROM kept ORDER BY {order} LIMIT %s OFFSET %s
            ) AS page
            UNION ALL
            SELECT kind, NULL, COUNT(*) FROM ({" UNION ALL ".join(counted)}) AS read_
            GROUP BY kind
            """,
            [*params, COUNT_LIMIT, limit, offset],
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
