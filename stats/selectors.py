"""Outcome statistics of published postulates, computed from the archive by aggregate queries.

Every number is counted by the database in two grouped queries per page: answered postulates
by (the group of the chosen dimension, the outcome category of their current answer, days to
that answer), and unanswered postulates by group. The rows are few whatever the archive's size
(groups x categories x distinct day counts), so medians come exactly from that histogram in
Python, the same way on SQLite and PostgreSQL. Names of groups come from a handful of small
lookups (`Vocabularies`).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import (
    Case,
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
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.publishing import public_related, published_condition, published_own_condition
from departments.models import Department, DepartmentChange
from meetings.models import ArchiveYear, Meeting, MeetingDepartment, year_url
from postulates.models import Outcome, Position, Postulate, PublicTaskArea
from programmes.models import Programme

# A postulate without a published answer: counted beside the editors' outcome categories.
UNANSWERED = "bez-odpowiedzi"

# Column headings name postulates ("uwzględnione"), the vocabulary names one answer.
CATEGORY_LABELS = {
    Outcome.Category.ACCEPTED: _("uwzględnione"),
    Outcome.Category.PARTLY_ACCEPTED: _("częściowo uwzględnione"),
    Outcome.Category.REJECTED: _("nieuwzględnione"),
    Outcome.Category.PENDING: _("w toku"),
    Outcome.Category.NEUTRAL: _("wyjaśnienie lub poza zakresem"),
    UNANSWERED: _("bez odpowiedzi"),
}


@dataclass(frozen=True)
class Category:
    value: str
    label: str


def outcome_categories():
    """The categories in the order of charts, tables and CSV columns."""
    values = [*Outcome.Category.values, UNANSWERED]
    return [
        Category(value, CATEGORY_LABELS.get(value) or Outcome.Category(value).label)
        for value in values
    ]


# --- What is counted ----------------------------------------------------------------------


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


def outcome_rows(dimension_field, filters, at):
    """(group key, category, days to the answer or None, postulates) for published postulates,
    narrowed by `filters` ({dimension field: a value or a list of values}). Two grouped
    queries: answered postulates (by their current answer) and unanswered ones."""
    prefix = "postulate__"
    answered = (
        narrowed(Position.objects.current(at), filters, at, prefix, answered=True)
        .order_by()
        .values(
            key=dimension_expression(dimension_field, at, prefix, answered=True),
            category=F("outcome__category"),
            wait=ExpressionWrapper(
                F("answered_on") - raised_on(at, prefix), output_field=DurationField()
            ),
        )
        .annotate(postulates=Count("pk"))
    )
    for row in answered:
        wait = row["wait"]
        yield (
            row["key"],
            row["category"],
            wait.days if wait is not None else None,
            row["postulates"],
        )
    unanswered = (
        narrowed(unanswered_postulates(at), filters, at)
        .order_by()
        .values(key=dimension_expression(dimension_field, at))
        .annotate(postulates=Count("pk"))
    )
    for row in unanswered:
        yield row["key"], UNANSWERED, None, row["postulates"]


# --- Tallies ------------------------------------------------------------------------------


def rounded(value, places=1):
    """`value` rounded half up (as people round) for the page and the CSV alike: a whole
    number without decimals, else a Decimal with `places` decimals; None stays None."""
    if value is None:
        return None
    number = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(number) if number == number.to_integral_value() else number


@dataclass(frozen=True)
class Share:
    category: Category
    count: int
    percent: float  # of the group's postulates
    offset: float  # where the category's segment starts in a 100% bar

    @property
    def rounded_percent(self):
        """One decimal place, always shown ("40.0"), so a table's column lines up."""
        return Decimal(repr(self.percent)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """Postulates counted by outcome category, and a histogram of days to the answer."""

    counts: Counter = field(default_factory=Counter)
    waits: Counter = field(default_factory=Counter)

    def add(self, category, days, postulates):
        self.counts[category] += postulates
        # A position dated before its meeting is an input error, not a negative wait.
        if category != UNANSWERED and days is not None and days >= 0:
            self.waits[days] += postulates

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def answered(self):
        return self.total - self.counts[UNANSWERED]

    @property
    def timed(self):
        """Answered postulates whose wait is known (both dates recorded)."""
        return sum(self.waits.values())

    def shares(self):
        total, offset, shares = self.total, 0.0, []
        for category in outcome_categories():
            count = self.counts[category.value]
            percent = 100 * count / total if total else 0.0
            shares.append(Share(category, count, percent, offset))
            offset += percent
        return shares

    @property
    def median_days(self):
        """Half the timed answers came within this many days (a half for an even count)."""
        timed = self.timed
        if not timed:
            return None
        middle = [self._nth_days(index) for index in {(timed - 1) // 2, timed // 2}]
        return rounded(sum(middle) / len(middle))

    @property
    def mean_days(self):
        timed = self.timed
        return rounded(sum(d * n for d, n in self.waits.items()) / timed) if timed else None

    @property
    def max_days(self):
        return max(self.waits) if self.waits else None

    def _nth_days(self, index):
        seen = 0
        for days in sorted(self.waits):
            seen += self.waits[days]
            if index < seen:
                return days
        raise IndexError(index)


@dataclass
class Group:
    key: object
    label: str
    url: str = ""  # the page of the year, department, area or programme
    note: str = ""  # e.g. the former names counted with a department
    statistics_url: str = ""  # this group's own statistics, year by year
    tally: Tally = field(default_factory=Tally)


# --- Names of groups ----------------------------------------------------------------------


def department_groups(departments, changes):
    """{department id: id of the department naming its group}. A department is counted with
    its former and later names and with the departments whose tasks it took over, as its page
    tells its history (Department.lineage()); the group is named by its latest name."""
    parent = {}

    def root(pk):
        parent.setdefault(pk, pk)
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for predecessor, successor in changes:
        parent[root(predecessor)] = root(successor)
    predecessors = {predecessor for predecessor, _successor in changes}
    members = defaultdict(list)
    for department in departments.values():
        members[root(department.pk)].append(department)

    def recency(department):
        return (
            department.pk not in predecessors,
            department.name_used_until is None,
            department.name_used_from or 0,
            department.name_used_until or 0,
        )

    groups = {}
    for names in members.values():
        head = max(names, key=recency)
        groups.update((department.pk, head.pk) for department in names)
    return groups


class Vocabularies:
    """The public years, departments, areas and programmes: the filters' choices and the
    groups' names. One small query each, loaded at most once per request."""

    def __init__(self, at):
        self.at = at

    @cached_property
    def years(self):
        return list(
            ArchiveYear.objects.published(self.at).order_by("-year").values_list("year", flat=True)
        )

    @cached_property
    def departments(self):
        return {d.pk: d for d in Department.objects.published(self.at).order_by("name")}

    @cached_property
    def department_group_of(self):
        changes = list(
            DepartmentChange.objects.public(self.at).values_list("predecessor", "successor")
        )
        return department_groups(self.departments, changes)

    @cached_property
    def department_heads(self):
        """The departments naming a group, in the order of names."""
        heads = set(self.department_group_of.values())
        return [d for pk, d in self.departments.items() if pk in heads]

    @cached_property
    def department_group_members(self):
        """{head id: ids of the departments counted with it}, in one pass over the groups."""
        members = {}
        for pk, head in self.department_group_of.items():
            members.setdefault(head, []).append(pk)
        return members

    def department_group(self, department):
        """Ids of the public departments counted together with `department`."""
        return self.department_group_members[self.department_group_of[department.pk]]

    def former_names(self, head):
        names = [self.departments[pk] for pk in self.department_group(head) if pk != head.pk]
        return sorted(names, key=lambda d: (d.name_used_from or 0, d.name))

    @cached_property
    def areas(self):
        return list(PublicTaskArea.objects.all())

    @cached_property
    def programmes(self):
        return list(Programme.objects.published(self.at))


# --- Dimensions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    slug: str  # in the page's and the file's address
    field: str  # a key of dimension_expressions()
    filter_name: str  # the query parameter filtering by this dimension (not offered on its page)
    heading: str  # the table's first column
    title: str
    plural: str  # "lata", for the chart's description
    unassigned: str  # the group of postulates without a value
    by: str  # "według lat", for the chart's and the tables' titles


DIMENSIONS = {
    dimension.slug: dimension
    for dimension in (
        Dimension(
            "lata",
            "year",
            "rok",
            _("Rok"),
            _("Statystyki postulatów i odpowiedzi Miasta"),
            _("lata"),
            "",
            _("według lat"),
        ),
        Dimension(
            "wydzialy",
            "department",
            "wydzial",
            _("Wydział lub jednostka"),
            _("Statystyki postulatów według wydziałów"),
            _("wydziały i jednostki"),
            _("nie przypisano wydziału"),
            _("według wydziałów"),
        ),
        Dimension(
            "sfery",
            "area",
            "sfera",
            _("Sfera zadań publicznych"),
            _("Statystyki postulatów według sfer zadań publicznych"),
            _("sfery zadań publicznych"),
            _("nie przypisano sfery"),
            _("według sfer zadań publicznych"),
        ),
        Dimension(
            "programy",
            "programme",
            "program",
            _("Program współpracy"),
            _("Statystyki postulatów według programów współpracy"),
            _("programy współpracy"),
            _("nie przypisano programu"),
            _("według programów współpracy"),
        ),
    )
}
OVERVIEW = DIMENSIONS["lata"]


def statistics_url(dimension, **filters):
    """The page of `dimension` with `filters` ({parameter: value}) in its query string."""
    if dimension == OVERVIEW:
        url = reverse("stats:overview")
    else:
        url = reverse("stats:breakdown", kwargs={"dimension": dimension.slug})
    return f"{url}?{urlencode(filters)}" if filters else url


def named_groups(dimension, vocabularies):
    """{key: Group} of every public group the dimension can show, in display order."""
    if dimension.field == "year":
        return {year: Group(year, str(year), url=year_url(year)) for year in vocabularies.years}
    if dimension.field == "department":
        groups = {}
        for head in vocabularies.department_heads:
            former = vocabularies.former_names(head)
            groups[head.pk] = Group(
                head.pk,
                head.name,
                url=head.get_absolute_url(),
                note="; ".join(d.name for d in former),
                statistics_url=statistics_url(OVERVIEW, wydzial=head.slug),
            )
        return groups
    if dimension.field == "area":
        return {a.pk: Group(a.pk, a.name, url=a.get_absolute_url()) for a in vocabularies.areas}
    return {
        p.pk: Group(p.pk, p.short_name, url=p.get_absolute_url()) for p in vocabularies.programmes
    }


@dataclass
class Breakdown:
    dimension: Dimension
    groups: list[Group]
    total: Tally


def breakdown(dimension, vocabularies, filters=None):
    """Published postulates of each group of `dimension` (those with none left out, the
    unassigned last), narrowed by `filters` ({dimension field: value})."""
    groups = named_groups(dimension, vocabularies)
    unassigned = Group(None, str(dimension.unassigned))
    total = Tally()
    for key, category, days, postulates in outcome_rows(
        dimension.field, filters or {}, vocabularies.at
    ):
        if dimension.field == "department" and key is not None:
            key = vocabularies.department_group_of.get(key)
        group = groups.get(key, unassigned)
        group.tally.add(category, days, postulates)
        total.add(category, days, postulates)
    shown = [group for group in [*groups.values(), unassigned] if group.tally.total]
    return Breakdown(dimension, shown, total)
