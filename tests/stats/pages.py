"""Reading the statistics pages as a person (or a screen reader) does: the chart's bars, its
text alternatives, and the tables beside it."""

import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def fragment(html, pattern):
    """The one element matching `pattern` (a regex from its start tag to its end), as XML:
    the chart and the tables are written as well-formed markup."""
    (match,) = re.findall(pattern, html, flags=re.DOTALL)
    return ET.fromstring(match)


def chart(html):
    """The chart's drawing: its bars and axis, one image for assistive technology."""
    return fragment(
        html, r'<div class="chart-plot".*?</svg>\s*</div>(?=\s*<ul class="chart-legend")'
    )


def chart_bars(plot):
    """[(label, {category: percent of the bar's width}, {category: share written on it})] in
    the order drawn."""
    bars = []
    for row in plot.iter("div"):
        if row.get("class") != "chart-row":
            continue
        label = text(row.find("p"))
        widths, values = {}, {}
        for rect in row.iter(f"{SVG}rect"):
            category = rect.get("class").split("segment-")[1]
            widths[category] = float(rect.get("width").rstrip("%"))
            x, width = (float(rect.get(name).rstrip("%")) for name in ("x", "width"))
            for value in row.iter(f"{SVG}text"):
                if x < float(value.get("x").rstrip("%")) < x + width:
                    values[category] = value.text
        bars.append((label, widths, values))
    return bars


def axis_ticks(plot):
    axis = next(svg for svg in plot.iter(f"{SVG}svg") if svg.get("class") == "chart-axis")
    return [tick.text for tick in axis.iter(f"{SVG}text")]


def table(html, name):
    return fragment(html, rf'<table class="stats-table {name}">.*?</table>')


def text(element):
    return " ".join("".join(element.itertext()).split())


def number(cell_text):
    """A number as the Polish page writes it ("12,5") as a string programs read ("12.5")."""
    return cell_text.replace(",", ".")


def labelled_rows(html, name):
    """(row label, its cells) of each body row of a table, the total's too."""
    for row in table(html, name).iter("tr"):
        heading = row.find("th")
        if heading is None or heading.get("scope") != "row":
            continue
        label = text(heading.find("a")) if heading.find("a") is not None else text(heading)
        yield label, row.findall("td")


def outcome_rows(html):
    """{row label: (postulates, {category: (count, percent)})} of the outcome table, the total
    under "Razem"."""
    rows = {}
    for label, cells in labelled_rows(html, "outcome-table"):
        shares = {}
        for cell in cells[1:]:
            count, percent = re.fullmatch(r"(\d+) \(([\d,.]+)%\)", text(cell)).groups()
            shares[cell.get("data-category")] = (int(count), number(percent))
        rows[label] = (int(text(cells[0])), shares)
    return rows


def waiting_rows(html):
    """{row label: [answered, timed, median, mean, longest, unanswered, median and longest
    wait of the unanswered]} of the time-to-answer table; a cell spanning columns is repeated."""
    return {
        label: [number(text(cell)) for cell in cells for _ in range(int(cell.get("colspan", 1)))]
        for label, cells in labelled_rows(html, "waiting-table")
    }
