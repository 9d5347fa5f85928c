"""Full-text search across meetings, documents, postulates, answers and organisations.

PostgreSQL matches folded text with a prefix tsquery through GIN indexes and ranks by
ts_rank; SQLite matches the same folded text with LIKE, so both find the same records
(SQLite orders them by date only)."""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import DateField, F, FloatField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from meetings.models import Document, Meeting
from organisations.models import Organisation
from postulates.models import Position, Postulate

NO_DATE = datetime.date(1, 1, 1)  # sorts undated results last
# Counting stops here: "more than 1000" tells a reader enough, and counting every one of
# 60,000 matches of a common word would cost more than the whole rest of the page.
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    plural: str
    model: type
    day: object  # expression: the date a result is shown and ordered by
    year_paths: tuple = ()
    department_paths: tuple = ()


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            "spotkania",
            _("Spotkanie"),
            _("Spotkania"),
            Meeting,
            F("starts_on"),
            ("year",),
            ("departments",),
        ),
        Kind(
            "dokumenty",
            _("Dokument"),
            _("Dokumenty"),
            Document,
            Coalesce(F("meeting__starts_on"), Cast(F("published_at"), DateField())),
            ("meeting__year", "round__year"),
            ("meeting__departments", "round__coordinator"),
        ),
        Kind(
            "postulaty",
            _("Postulat"),
            _("Postulaty"),
            Postulate,
            F("meeting__starts_on"),
            ("meeting__year", "round__year"),
            ("responsible_department", "meeting__departments", "round__coordinator"),
        ),
        Kind(
            "stanowiska",
            _("Stanowisko"),
            _("Stanowiska"),
            Position,
            F("answered_on"),
            ("postulate__meeting__year", "postulate__round__year"),
            ("department", "postulate__responsible_department", "postulate__meeting__departments"),
        ),
        Kind("organizacje", _("Organizacja"), _("Organizacje"), Organisation, Value(None)),
    )
}


def uses_full_text_index():
    return connection.vendor == "postgresql"


def text_match(queryset, terms):
    """`queryset` narrowed to records containing every term as a word prefix, with a rank."""
    if not terms:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if uses_full_text_index():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

        # The generated, GIN-indexed column added by search's migration 0002 (PostgreSQL only).
        table = queryset.model._meta.db_table
        vector = RawSQL(f'"{table}"."search_vector"', [], output_field=SearchVectorField())
        query = SearchQuery(
            " & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple"
        )
        return queryset.annotate(fulltext=vector, rank=SearchRank(vector, query)).filter(
            fulltext=query
        )
    condition = Q()
    for term in terms:
        condition &= Q(search_text__contains=f" {term}")
    return queryset.filter(condition).annotate(rank=Value(0.0, output_field=FloatField()))


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

    @property
    def filtered(self):
        return self.year is not None or self.department is not None


def matching(kind, criteria):
    """The published records of one kind that match the text and the filters."""
    if criteria.filtered and not kind.year_paths:
        # Organisations have no year or department: a filtered search finds none of them.
        return text_match(kind.model.objects.none(), criteria.terms)
    records = kind.model.objects.published()
    if criteria.year is not None:
        records = records.filter(_any_of(kind.year_paths, "exact", criteria.year))
    if criteria.department is not None:
        lineage = [department.pk for department in criteria.department.lineage()]
        owned = kind.model.objects.filter(_any_of(kind.department_paths, "in", lineage))
        records = records.filter(pk__in=owned.values("pk"))  # a subquery: no duplicate rows
    return text_match(records, criteria.terms)


class Results:
    """All matches of all kinds, best first, sliceable and countable for a Paginator.

    One bounded query per kind fetches at most COUNT_LIMIT + 1 matches with their rank: the
    count, and the candidates the page is cut from. A kind with more matches than that is
    ranked among the first COUNT_LIMIT the index yields, so a very common word costs a
    bounded read instead of ranking every one of tens of thousands of records. The reader is
    told there are more and asked to narrow the search."""

    def __init__(self, criteria):
        self.counts, self.rows = {}, []
        for key in criteria.kinds:
            found = list(
                matching(KINDS[key], criteria)
                .annotate(hit_kind=Value(key), hit_day=Coalesce(KINDS[key].day, Value(NO_DATE)))
                # Unordered: any order would make the database read every match to sort them.
                .order_by()
                .values_list("hit_kind", "pk", "rank", "hit_day")[: COUNT_LIMIT + 1]
            )
            self.counts[key] = len(found)
            self.rows += found[:COUNT_LIMIT]
        self.rows.sort(key=lambda row: (-row[2], -row[3].toordinal(), row[0], -row[1]))

    @property
    def capped(self):
        """Kinds whose count stopped at the limit (there are more matches than counted)."""
        return {key for key, count in self.counts.items() if count > COUNT_LIMIT}

    def count(self):
        return len(self.rows)

    def __getitem__(self, page):
        return self.rows[page]
