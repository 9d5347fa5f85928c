from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Prefetch
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from postulates.models import (
    ANSWERS_OLDEST_FIRST,
    Outcome,
    Position,
    PositionRevision,
    Postulate,
    PostulateLink,
    commitment_overdue_condition,
    flag,
    history_in_other_years_condition,
)

# A postulate's place in time: its year, then its meeting's first day (undated ones last).
CHRONOLOGICAL = (
    Coalesce("meeting__year", "round__year"),
    F("meeting__starts_on").asc(nulls_last=True),
    "meeting",
    "round",
    "number",
    "pk",
)


def public_positions(preview_for=None):
    """Answers the reader may see, oldest first (the last is the current one, as
    Postulate.current_position has it), with what to follow up on them (with_follow_up)."""
    return (
        Position.objects.for_preview(preview_for)
        .select_related("outcome", "department", "document__meeting__year", "document__round__year")
        .with_follow_up()
        .order_by(*ANSWERS_OLDEST_FIRST)
    )


def with_history_marker(postulates):
    """`postulates`, each with `has_history`: linked to a public postulate of another year
    (postulates/_history_marker.html)."""
    return postulates.annotate(has_history=flag(history_in_other_years_condition()))


# The public postulate list's order: by meeting (its year, then title), by round, by number.
# Two meetings (or rounds) of one year may share a title: their ids keep each one's
# postulates together, and the pk ends the order, so every row has one place and a page never
# repeats or skips a row of a tie (an unstable sort may order ties differently per page).
LIST_ORDER = ("meeting", "meeting_id", "round", "round_id", "number", "pk")


def public_postulates(preview_for=None):
    return (
        Postulate.objects.for_preview(preview_for)
        .select_related(
            "organisation", "area", "responsible_department", "programme", "meeting", "round"
        )
        .prefetch_related(Prefetch("positions", queryset=public_positions(preview_for)))
        .order_by(*LIST_ORDER)
    )


def listed_postulates(preview_for=None):
    """public_postulates as pages list them (postulates/_postulate_table.html): marked when
    they have a history in other years. Exports leave the marker out: it costs a lookup per
    row and is not a field of theirs."""
    return with_history_marker(public_postulates(preview_for))


def thread_ids_sql():
    """SQL (one parameter: a postulate's id) selecting the ids of every postulate connected
    to it by links, in either direction, however long the chain: one recursive query, so
    nothing has to be kept in step when links are added, deleted or restored from history.
    UNION (not UNION ALL) stops at postulates already reached, so cycles end too."""
    links = connection.ops.quote_name(PostulateLink._meta.db_table)
    return f"""
        WITH RECURSIVE thread(id) AS (
            SELECT CAST(%s AS BIGINT)
            UNION
            SELECT CAST(
                CASE WHEN link.from_postulate_id = thread.id
                THEN link.to_postulate_id ELSE link.from_postulate_id END AS BIGINT
            )
            FROM {links} AS link
            JOIN thread ON link.from_postulate_id = thread.id OR link.to_postulate_id = thread.id
        )
        SELECT id FROM thread
    """


def earlier_versions():
    """What a public position shows of its earlier public versions (`earlier_versions`,
    oldest first): the postulate's page and the API's positions."""
    return Prefetch(
        "revisions",
        queryset=PositionRevision.objects.select_related("outcome"),
        to_attr="earlier_versions",
    )


def postulate_thread(postulate, preview_for=None):
    """Every postulate linked to `postulate` (itself included) that the reader may see,
    oldest first, with their answers (and the earlier versions of those) and their links.

    A constant four queries, whatever the length of the chain."""
    positions = public_positions(preview_for).prefetch_related(earlier_versions())
    return list(
        Postulate.objects.for_preview(preview_for)
        .filter(pk__in=RawSQL(thread_ids_sql(), [postulate.pk]))
        .select_related("meeting", "round", "organisation")
        .prefetch_related(
            Prefetch("positions", queryset=positions),
            Prefetch("outgoing_links", queryset=PostulateLink.objects.order_by("pk")),
        )
        .order_by(*CHRONOLOGICAL)
    )


def organisation_postulates(organisation):
    """An organisation's published postulates, newest year first, each with its year
    (`raised_in`) and its published answers (`public_answers`, oldest first, so the last is the
    current one)."""
    positions = public_positions()
    return with_history_marker(
        Postulate.objects.published()
        .filter(organisation=organisation)
        .annotate(raised_in=Coalesce("meeting__year", "round__year"))
        .select_related("meeting", "round")
        .prefetch_related(Prefetch("positions", queryset=positions, to_attr="public_answers"))
        .order_by("-raised_in", *CHRONOLOGICAL[1:])
    )


@dataclass
class OutcomeSummary:
    """How many postulates have each outcome category as their current answer."""

    counts: list  # (category label, count), in the order of Outcome.Category, non-zero only
    unanswered: int
    overdue: int  # current answers whose commitment is overdue
    total: int


def outcome_summary(postulates, total=None):
    """`postulates` by the outcome of their current answer (Position.objects.current);
    `total`, their number, when the caller has counted them already (a paginator).

    For one organisation's postulates (hundreds at most): their ids are read first, so the
    database looks up only their answers by index. Given as a subquery, PostgreSQL worked out
    the current answer of every postulate in the archive before keeping these (0.4 s against
    0.1 s for the busiest organisation at 100,000 postulates)."""
    ids = list(postulates.order_by().values_list("pk", flat=True))
    rows = {
        row["outcome__category"]: row
        for row in Position.objects.filter(postulate__in=ids)
        .current()
        .order_by()
        .values("outcome__category")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=commitment_overdue_condition()),
        )
    }
    total = len(ids) if total is None else total
    answered = sum(row["total"] for row in rows.values())
    return OutcomeSummary(
        counts=[
            (category.label, rows[category.value]["total"])
            for category in Outcome.Category
            if category.value in rows
        ],
        unanswered=total - answered,
        overdue=sum(row["overdue"] for row in rows.values()),
        total=total,
    )


def overdue_commitment_count(positions):
    """How many of the current answers among `positions` have an overdue commitment. One
    query; the candidates are narrowed first, so only they are checked for being current."""
    return (
        Position.objects.filter(commitment_overdue_condition())
        .current()
        .filter(pk__in=positions.values("pk"))
        .count()
    )


def public_commitments():
    """The commitments of the city's current answers (Position.objects.current), each with
    its postulate: the public list of commitments."""
    return (
        Position.objects.current()
        .with_commitment()
        .select_related(
            "department", "postulate__meeting", "postulate__round", "postulate__organisation"
        )
    )


def commitment_counts(commitments):
    """{CommitmentState value: how many} of `commitments` (public_commitments, narrowed),
    in one grouped query."""
    rows = commitments.order_by().values("commitment_status").annotate(counted=Count("pk"))
    return {row["commitment_status"]: row["counted"] for row in rows}


@dataclass
class TimelineEntry:
    postulate: Postulate
    # (link, the postulate it points to) for links to postulates the reader may see
    links: list = field(default_factory=list)


def timeline(thread):
    """The entries of a timeline from postulate_thread(): a link is named only when the
    reader may see the postulate it points to."""
    visible = {postulate.pk: postulate for postulate in thread}
    return [
        TimelineEntry(
            postulate,
            [
                (link, visible[link.to_postulate_id])
                for link in postulate.outgoing_links.all()
                if link.to_postulate_id in visible
            ],
        )
        for postulate in thread
    ]
