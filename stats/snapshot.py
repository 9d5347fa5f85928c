"""The statistics' facts kept for the current content generation, so a statistics page
groups one narrow table instead of working out every published postulate's current answer,
department and wait again (about a second at 100,000 postulates, on every page); and the
orders of the public postulate list and of the list of commitments, so a page of either reads
its fifty rows by their positions instead of sorting and counting every published postulate
or every current answer (another second each).

The facts can never drift from the archive: they are read only while the content generation
they were built for (pagecache.generation) is the current one, and that generation ends with
every save of a record, at every scheduled publication and at midnight (the unanswered
postulates' waits count to today). Until they are built again (by the alerts worker, each
round: rebuild()), the statistics are worked out live from the archive, as before.
"""

import itertools
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Subquery, Value
from django.utils import timezone

from core.ownership import owned_ids_by_path
from pagecache.generation import current_generation
from postulates.models import Position, Postulate, with_history_in_other_years_condition
from postulates.selectors import public_commitments, public_postulates
from stats.dimensions import DIMENSIONS
from stats.expressions import (
    FACT_COLUMNS,
    TALLY_COLUMNS,
    counted_under,
    fact_tallies,
    outcome_facts,
    unanswered_postulates,
)
from stats.models import (
    FilteredListing,
    ListedCommitment,
    ListedPostulate,
    OutcomeFact,
    OutcomeSnapshot,
    OutcomeTally,
)
from stats.tallies import UNANSWERED

SNAPSHOT_PK = 1
# The postulate list's filters whose lists are kept per value (FilteredListing): those the
# site links to most (a year's, a department's, an organisation's postulates, and a
# programme's, whose page shows the first of them), whose conditions reach across meetings
# and rounds, so the database scanned every postulate or sorted all of the value's; and
# those that look into the answers (an outcome in any public answer, what the current answer
# asks to follow up, a history in other years), which worked out every postulate's answers or
# links for any page (2-4 s at 100,000 postulates under load). Their values' keys:
# postulates.filters.kept_key.
KEPT_FILTERS = ("rok", "wydzial", "organizacja", "program", "rozstrzygniecie", "uwaga", "historia")
# Rows read and inserted at a time while the lists' orders are built.
BATCH = 5000
# The key of the history filter's one value (?historia=tak).
HISTORY_KEY = 1


def current_facts(at):
    """The OutcomeFact queryset when it holds the statistics at `at` (built for the current
    generation, which `at` falls in), else None."""
    return OutcomeFact.objects.all() if current_snapshot(at) else None


def counted_postulates(at, *, departments=None, category=None):
    """The condition on postulates "counted by the statistics under one of `departments` (ids
    of a group: a department with its former names)" and/or "whose current answer's outcome
    is of `category` (or UNANSWERED)": the postulate list's filters "as in the statistics", so
    the list shows what a count links to. Read from the facts when they hold the statistics
    at `at` (indexed columns: working out the attributed department of every current answer
    took 4-9 s at 100,000 postulates, the current outcome 2.8 s), else worked out live, as the
    facts are built (stats.expressions)."""
    facts = current_facts(at)
    if facts is not None:
        if departments is not None:
            facts = facts.filter(department__in=departments)
        if category is not None:
            facts = facts.filter(category=category)
        return Q(pk__in=facts.values("postulate_id"))
    condition = Q()
    if departments is not None:
        answered, unanswered = counted_under(departments, at)
        condition &= Q(pk__in=answered) | Q(pk__in=unanswered)
    if category == UNANSWERED:
        condition &= Q(pk__in=unanswered_postulates(at).values("pk"))
    elif category is not None:
        answers = Position.objects.current(at).filter(outcome__category=category)
        condition &= Q(pk__in=answers.values("postulate"))
    return condition


@dataclass(frozen=True)
class ListOrder:
    """The unfiltered public postulate list as ListedPostulate holds it."""

    count: int

    @staticmethod
    def keys(bottom, top):
        """The ids of the list's rows from `bottom` to `top` (0-based, `top` excluded)."""
        return ListedPostulate.objects.filter(position__gt=bottom, position__lte=top).values(
            "postulate_id"
        )


@dataclass(frozen=True)
class FilteredOrder:
    """The public postulate list filtered by values of kept filters, as FilteredListing holds
    it: `chosen`, ((filter, key), ...), the first the one whose list is read in order."""

    chosen: tuple
    count: int

    def rows(self):
        """FilteredListing rows of the first chosen value whose postulates every other chosen
        value selects too: the list under all of them, in the list's order by its ranks."""
        (name, key), *others = self.chosen
        rows = FilteredListing.objects.filter(filter=name, key=key)
        for other, other_key in others:
            also = FilteredListing.objects.filter(filter=other, key=other_key)
            rows = rows.filter(postulate_id__in=also.values("postulate_id"))
        return rows

    def keys(self, bottom, top):
        """The ids of the filtered list's rows from `bottom` to `top` (0-based, `top`
        excluded)."""
        if len(self.chosen) == 1:
            # One list: a range of its ranks, read from the index.
            rows = self.rows().filter(rank__gt=bottom, rank__lte=top)
            return rows.values("postulate_id")
        return self.rows().order_by("rank").values("postulate_id")[bottom:top]


