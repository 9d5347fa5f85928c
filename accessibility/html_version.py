"""A document's HTML version as markup: the blocks read from its file (files.structured_text)
rendered, and an editor's corrected version cleaned to the same small set of elements."""

import re

import nh3
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

# What a document's text needs and nothing that could run a script or restyle the page; no
# h1, which is the page's own (the document's title).
ALLOWED_TAGS = {
    *("h2", "h3", "h4", "h5", "h6", "p", "br", "ul", "ol", "li", "strong", "em", "a"),
    *("table", "caption", "thead", "tbody", "tr", "th", "td"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitized(html):
    """`html` (an editor's) reduced to ALLOWED_TAGS; safe to show."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        # A th's scope says what it heads; only the values HTML defines are kept.
        attribute_filter=_attribute_filter,
    )
    return mark_safe(cleaned)  # sanitised by nh3 just here


def _attribute_filter(element, attribute, value):
    if attribute == "scope":
        return value if value in ("col", "row", "colgroup", "rowgroup") else None
    if attribute in ("colspan", "rowspan"):
        return value if value.isdigit() and 0 < int(value) <= 1000 else None
    return value


def _lines(text):
    """Text whose line breaks show: escaped pieces joined by <br>."""
    return mark_safe("<br>".join(escape(line) for line in text.split("\n")))  # escaped here


def blocks_to_html(blocks):
    """Markup for the blocks of files.structured_text, every piece of text escaped."""
    return mark_safe(blocks_markup(blocks))  # escaped in _block


def blocks_markup(blocks):
    """blocks_to_html() as a plain str, for a form field to show (and escape) as text."""
    return "\n".join(_block(block) for block in blocks)


def _block(block):
    kind = block.get("type")
    if kind == "heading":
        level = min(max(int(block.get("level", 2)), 2), 6)
        return format_html("<h{}>{}</h{}>", level, block["text"], level)
    if kind == "paragraph":
        return format_html("<p>{}</p>", _lines(block["text"]))
    if kind == "list":
        return _list(block)
    if kind == "table":
        return _table(block)
    if kind == "scanned-page":
        return _scanned_page(block)
    return ""


# Part of the document's Polish text (lang="pl"), stored rendered: Polish on every page.
SCANNED_PAGE = "Strona {}: skan — tekst niedostępny."
SCANNED_PAGE_READ = (
    "Strona {}: skan. Tekst poniżej odczytano automatycznie (OCR) i może zawierać błędy; "
    "rozstrzygający jest plik oryginalny."
)


def _scanned_page(block):
    """A scanned page of a PDF: said to be one, with the text OCR read from it, if any."""
    number = int(block.get("page", 0))
    text = (block.get("ocr") or "").strip()
    if not text:
        return format_html(
            '<p class="page-note"><strong>{}</strong></p>', SCANNED_PAGE.format(number)
        )
    paragraphs = format_html_join(
        "",
        "<p>{}</p>",
        ((_lines(part.strip()),) for part in re.split(r"\n\s*\n", text) if part.strip()),
    )
    return format_html(
        '<div class="ocr-page"><p class="page-note"><strong>{}</strong></p>{}</div>',
        SCANNED_PAGE_READ.format(number),
        paragraphs,
    )


def _list(block):
    """Items at deeper levels become lists inside the item before them."""
    tag = "ol" if block.get("ordered") else "ul"
    parts, depth = [f"<{tag}>"], 0
    for index, item in enumerate(block["items"]):
        level = min(int(item.get("level", 0)), depth + 1) if index else 0
        if index and level > depth:
            parts.append(f"<{tag}>")  # inside the open item
        elif index:
            parts.append("</li>")
            while depth > level:
                parts.append(f"</{tag}></li>")
                depth -= 1
        depth = level
        parts.append(format_html("<li>{}", _lines(item["text"])))
    parts.append("</li>")
    parts.extend(f"</{tag}></li>" for _ in range(depth))
    parts.append(f"</{tag}>")
    return "".join(parts)


def _table(block):
    rows = block.get("rows") or []
    parts = ["<table>"]
    if block.get("caption"):
        parts.append(format_html("<caption>{}</caption>", block["caption"]))
    if block.get("header") and len(rows) > 1:
        cells = format_html_join("", '<th scope="col">{}</th>', ((_lines(c),) for c in rows[0]))
        parts.append(format_html("<thead><tr>{}</tr></thead>", cells))
        rows = rows[1:]
    parts.append("<tbody>")
    for row in rows:
        cells = format_html_join("", "<td>{}</td>", ((_lines(c),) for c in row))
        parts.append(format_html("<tr>{}</tr>", cells))
    parts.append("</tbody></table>")
    return "".join(parts)


_TABLE_START = re.compile(r"<table>")


def scrollable_tables(html):
    """`html` (safe) with each table in a region that scrolls sideways on a narrow screen and
    can be reached by keyboard to scroll it, as the site's other wide tables."""
    counter = iter(range(1, 10_000))

    def region(match):
        # Part of the document's Polish text (lang="pl"), so Polish on every page.
        label = f"Tabela {next(counter)}"
        return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}"><table>'

    wrapped = _TABLE_START.sub(region, str(html)).replace("</table>", "</table></div>")
    return mark_safe(wrapped)  # only fixed markup added to safe HTML
