"""Geometry of the server-rendered charts: horizontal bars of outcome shares, one per group.

Each bar is a row: its label is page text, so it wraps to the width it has, and its bar a small
SVG whose segments are placed in percent of the width, so bars follow the page's width. A
segment wide enough says its share in figures; an axis under the bars marks 0-100%. Each
category has a colour and a pattern; the legend names them in words, and a table beside the
chart gives the same numbers.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.templatetags.archive import GroupedCount
from stats.tallies import outcome_categories, rounded

BAR_HEIGHT = 24
# The baseline of a value written on its segment, from the bar's top.
VALUE_BASELINE = 17
# Narrower segments leave their share to the table: the figures would not fit at 320 px.
MIN_LABELLED_PERCENT = 12


@dataclass(frozen=True)
class Segment:
    category: str
    x: str  # percent of the chart's width, as SVG attributes take it
    width: str
    middle: str  # where the written share is centred
    value: str  # the share in figures ("40%"), empty when the segment is too narrow
    ink: str  # the figures' colour, and their outline's (legible over the pattern)
    halo: str


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Tick:
    x: str
    label: str
    anchor: str  # text-anchor: the end ticks keep their figures inside the chart


TICKS = tuple(
    Tick(f"{percent}%", f"{percent}%", anchor)
    for percent, anchor in (
        (0, "start"),
        (25, "middle"),
        (50, "middle"),
        (75, "middle"),
        (100, "end"),
    )
)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    bar_height: int = BAR_HEIGHT
    value_baseline: int = VALUE_BASELINE
    ticks: tuple[Tick, ...] = TICKS


def postulate_count(count):
    return ngettext("%(counter)s postulat", "%(counter)s postulatów", count) % {
        "counter": GroupedCount(count)
    }


def shares_in_words(tally):
    return ", ".join(
        f"{share.category.label} {number_format(share.rounded_percent)}%"
        for share in tally.shares()
    )


def segment(share):
    value = ""
    if share.percent >= MIN_LABELLED_PERCENT:
        value = f"{rounded(share.percent, 0)}%"
    fill = fill_of(share.category.value)
    return Segment(
        share.category.value,
        f"{share.offset:.3f}%",
        f"{share.percent:.3f}%",
        f"{share.offset + share.percent / 2:.3f}%",
        value,
        fill.ink,
        fill.colour,
    )


def outcome_chart(chart_id, breakdown, subject):
    """The chart of outcome shares; `subject` says what its bars are ("według lat")."""
    title = _("Rozstrzygnięcia postulatów %(subject)s") % {"subject": subject}
    bars = tuple(
        Bar(
            f"{group.label}: {postulate_count(group.tally.total)}",
            tuple(segment(share) for share in group.tally.shares() if share.count),
        )
        for group in breakdown.groups
    )
    order = ", ".join(str(category.label) for category in outcome_categories())
    description = _(
        "Poziome paski, po jednym dla każdej pozycji (%(dimension)s). Długość odcinka to udział "
        "postulatów danej kategorii; kolejność odcinków: %(order)s. Łącznie "
        "(%(total)s): %(shares)s. Te same liczby podaje tabela pod wykresem."
    ) % {
        "dimension": breakdown.dimension.plural,
        "order": order,
        "total": postulate_count(breakdown.total.total),
        "shares": shares_in_words(breakdown.total),
    }
    return Chart(chart_id, title, description, bars)


@dataclass(frozen=True)
class Fill:
    """A category's colour and pattern: the pattern tells categories apart without colour.
    Every colour has at least 4.5:1 against white (the page and the gaps between segments)."""

    category: str
    colour: str
    ink: str = "#ffffff"  # the pattern's lines and dots
    lines: tuple[tuple[int, int, int, int], ...] = ()  # (x1, y1, x2, y2) in an 8 x 8 tile
    dot: bool = False


RISING = ((0, 8, 8, 0), (-2, 2, 2, -2), (6, 10, 10, 6))
FALLING = ((0, 0, 8, 8), (-2, 6, 2, 10), (6, -2, 10, 2))

FILLS = {
    fill.category: fill
    for fill in (
        Fill("uwzgledniony", "#1d6b35"),
        Fill("czesciowo", "#7a5200", lines=RISING),
        Fill("nieuwzgledniony", "#a32020", dot=True),
        Fill("w-toku", "#00467f", lines=((0, 4, 8, 4),)),
        Fill("informacja", "#5a4a8a", lines=((4, 0, 4, 8),)),
        Fill("bez-odpowiedzi", "#ffffff", ink="#4a5260", lines=FALLING),
    )
}


def fill_of(category):
    # A category added to the vocabulary later still gets a (plain grey) fill.
    return FILLS.get(category, Fill(category, "#4a5260"))


def legend():
    """(category, fill) in the chart's order."""
    return [(category, fill_of(category.value)) for category in outcome_categories()]
