"""What the statistics count, as SQL: two grouped queries per page.

Answered postulates are grouped by (the group of the chosen dimension, the outcome category of
their current answer, days to that answer), unanswered postulates by group. The rows are few
whatever the archive's size (groups x categories x distinct day counts), so stats.tallies can
work out medians exactly from that histogram in Python, the same way on SQLite and PostgreSQL.
"""

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.publishing import public_related, published_condition, published_own_condition
from departments.models import Department
from meetings.models import Meeting, MeetingDepartment
from postulates.models import Position, Postulate
from programmes.models import Programme
from stats.models import OutcomeTally
from stats.tallies import UNANSWERED


def unanswered_postulates(at):
    answers = Position.objects.filter(published_own_condition(at=at), postulate=OuterRef("pk"))
    return Postulate.objects.published(at).filter(~Exists(answers))


def single_meeting_department(at, prefix):
    """The one public department of the postulate's meeting; NULL when it had several."""
    return (
        MeetingDepartment.objects.filter(
            published_condition(Department, "department__", at),
            meeting=OuterRef(f"{prefix}meeting"),
        )
        .order_by()
        .values("meeting")
        .annotate(departments=Count("pk"), only=Min("department"))
        .filter(departments=1)
        .values("only")
    )


def attributed_department(at, prefix, answered):
    """The department a postulate is counted under: the responsible department recorded with
    the postulate; else the one that gave the current answer; else its meeting's department,
    when the meeting had one; else, for a postulate of a round, the round's coordinator.
    Only public departments qualify, so a draft department's id never shapes the numbers."""
    candidates = [public_related(Department, f"{prefix}responsible_department", at=at)]
    if answered:  # the query is over current answers
        candidates.append(public_related(Department, "department", at=at))
    candidates.append(
        Case(
            When(
                **{f"{prefix}meeting__isnull": False},
                then=Subquery(single_meeting_department(at, prefix)),
            ),
            default=public_related(Department, f"{prefix}round__coordinator", at=at),
        )
    )
    return Coalesce(*candidates, output_field=IntegerField())


def raised_on(at, prefix):
    """When a postulate was raised: its meeting's first day; for a postulate of a round, the
    first day of the round's last public meeting (the round ends then)."""
    last_meeting = (
        Meeting.objects.published(at)
        .filter(round=OuterRef(f"{prefix}round"))
        .order_by()
        .values("round")
        .annotate(last=Max("starts_on"))
        .values("last")
    )
    return Case(
        When(**{f"{prefix}meeting__isnull": False}, then=F(f"{prefix}meeting__starts_on")),
        default=Subquery(last_meeting),
        output_field=DateField(),
    )


def dimension_expression(name, at, prefix="", answered=False):
    """What the dimension (or filter) `name` groups a postulate by, reached through `prefix`
    ("postulate__" from its answer); `answered` when the query is over current answers."""
    if name == "year":
        return Coalesce(
            f"{prefix}meeting__year", f"{prefix}round__year", output_field=IntegerField()
        )
    if name == "department":
        return attributed_department(at, prefix, answered)
    if name == "area":
        return F(f"{prefix}area")
    if name == "programme":
        # The programme the postulate concerns; else the one its meeting or round prepared.
        return Coalesce(
            public_related(Programme, f"{prefix}programme", at=at),
            public_related(Programme, f"{prefix}meeting__programme", at=at),
            public_related(Programme, f"{prefix}round__programme", at=at),
            output_field=IntegerField(),
        )
    raise ValueError(name)


def narrowed(queryset, filters, at, prefix="", answered=False):
    for name, value in filters.items():
        alias = f"stats_filter_{name}"
        queryset = queryset.alias(**{alias: dimension_expression(name, at, prefix, answered)})
        lookup = "in" if isinstance(value, list | tuple) else "exact"
        queryset = queryset.filter(**{f"{alias}__{lookup}": value})
    return queryset


def outcome_rows(dimension_field, filters, at, facts=None):
    """(group key, category, days to the answer or None, postulates) for published postulates,
    narrowed by `filters` ({dimension field: a value or a list of values}): read from `facts`,
    those of the current content generation (stats.snapshot.current_facts) when they are
    built, else worked out from the archive. Two grouped queries either way: answered postulates (by their
    current answer) and unanswered ones, whose days are those waited until today (`at`)."""
    if facts is None:
        answered, unanswered = live_grouped_rows(dimension_field, filters, at)
    else:
        answered, unanswered = fact_grouped_rows(facts, dimension_field, filters)
    for row in answered:
        wait = row["wait"]
        yield (
            row["key"],
            row["category"],
            wait.days if wait is not None else None,
            row["postulates"],
        )
    # Unanswered postulates by the day they were raised: they wait from then until today.
    today = timezone.localdate(at)
    for row in unanswered:
        raised = row["raised"]
        days = (today - raised).days if raised is not None else None
        yield row["key"], UNANSWERED, days, row["postulates"]


