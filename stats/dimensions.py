"""What the statistics group postulates by, and what the groups are called: the dimensions
(years, departments, areas, programmes) with their headings and addresses, and the names of
their groups from a handful of small lookups (`Vocabularies`)."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Department, DepartmentChange
from meetings.models import ArchiveYear, year_url
from postulates.models import PublicTaskArea
from programmes.models import Programme
from stats.tallies import Tally


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


@dataclass(frozen=True)
class Dimension:
    slug: str  # in the page's and the file's address
    field: str  # a name stats.expressions.dimension_expression() knows
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
            _("Wydział odpowiedzialny"),
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


@dataclass
class Group:
    key: object
    label: str
    url: str = ""  # the page of the year, department, area or programme
    note: str = ""  # e.g. the former names counted with a department
    statistics_url: str = ""  # this group's own statistics, year by year
    list_url: str = ""  # the postulate list counting the group's postulates as they are here
    # (share, the list of that outcome category's postulates or "") for each of tally.shares
    linked_shares: list = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)


def list_filters(dimension, key, vocabularies):
    """The postulate list's parameters selecting the group `key` of `dimension` as the
    statistics count it (the programme as `dotyczy_programu`: the statistics count a postulate
    under its meeting's or round's programme too, the list's `program` only under its own)."""
    if dimension.field == "year":
        return {"rok": key}
    if dimension.field == "department":
        return {"odpowiedzialny": vocabularies.departments[key].slug}
    if dimension.field == "area":
        return {"sfera": next(area.slug for area in vocabularies.areas if area.pk == key)}
    if dimension.field == "programme":
        programme = next(p for p in vocabularies.programmes if p.pk == key)
        return {"dotyczy_programu": programme.slug}
    return None


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
        return {
            a.pk: Group(a.pk, a.display_name, url=a.get_absolute_url()) for a in vocabularies.areas
        }
    return {
        p.pk: Group(p.pk, p.short_name, url=p.get_absolute_url()) for p in vocabularies.programmes
    }
