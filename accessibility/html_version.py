"""A document's HTML version as markup: the blocks read from its file (files.structured_text)
rendered, and an editor's corrected version cleaned to the same small set of elements."""

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

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
# On any element: a passage in another language is read in its own (WCAG 3.1.2). Given to
# nh3 rather than its default, which keeps "title" too, so the report says what it keeps.
GENERIC_ATTRIBUTES = {"lang"}
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
URL_SCHEMES = {"http", "https", "mailto"}
# Kept through the cleaning to be renamed after it: what an editor pasting from a word
# processor or another page means by them is in ALLOWED_TAGS.
RENAMED_TAGS = {"b": "strong", "i": "em"}
# Removed with what they hold: their content is code or a duplicate for browsers without
# scripts (nh3 would leave a <noscript>'s markup as literal text).
REMOVED_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "object"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LISTS = ("ul", "ol")


@dataclass
class Cleaning:
    """What cleaning an editor's HTML changed, for the message after the save."""

    removed_tags: Counter = field(default_factory=Counter)
    removed_with_content: Counter = field(default_factory=Counter)
    removed_attributes: Counter = field(default_factory=Counter)
    renamed: Counter = field(default_factory=Counter)  # ("b", "strong"): count
    scopes_added: int = 0
    repairs: Counter = field(default_factory=Counter)  # what _repair did, said in Polish

    def descriptions(self):
        """Each change in Polish: "usunięto znacznik <span> (2 razy)"."""
        found = []
        for tag, count in sorted(self.removed_with_content.items()):
            found.append(
                _changed(gettext("usunięto znacznik <%s> wraz z zawartością") % tag, count)
            )
        for tag, count in sorted(self.removed_tags.items()):
            found.append(_changed(gettext("usunięto znacznik <%s> (tekst zostaje)") % tag, count))
        for attribute, count in sorted(self.removed_attributes.items()):
            found.append(_changed(gettext("usunięto atrybut %s") % attribute, count))
        for (old, new), count in sorted(self.renamed.items()):
            text = gettext("zmieniono <%(old)s> na <%(new)s>") % {"old": old, "new": new}
            found.append(_changed(text, count))
        if self.scopes_added:
            found.append(_changed(gettext("dodano komórkom <th> atrybut scope"), self.scopes_added))
        for text, count in sorted(self.repairs.items()):
            found.append(_changed(text, count))
        return found


def _changed(text, count):
    return (
        text
        if count == 1
        else gettext("%(change)s (%(count)d razy)")
        % {
            "change": text,
            "count": count,
        }
    )


def sanitized(html):
    """`html` (an editor's) reduced to ALLOWED_TAGS; safe to show."""
    return cleaned(html)[0]


def correction_markup(html):
    """An editor's corrected version as stored for the page: sanitized(), as a plain str; ""
    for an empty one."""
    return str(sanitized(html)) if html.strip() else ""


def cleaned(html):
    """(`html` reduced to ALLOWED_TAGS, safe to show; the Cleaning saying what changed). A
    <b> becomes <strong>, an <i> <em>; an <h1> (the page's own heading is the title) makes
    every heading a level lower, down to h6; a <th> gets the scope it heads (col in a
    table's head or first row, row at the start of a row). Then the structure is repaired to
    valid HTML (_repair, _heading_order): the page must pass the validator and axe."""
    report = Cleaning()
    _Survey(report).feed(html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS | set(RENAMED_TAGS) | {"h1"},
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes={**ALLOWED_ATTRIBUTES, "*": GENERIC_ATTRIBUTES},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        # A th's scope says what it heads; only the values HTML defines are kept.
        attribute_filter=_attribute_filter,
    )
    rewriter = _Rewriter(report, shift_headings="<h1" in clean)
    rewriter.feed(clean)
    rewriter.close()
    tree = rewriter.root
    # Twice: what a repair moves out (a paragraph from a list) may itself need one.
    for _round in range(2):
        _repair(tree, report)
        _flatten(tree)
    _heading_order(tree, report)
    out = []
    _serialize(tree, report, out)
    return mark_safe("".join(out)), report  # sanitised by nh3, every text escaped here


