"""Outcome statistics of published postulates, computed from the archive by aggregate queries
(stats.expressions) or read from its facts kept for the current content generation
(stats.snapshot), tallied per group (stats.tallies) under the groups' names (stats.dimensions):
the entry point of the pages and their CSV files."""

from dataclasses import dataclass, field

from stats.dimensions import Dimension, Group, named_groups
from stats.expressions import outcome_rows
from stats.snapshot import current_facts
from stats.tallies import Tally


@dataclass
class Breakdown:
    dimension: Dimension
    groups: list[Group]
    total: Tally
    list_url: str = ""  # the postulate list counting the total (see Group.list_url)
    # (share, the list of that outcome category's postulates or "") for each of tally.shares
    linked_shares: list = field(default_factory=list)


def breakdown(dimension, vocabularies, filters=None):
    """Published postulates of each group of `dimension` (those with none left out, the
    unassigned last), narrowed by `filters` ({dimension field: value})."""
    groups = named_groups(dimension, vocabularies)
    unassigned = Group(None, str(dimension.unassigned))
    total = Tally()
    at = vocabularies.at
    for key, category, days, postulates in outcome_rows(
        dimension.field, filters or {}, at, current_facts(at)
    ):
        if dimension.field == "department" and key is not None:
            key = vocabularies.department_group_of.get(key)
        group = groups.get(key, unassigned)
        group.tally.add(category, days, postulates)
        total.add(category, days, postulates)
    shown = [group for group in [*groups.values(), unassigned] if group.tally.total]
    return Breakdown(dimension, shown, total)
