"""Pages of long lists that cost what the page shows, not what the whole list holds."""

from django.core.paginator import Paginator
from django.db.models import F, Lookup


class AmongKeys(Lookup):
    """`lhs IN (subquery)`; on PostgreSQL `lhs = ANY(ARRAY(subquery))`, which the planner
    treats as a list worked out once before the query, so it reads the listed rows by their
    index. For `pk IN (subquery)` it joined every row of the list first and only then kept
    the listed ones."""

    lookup_name = "among_keys"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


class KeysFirstPaginator(Paginator):
    """Finds a page's rows by their keys first and reads only those rows, in one query.

    The database then sorts the list by its ordering columns and the keys alone, not by whole
    rows with every related record selected alongside: sorting 100,000 postulates with their
    meetings' texts spilled to disk and took over a second for any page of the list."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        keys = self.object_list.values("pk")[bottom : bottom + self.per_page]
        rows = self.object_list.filter(AmongKeys(F("pk"), keys))
        return self._get_page(rows, number, self)