# Deeper nesting than this is refused in the editor's form: no document needs it (a list nine
# levels deep, as a word processor allows, is 18), and the cleaning's HTML parser takes time
# growing with the square of the depth, which every view of the page would pay.
MAX_NESTING = 20
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
# Start tags that close an open <p>, as an HTML parser does (the rest of the flow content
# is removed by the cleaning anyway).
CLOSE_P = {"p", "ul", "ol", "table", "div", "blockquote", "pre", "section", *HEADINGS}
# An item, row or cell closes the open one of its own list or table: (closed, stops).
CELLS = (("td", "th"), ("tr", "table"))
CLOSE_OWN = {"li": (("li",), LISTS), "tr": (("tr",), ("table", "thead", "tbody"))}
CLOSE_OWN |= {"td": CELLS, "th": CELLS}


class _TooDeep(Exception):
    pass


class _Depth(HTMLParser):
    """Measures how deep `html`'s elements nest, closing what an HTML parser closes without
    an end tag (a <p> before a list, an <li> before the next), up to MAX_NESTING + 1."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.stack = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        if tag in CLOSE_P and self.stack and self.stack[-1] == "p":
            self.stack.pop()
        if tag in CLOSE_OWN:
            self._close(*CLOSE_OWN[tag])
        self.stack.append(tag)
        if len(self.stack) > MAX_NESTING:
            raise _TooDeep

    def _close(self, closed, stops):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index] in stops:
                return
            if self.stack[index] in closed:
                del self.stack[index:]
                return

    def handle_startendtag(self, tag, attrs):
        pass  # <x/> opens nothing that needs closing in the cleaned HTML

    def handle_endtag(self, tag):
        if tag in self.stack:
            index = len(self.stack) - 1 - self.stack[::-1].index(tag)
            del self.stack[index:]


def too_deeply_nested(html):
    """Whether `html`'s elements nest deeper than MAX_NESTING."""
    parser = _Depth()
    try:
        parser.feed(html)
        parser.close()
    except _TooDeep:
        return True
    return False


def _attribute_filter(element, attribute, value):
    if attribute == "lang":
        return value if LANGUAGE_TAG.fullmatch(value) else None
    if attribute == "scope":
        return value if value in ("col", "row", "colgroup", "rowgroup") else None
    if attribute in ("colspan", "rowspan"):
        return value if value.isdigit() and 0 < int(value) <= 1000 else None
    return value


def _scheme(url):
    """The scheme of `url` ("javascript"), None for a relative address."""
    head = url.strip().split("/", 1)[0]
    return head.split(":", 1)[0].lower() if ":" in head else None


class _Survey(HTMLParser):
    """Counts what the cleaning will drop from the editor's HTML."""

    def __init__(self, report):
        super().__init__(convert_charrefs=True)
        self.report = report
        self.dropping = []  # the elements removed with their content, open now

    def handle_starttag(self, tag, attrs):
        if self.dropping:
            return
        if tag in REMOVED_WITH_CONTENT:
            self.report.removed_with_content[tag] += 1
            self.dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS and tag not in RENAMED_TAGS and tag != "h1":
            self.report.removed_tags[tag] += 1
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES
        allowed |= {"rel"} if tag == "a" else set()
        for name, value in attrs:
            value = value or ""
            dropped = name not in allowed or _attribute_filter(tag, name, value) is None
            if dropped or (name == "href" and _scheme(value) not in (None, *URL_SCHEMES)):
                self.report.removed_attributes[name] += 1

    def handle_endtag(self, tag):
        if self.dropping and tag == self.dropping[-1]:
            self.dropping.pop()