def waited(answered_on, raised):
    return ExpressionWrapper(answered_on - raised, output_field=DurationField())


def live_grouped_rows(dimension_field, filters, at):
    """outcome_rows' two grouped querysets, over the archive itself."""
    prefix = "postulate__"
    answered = (
        narrowed(Position.objects.current(at), filters, at, prefix, answered=True)
        .order_by()
        .values(
            key=dimension_expression(dimension_field, at, prefix, answered=True),
            category=F("outcome__category"),
            wait=waited(F("answered_on"), raised_on(at, prefix)),
        )
        .annotate(postulates=Count("pk"))
    )
    unanswered = (
        narrowed(unanswered_postulates(at), filters, at)
        .order_by()
        .values(key=dimension_expression(dimension_field, at), raised=raised_on(at, ""))
        .annotate(postulates=Count("pk"))
    )
    return answered, unanswered


def fact_grouped_rows(facts, dimension_field, filters):
    """outcome_rows' two grouped querysets, over `facts` (OutcomeFact rows, whose columns are
    the dimensions' fields, each worked out by dimension_expression when they were built);
    without filters, over their tallies by the dimension (OutcomeTally), grouped already."""
    if not filters:
        tallies = OutcomeTally.objects.filter(dimension=dimension_field).order_by()
        answered = tallies.exclude(category=UNANSWERED).values(
            "key", "category", "wait", "postulates"
        )
        unanswered = tallies.filter(category=UNANSWERED).values(
            "key", "postulates", raised=F("raised_on")
        )
        return answered, unanswered
    for name, value in filters.items():
        lookup = "in" if isinstance(value, list | tuple) else "exact"
        facts = facts.filter(**{f"{name}__{lookup}": value})
    facts = facts.order_by()
    answered = (
        facts.exclude(category=UNANSWERED)
        .values("category", key=F(dimension_field), wait=waited(F("answered_on"), F("raised_on")))
        .annotate(postulates=Count("pk"))
    )
    unanswered = (
        facts.filter(category=UNANSWERED)
        .values(key=F(dimension_field), raised=F("raised_on"))
        .annotate(postulates=Count("pk"))
    )
    return answered, unanswered


# The columns of stats.models.OutcomeTally, in the order fact_tallies() selects them.
TALLY_COLUMNS = ("dimension", "key", "category", "wait", "raised_on", "postulates")


def fact_tallies(facts, dimension_field):
    """`facts` grouped by `dimension_field` as rows with TALLY_COLUMNS: the answered ones by
    their wait, the unanswered ones by the day they were raised."""
    unanswered = Q(category=UNANSWERED)
    return (
        facts.order_by()
        .values(
            tally_dimension=Value(dimension_field, output_field=CharField()),
            tally_key=F(dimension_field),
            tally_category=F("category"),
            tally_wait=Case(
                When(unanswered, then=None),
                default=waited(F("answered_on"), F("raised_on")),
                output_field=DurationField(),
            ),
            tally_raised_on=Case(When(unanswered, then=F("raised_on")), default=None),
        )
        .annotate(tally_postulates=Count("pk"))
    )


# The columns of stats.models.OutcomeFact, in the order outcome_facts() selects them.
FACT_COLUMNS = (
    "postulate_id",
    "year",
    "department",
    "area",
    "programme",
    "category",
    "answered_on",
    "raised_on",
)


def outcome_facts(at):
    """Two querysets of rows with FACT_COLUMNS, one per published postulate at `at`: the
    answered ones by their current answer, the unanswered ones. What outcome_rows groups,
    before grouping; stats.snapshot stores them."""
    prefix = "postulate__"
    dimensions = ("year", "department", "area", "programme")
    answered = (
        Position.objects.current(at)
        .order_by()
        .values(
            fact_postulate_id=F("postulate"),
            **{
                f"fact_{name}": dimension_expression(name, at, prefix, answered=True)
                for name in dimensions
            },
            fact_category=F("outcome__category"),
            fact_answered_on=F("answered_on"),
            fact_raised_on=raised_on(at, prefix),
        )
    )
    unanswered = (
        unanswered_postulates(at)
        .order_by()
        .values(
            fact_postulate_id=F("pk"),
            **{f"fact_{name}": dimension_expression(name, at) for name in dimensions},
            fact_category=Value(UNANSWERED, output_field=CharField()),
            fact_answered_on=Value(None, output_field=DateField()),
            fact_raised_on=raised_on(at, ""),
        )
    )
    return answered, unanswered


def counted_under(departments, at):
    """Querysets of the ids of the published postulates the statistics count under one of
    `departments` (a group: a department with its former names): answered ones, by their
    current answer, and unanswered ones. The postulate list's "responsible department" filter
    reads these, so its count is the statistics' count."""
    filters = {"department": list(departments)}
    answered = narrowed(
        Position.objects.current(at), filters, at, "postulate__", answered=True
    ).values("postulate")
    unanswered = narrowed(unanswered_postulates(at), filters, at).values("pk")
    return answered, unanswered
