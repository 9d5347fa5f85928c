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
    meetings' texts spilled to disk and took over a second for any page of the list.

    `keys`, where the caller keeps the list's order: a function (bottom, top) giving the keys
    of the rows from `bottom` to `top` (0-based, `top` excluded), instead of sorting the list.
    """

    def __init__(self, object_list, per_page, keys=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.keys = keys or self.sorted_keys

    def sorted_keys(self, bottom, top):
        return self.object_list.values("pk")[bottom:top]

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        keys = self.keys(bottom, bottom + self.per_page)
        rows = self.object_list.filter(AmongKeys(F("pk"), keys))
        return self._get_page(rows, number, self)