class _Node:
    """An element of the cleaned HTML: `original` is the tag the editor wrote."""

    def __init__(self, name, attrs, original):
        self.name, self.attrs, self.original = name, attrs, original
        self.children = []  # _Node or str
        self.scope_added = False

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _Rewriter(HTMLParser):
    """Reads nh3's well-formed output into a tree of _Node, renaming the tags and adding the
    scopes Cleaning says; _repair() then mends its structure."""

    def __init__(self, report, shift_headings):
        super().__init__(convert_charrefs=True)
        self.report, self.shift = report, shift_headings
        self.root = _Node("", [], "")
        self.stack = [self.root]
        self.too_deep = 0  # elements opened past MAX_TREE_DEPTH, unwrapped
        self.in_head = False
        self.row_cells = 0
        self.first_row = False

    def _name(self, tag):
        if tag in RENAMED_TAGS:
            return RENAMED_TAGS[tag]
        if self.shift and tag in HEADINGS:
            return HEADINGS[min(HEADINGS.index(tag) + 1, len(HEADINGS) - 1)]
        return tag

    def handle_starttag(self, tag, attrs):
        attrs = list(attrs)
        node = _Node(self._name(tag), attrs, tag)
        if tag == "thead":
            self.in_head = True
        elif tag == "table":
            self.first_row = True
        elif tag == "tr":
            self.row_cells = 0
        elif tag in ("th", "td"):
            if tag == "th" and not any(key == "scope" for key, _value in attrs):
                heads_column = self.in_head or self.first_row or self.row_cells
                attrs.append(("scope", "col" if heads_column else "row"))
                node.scope_added = True
            self.row_cells += 1
        if tag == "br":
            self.stack[-1].children.append(node)
        elif len(self.stack) > MAX_TREE_DEPTH or self.too_deep:
            # Kept only as its text: the form refuses such nesting, an older version is shown.
            self.too_deep += 1
        else:
            self.stack[-1].children.append(node)
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_head = False
        elif tag == "tr":
            self.first_row = False
        if tag == "br":
            return
        if self.too_deep:
            self.too_deep -= 1
        elif len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


# Deeper elements than this are kept as their text (the editor's form refuses more than
# MAX_NESTING anyway); it keeps the repairs' recursion bounded.
MAX_TREE_DEPTH = 100
# What may stand in a heading, a <strong> or an <em>: the phrasing content of ALLOWED_TAGS.
PHRASING = {"strong", "em", "a", "br"}


def _is_empty(node):
    return not node.text().strip()


def _repair(node, report):
    """Mends `node`'s children in place, deepest first, so the page is valid HTML that
    assistive technology reads right: lists hold only items, headings and emphasis only
    phrasing content, no empty link, heading or paragraph, no empty header cell."""
    for child in node.children:
        if isinstance(child, _Node):
            _repair(child, report)
    children = []
    for child in node.children:
        if isinstance(child, _Node) and child.name != "br" and _is_empty(child):
            if child.name in ("a", "p", "strong", "em", *HEADINGS):
                report.repairs[gettext("usunięto pusty znacznik <%s>") % child.name] += 1
                # What was moved out of it stays.
                children.extend(child.__dict__.pop("before", ()))
                children.extend(child.__dict__.pop("after", ()))
                continue
            if child.name == "th":
                # A header cell that heads nothing (a table's corner, mostly) is a data cell.
                child.name = child.original = "td"
                child.attrs = [(k, v) for k, v in child.attrs if k != "scope"]
                if child.scope_added:
                    child.scope_added = False
                else:
                    report.removed_attributes["scope"] += 1
                report.repairs[gettext("zmieniono pustą komórkę <th> na <td>")] += 1
        if isinstance(child, _Node) and child.name == "li" and node.name not in LISTS:
            # Items outside a list: in one list of them with their neighbours.
            if children and isinstance(children[-1], _Node) and children[-1].original == "":
                children[-1].children.append(child)
            else:
                report.repairs[gettext("ujęto punkty <li> spoza listy w listę <ul>")] += 1
                children.append(_Node("ul", [], ""))
                children[-1].children.append(child)
            continue
        children.append(child)
    node.children = children
    if node.name in LISTS:
        _repair_list(node, report)
    elif node.name in HEADINGS or node.name in ("strong", "em"):
        _repair_phrasing(node, report)


