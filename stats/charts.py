"""Geometry of the server-rendered SVG charts: horizontal bars of outcome shares, one per group.

The SVG has no viewBox: bar segments are placed in percent of the chart's width, so the bars
follow the page's width while the labels keep the page's font size and are wrapped here (SVG
text does not wrap) to fit a 320 px screen. Each category has a colour and a pattern; the
legend names them in words, and a table beside the chart gives the same numbers.
"""

import textwrap
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stats.tallies import outcome_categories

# Characters of a label line: fits the narrowest screen (320 px) at the page's font size.
LABEL_WIDTH = 34
LINE_HEIGHT = 20
BAR_HEIGHT = 22
GAP_AFTER_BAR = 16
# The baseline of a text line sits this far below the line's top.
BASELINE = 15


@dataclass(frozen=True)
class Segment:
    category: str
    x: str  # percent of the chart's width, as SVG attributes take it
    width: str


@dataclass(frozen=True)
class Bar:
    label_lines: tuple[tuple[str, int], ...]  # (text, baseline y)
    y: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    height: int
    bars: tuple[Bar, ...]
    bar_height: int = BAR_HEIGHT


def postulate_count(count):
    return ngettext("%(counter)s postulat", "%(counter)s postulatów", count) % {"counter": count}


def shares_in_words(tally):
    return ", ".join(
        f"{share.category.label} {number_format(share.rounded_percent)}%"
        for share in tally.shares()
    )


def outcome_chart(chart_id, breakdown, subject):
    """The chart of outcome shares; `subject` says what its bars are ("według lat")."""
    title = _("Rozstrzygnięcia postulatów %(subject)s") % {"subject": subject}
    bars, y = [], 0
    for group in breakdown.groups:
        label = f"{group.label}: {postulate_count(group.tally.total)}"
        lines = textwrap.wrap(label, LABEL_WIDTH, break_long_words=True) or [label]
        label_lines = []
        for line in lines:
            label_lines.append((line, y + BASELINE))
            y += LINE_HEIGHT
        segments = tuple(
            Segment(
                share.category.value,
                f"{share.offset:.3f}%",
                f"{share.percent:.3f}%",
            )
            for share in group.tally.shares()
            if share.count
        )
        bars.append(Bar(tuple(label_lines), y + 2, segments))
        y += 2 + BAR_HEIGHT + GAP_AFTER_BAR
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
    return Chart(chart_id, title, description, max(y - GAP_AFTER_BAR, 1), tuple(bars))


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


def legend():
    """(category, fill) in the chart's order."""
    # A category added to the vocabulary later still gets a (plain grey) fill.
    return [
        (category, FILLS.get(category.value, Fill(category.value, "#4a5260")))
        for category in outcome_categories()
    ]