def current_filtered_order(at, *chosen):
    """FilteredOrder of the public postulate list filtered by each (name, key) of `chosen`:
    the value of the filter `name` (one of KEPT_FILTERS) whose key is `key`
    (postulates.filters.kept_key), when the lists are built for the generation in force at
    `at`, else None. Its length is read with the snapshot, in the same query: the last rank
    of one list, the number of postulates common to several."""
    order = FilteredOrder(chosen, 0)
    if len(chosen) > 1:
        counted = order.rows().order_by().values("filter").annotate(counted=Count("pk"))
        length = Subquery(counted.values("counted"))
    else:
        length = Subquery(order.rows().order_by("-rank").values("rank")[:1])
    snapshot = current_snapshot(at, length=length)
    if not snapshot:
        return None
    return FilteredOrder(order.chosen, snapshot["length"] or 0)


def kept_counts(at, name, keys):
    """{key: how many postulates the public list shows filtered by `name` (one of
    KEPT_FILTERS) = the value whose pk is `key`} for `keys` (a key of none is left out), when
    the lists are built for the generation in force at `at`, else None: the last rank of each,
    read from the index."""
    if not current_snapshot(at):
        return None
    ranks = FilteredListing.objects.filter(filter=name, key__in=keys).order_by().values("key")
    return dict(ranks.annotate(last=Max("rank")).values_list("key", "last"))


def current_list_order(at):
    """ListOrder of the unfiltered public postulate list when it is built for the generation
    in force at `at`, else None."""
    snapshot = current_snapshot(at)
    return ListOrder(snapshot["listed_postulates"]) if snapshot else None


class CommitmentOrder:
    """The unfiltered public list of commitments as ListedCommitment holds it."""

    @staticmethod
    def counts():
        """{CommitmentState value: how many}, as postulates.selectors.commitment_counts."""
        rows = ListedCommitment.objects.order_by().values("state").annotate(counted=Count("pk"))
        return {row["state"]: row["counted"] for row in rows}

    @staticmethod
    def keys(state=None):
        """A function (bottom, top) giving the ids of the answers from `bottom` to `top` of
        the list, or of its commitments in `state` (KeysFirstPaginator's `keys`)."""
        rows = ListedCommitment.objects.order_by("position")
        if state:
            rows = rows.filter(state=state)
        return lambda bottom, top: rows.values("answer_id")[bottom:top]


def current_commitment_order(at):
    """CommitmentOrder when the list is built for the generation in force at `at`, else
    None."""
    return CommitmentOrder() if current_snapshot(at) else None


def current_snapshot(at, **read_along):
    """{"generation", "listed_postulates"} of the snapshot when it was built for the
    generation in force at `at`, else None; with the values of the expressions
    `read_along`, read in the same query. One query when nothing was ever built (the
    generation is not read then), two at most otherwise."""
    snapshot = (
        OutcomeSnapshot.objects.filter(pk=SNAPSHOT_PK)
        .values("generation", "listed_postulates", **read_along)
        .first()
    )
    if not snapshot or not snapshot["generation"]:
        return None
    generation = current_generation()
    current = generation.is_current(at) and snapshot["generation"] == generation.token
    return snapshot if current else None


def rebuild():
    """Builds the facts for the current generation unless they are built already; True when
    it built them. Idempotent, so several workers may run it: each build replaces the facts
    and their generation in one transaction."""
    generation = current_generation()
    at = timezone.now()
    if not generation.is_current(at):
        return False  # ended meanwhile: the next round builds the next one
    answered, unanswered = outcome_facts(at)
    # One statement, so the answered and the unanswered postulates are read at one moment.
    facts = answered.union(unanswered, all=True)
    tallies = [
        fact_tallies(OutcomeFact.objects.all(), field)
        for field in sorted({dimension.field for dimension in DIMENSIONS.values()})
    ]
    with transaction.atomic():
        snapshot, _created = OutcomeSnapshot.objects.select_for_update().get_or_create(
            pk=SNAPSHOT_PK, defaults={"generation": "", "built_at": at}
        )
        # Locked, so a second worker waits here and then finds the facts built.
        if snapshot.generation == generation.token:
            return False
        replace_rows(OutcomeFact, FACT_COLUMNS, [facts])
        replace_rows(OutcomeTally, TALLY_COLUMNS, tallies)
        snapshot.listed_postulates = list_postulates()
        list_filtered_postulates(at)
        list_commitments()
        # Labelled with the generation read before the data, so the facts are never older
        # than their label: a save committed meanwhile starts a newer generation (once it
        # has committed), under which they are not read.
        snapshot.generation, snapshot.built_at = generation.token, at
        snapshot.save()
    if connection.vendor == "postgresql":
        # Fresh row counts for the planner: after the first build it took the facts for an
        # empty table (321 rows of an outcome's 18,428 at 100,000 postulates) and joined the
        # postulate list's "as in the statistics" filters by nested loops (0.3-0.5 s more).
        with connection.cursor() as cursor:
            for model in (OutcomeFact, FilteredListing):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return True