def _label(child):
    return gettext("tekst") if isinstance(child, str) else f"<{child.name}>"


def _repair_list(node, report):
    """Anything but an item in a list goes into the item before it, or before the list
    (_flatten puts it there)."""
    kept, items, before = [], [], []
    for child in node.children:
        if isinstance(child, _Node) and child.name == "li":
            kept.append(child)
            items.append(child)
        elif isinstance(child, str) and not child.strip():
            kept.append(child)  # white space between items is allowed
        elif items:
            items[-1].children.append(child)
            report.repairs[gettext("przeniesiono %s do punktu listy") % _label(child)] += 1
        else:
            before.append(child)
            report.repairs[gettext("przeniesiono %s przed listę") % _label(child)] += 1
    node.children = kept
    node.before = before


def _repair_phrasing(node, report):
    """A heading (or emphasis) holds only text and phrasing elements: a paragraph in it
    gives it its text, a list, table or heading in it goes after it."""
    children, after = [], []
    for child in node.children:
        if isinstance(child, str) or child.name in PHRASING:
            children.append(child)
        elif child.name == "p":
            if children and children[-1] != " ":
                children.append(" ")
            children.extend(child.children)
            report.repairs[gettext("usunięto znacznik <p> z <%s> (tekst zostaje)") % node.name] += 1
        else:
            after.append(child)
            report.repairs[gettext("przeniesiono <%s> za <%s>") % (child.name, node.name)] += 1
    node.children = children
    node.after = after


def _flatten(node):
    """Puts what _repair_list and _repair_phrasing moved out of an element beside it."""
    children = []
    for child in node.children:
        if isinstance(child, _Node):
            _flatten(child)
            children.extend(child.__dict__.pop("before", ()))
            children.append(child)
            children.extend(child.__dict__.pop("after", ()))
        else:
            children.append(child)
    node.children = children


def _heading_order(node, report, level=1):
    """Each heading at most one level below the one before it (the page's title is h1): a
    skipped level leaves a screen reader's outline with a gap."""
    for child in node.children:
        if not isinstance(child, _Node):
            continue
        if child.name in HEADINGS:
            wanted = min(HEADINGS.index(child.name) + 1, level + 1)
            child.name = HEADINGS[wanted - 1]
            level = wanted
        else:
            level = _heading_order(child, report, level)
    return level


def _serialize(node, report, out):
    for child in node.children:
        if isinstance(child, str):
            out.append(escape(child))
            continue
        if child.name != child.original and child.original:
            report.renamed[(child.original, child.name)] += 1
        if child.scope_added:
            report.scopes_added += 1
        written = "".join(format_html(' {}="{}"', key, value or "") for key, value in child.attrs)
        out.append(f"<{child.name}{written}>")
        if child.name != "br":
            _serialize(child, report, out)
            out.append(f"</{child.name}>")


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
    """Items at deeper levels become lists inside the item before them, each of its own
    kind (bullets under a numbered item are a <ul>)."""
    outer = "ol" if block.get("ordered") else "ul"
    parts, open_lists, depth = [f"<{outer}>"], [outer], 0
    for index, item in enumerate(block["items"]):
        level = min(int(item.get("level", 0)), depth + 1) if index else 0
        if index and level > depth:
            tag = ("ol" if item["ordered"] else "ul") if "ordered" in item else outer
            parts.append(f"<{tag}>")  # inside the open item
            open_lists.append(tag)
        elif index:
            parts.append("</li>")
            while depth > level:
                parts.append(f"</{open_lists.pop()}></li>")
                depth -= 1
        depth = level
        parts.append(format_html("<li>{}", _lines(item["text"])))
    parts.append("</li>")
    while len(open_lists) > 1:
        parts.append(f"</{open_lists.pop()}></li>")
    parts.append(f"</{outer}>")
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
