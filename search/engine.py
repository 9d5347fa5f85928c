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
        return kind.model.objects.none()  # organisations have no year or department
    records = kind.model.objects.published()
    if criteria.year is not None:
        records = records.filter(_any_of(kind.year_paths, "exact", criteria.year))
    if criteria.department is not None:
        lineage = [department.pk for department in criteria.department.lineage()]
        owned = kind.model.objects.filter(_any_of(kind.department_paths, "in", lineage))
        records = records.filter(pk__in=owned.values("pk"))  # a subquery: no duplicate rows
    return text_match(records, criteria.terms)


class Results:
    """All matches of all kinds, best first, sliceable and countable for a Paginator."""

    def __init__(self, criteria):
        self.per_kind = {key: matching(KINDS[key], criteria) for key in criteria.kinds}
        self.counts = {
            key: records.order_by()[: COUNT_LIMIT + 1].count()
            for key, records in self.per_kind.items()
        }

    @property
    def capped(self):
        """Kinds whose count stopped at the limit (there are more matches than counted)."""
        return {key for key, count in self.counts.items() if count > COUNT_LIMIT}

    def count(self):
        return sum(self.counts.values())

    def __len__(self):
        return self.count()

    def __getitem__(self, page):
        rows = [
            records.order_by()  # parts of a UNION may not be ordered on their own
            .annotate(hit_kind=Value(key), hit_day=Coalesce(KINDS[key].day, Value(NO_DATE)))
            .values_list("hit_kind", "pk", "rank", "hit_day")
            for key, records in self.per_kind.items()
            if self.counts[key]
        ]
        if not rows:
            return []
        combined = rows[0].union(*rows[1:], all=True) if len(rows) > 1 else rows[0]
        return list(combined.order_by("-rank", "-hit_day", "hit_kind", "pk")[page])