def replace_rows(model, columns, querysets):
    """Replaces every row of `model` by the rows `querysets` select (as `columns`). Raw SQL:
    deleting through the ORM would send a signal per row; inserting from a SELECT keeps
    100,000 rows out of Python."""
    delete_rows(model)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        for queryset in querysets:
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)


def delete_rows(model):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def list_postulates():
    """Replaces ListedPostulate by the public postulate list's order as the database sorts it
    now (the very query of the list's pages, so the order is theirs on either database); the
    number of postulates listed."""
    delete_rows(ListedPostulate)
    keys = public_postulates().values_list("pk", flat=True)
    return insert_in_batches(
        ListedPostulate,
        (
            ListedPostulate(position=position, postulate_id=key)
            for position, key in enumerate(keys.iterator(chunk_size=BATCH), start=1)
        ),
    )


def list_filtered_postulates(at):
    """Replaces FilteredListing by the kept list's postulates (ListedPostulate, built first)
    that each value of each of KEPT_FILTERS selects at `at`, ranked in the list's order: one
    statement per filter, grouped by the filter's key of each postulate (the filters' own
    definitions, postulates.filters), but a department's, by what belongs to it under any of
    its names (core.ownership), one statement per department."""
    # Imported here: the filters read this module's counted_postulates.
    from postulates.filters import PostulateFilter, kept_follow_up, raised_in_year

    delete_rows(FilteredListing)
    quote = connection.ops.quote_name
    filtered, listed = (quote(model._meta.db_table) for model in (FilteredListing, ListedPostulate))
    insert = f"INSERT INTO {filtered} (filter, {quote('key')}, {quote('rank')}, postulate_id)"
    # {filter: the (kept_id, kept_key) pairs it selects, each pair once}
    grouped = {
        name: Postulate.objects.order_by()
        .alias(chosen=key)
        .filter(chosen__isnull=False)
        .values(kept_id=F("pk"), kept_key=F("chosen"))
        for name, key in (
            ("rok", raised_in_year()),
            ("organizacja", F("organisation")),
            ("program", F("programme")),
        )
    }
    # An outcome in any public answer (filter_outcome); a postulate may have two. Joined to
    # the list's public postulates, an answer is public by its own state.
    grouped["rozstrzygniecie"] = (
        Position.objects.published_own(at)
        .order_by()
        .values(kept_id=F("postulate"), kept_key=F("outcome"))
        .distinct()
    )
    grouped["uwaga"] = kept_follow_up(at)
    grouped["historia"] = (
        Postulate.objects.order_by()
        .filter(with_history_in_other_years_condition())
        .values(kept_id=F("pk"), kept_key=Value(HISTORY_KEY))
    )
    with connection.cursor() as cursor:
        for name, chosen in grouped.items():
            sql, params = chosen.query.sql_with_params()
            cursor.execute(
                f"{insert} SELECT %s, chosen.kept_key, ROW_NUMBER() OVER (PARTITION BY "
                f"chosen.kept_key ORDER BY listed.position), listed.postulate_id "
                f"FROM {listed} listed JOIN ({sql}) chosen ON chosen.kept_id = listed.postulate_id",
                [name, *params],
            )
        departments = PostulateFilter.base_filters["wydzial"].get_queryset(None)
        for department in departments.order_by():
            selects = [
                subquery.query.sql_with_params()
                for subquery in owned_ids_by_path(Postulate, department.lineage_ids())
            ]
            cursor.execute(
                f"{insert} SELECT %s, %s, ROW_NUMBER() OVER (ORDER BY position), postulate_id "
                f"FROM {listed} WHERE postulate_id IN "
                f"({' UNION ALL '.join(sql for sql, _params in selects)})",
                ["wydzial", department.pk, *(p for _sql, params in selects for p in params)],
            )


def list_commitments():
    """Replaces ListedCommitment by the public list of commitments as the database sorts it
    now, with each one's state today."""
    delete_rows(ListedCommitment)
    rows = public_commitments().values_list("pk", "commitment_status")
    insert_in_batches(
        ListedCommitment,
        (
            ListedCommitment(position=position, answer_id=key, state=state)
            for position, (key, state) in enumerate(rows.iterator(chunk_size=BATCH), start=1)
        ),
    )


def insert_in_batches(model, rows):
    """Inserts `rows` (an iterator of unsaved `model` instances) BATCH at a time, so a list of
    100,000 is never held in memory at once; how many were inserted."""
    inserted = 0
    while batch := list(itertools.islice(rows, BATCH)):
        model.objects.bulk_create(batch)
        inserted += len(batch)
    return inserted
