import html
import json

from django import template
from django.template.defaultfilters import capfirst, filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, pgettext

from core.absolute_urls import webcal_url
from core.polish import PolishText
from core.rich_text import render as render_rich_text

register = template.Library()


_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


@register.filter
def json_ld(data):
    """A <script type="application/ld+json"> block; no text can close the element early."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_IN_HTML)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # escaped above


@register.tag
def capture(parser, token):
    """{% capture name %}…{% endcapture %}: render once, use many times (the page title in
    <title> and in og:title) — a block may appear only once in a template."""
    try:
        _tag, name = token.split_contents()
    except ValueError as error:
        raise template.TemplateSyntaxError("Usage: {% capture name %}…{% endcapture %}") from error
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # strip() returns a plain str: keep the rendered text marked safe, or an apostrophe
        # in a translated title would be escaped twice (City&amp;#x27;s).
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


class GroupedCount(int):
    """A count printed with its thousands grouped by the language's separator ("100 000" with
    a non-breaking space in Polish, "100,000" in English). Still a number, so blocktranslate's
    `count` chooses the plural form from it: {% blocktranslate count counter=n|grouped %}."""

    def __str__(self):
        value = int(self)
        # Polish typography leaves four-digit numbers ungrouped: 1000, but 10 000.
        if get_language() == "pl" and -10_000 < value < 10_000:
            return str(value)
        return number_format(value, force_grouping=True)


@register.filter
def grouped(count):
    """A count for the page: {{ n|grouped }}; an empty value stays as it is."""
    if isinstance(count, bool) or not isinstance(count, int):
        return count
    return GroupedCount(count)


# How many page numbers a list's pagination links around the current one (the current in the
# middle where it can be): five fit one row of a 360 px phone with their 44 px targets.
PAGE_WINDOW = 5


@register.filter
def page_window(page):
    """The page numbers includes/pagination.html links by number: a window of PAGE_WINDOW
    around `page` (a Django Page), moved inwards at either end of the list so it stays whole
    where the list has that many pages."""
    last = page.paginator.num_pages
    start = max(1, min(page.number - PAGE_WINDOW // 2, last - PAGE_WINDOW + 1))
    return range(start, min(last, start + PAGE_WINDOW - 1) + 1)


@register.filter
def rich_text(text):
    """An editor's formatted text (core/rich_text.py) as safe HTML."""
    return render_rich_text(text)


# The meeting lists' markup, written in Python: a year page lists up to 25 meetings with their
# dates, departments and documents, and rendering these through nested template includes cost
# about a millisecond per meeting, most of the page's time. The pieces are escaped with the
# standard library's html.escape (what Django's escape() calls) and joined as plain strings:
# format_html's lazy-text checks on every argument were a fifth of the page's time.


def _text(value):
    """`value` as HTML text: escaped, quotes included, so it is safe in attributes too."""
    return html.escape(str(value))


def _polish(value):
    """Text the archive holds in Polish (a title, a name, a postulate) as HTML: escaped, and on
    a page in another language marked lang="pl", so a screen reader reads it with Polish
    pronunciation (WCAG 3.1.2)."""
    text = _text(value)
    if not text or (get_language() or "pl") == "pl":
        return text
    return f'<span lang="pl">{text}</span>'


@register.filter
def pl(value):
    """{{ meeting.title|pl }}: stored Polish text, marked as Polish on an English page."""
    return mark_safe(_polish(value))  # escaped in _polish


@register.filter
def named(term, capitalised=""):
    """{{ outcome|named }}: a vocabulary's name (an outcome, an area) in the page's language;
    where an editor stored no English name, its Polish one, marked as Polish as `pl` marks
    stored text. {{ outcome|named:"capfirst" }} begins it with a capital."""
    name = capfirst(term.display_name) if capitalised else term.display_name
    if term.shows_polish_name:
        return pl(name)
    return conditional_escape(name)


@register.simple_tag
def polish_lang():
    """lang="pl" on an element holding stored Polish text, where the page is not Polish."""
    return "" if (get_language() or "pl") == "pl" else mark_safe(' lang="pl"')


@register.filter
def crumb(label):
    """A label a view hands the breadcrumbs: stored Polish text (PolishText) marked as the
    `pl` filter marks it, the interface's own as it is."""
    return pl(label) if isinstance(label, PolishText) else label


def _date_html(day):
    return f'<time datetime="{day.isoformat()}">{_text(date_format(day, "j E Y"))}</time>'


def _kind_label(record):
    """get_kind_display() without its cost: it builds a dict of every lazily translated
    choice, hashing each (a translation), on every call."""
    try:
        return type(record).Kind(record.kind).label
    except ValueError:
        return record.kind


@register.simple_tag
def meeting_dates(meeting_days):
    """A meeting's days (MeetingDate rows): "5 czerwca 2025", "5, 6 i 7 czerwca…", or that
    none is known."""
    days = [_date_html(day.date) for day in meeting_days]
    if not days:
        return gettext("data nie została podana")
    if len(days) > 1:
        last = f" {_text(pgettext('between the last two dates of a list', 'i'))} {days[-1]}"
        days = [", ".join(days[:-1]) + last]
    return mark_safe(days[0])  # every piece escaped above


def accessibility_marker(document):
    """What a list says of a document's file when its check (the accessibility app's) found
    it blocking: damaged, or not fully accessible; "" otherwise. Read only when the list
    loaded the check with the document, so a list never queries per row. The search
    results say it of a document hit too (search.hits)."""
    if not type(document).accessibility_check.is_cached(document):
        return ""
    check = getattr(document, "accessibility_check", None)
    return check.marker() if check is not None else ""


def _known_when(document, parent):
    """document.when() where the page has the parent loaded already (never a query a row)."""
    if parent is None:
        field = type(document).meeting if document.meeting_id else type(document).round
        if not field.is_cached(document):
            return ""
    return document.when(parent)


@register.simple_tag(takes_context=True)
def document_link(context, document, parent_url=None, parent=None):
    """A document's title linking its page, with its kind, format and size. `parent_url`,
    its meeting's or round's address when the caller has it, saves reversing its own;
    `parent`, the meeting or round itself, names its day in the text version's link."""
    if document.file:
        details = f"{document.file_format}, {filesizeformat(document.file_size)}"
        if marker := accessibility_marker(document):
            details += f"; {marker}"
    else:
        details = gettext("pliku nie ma jeszcze w archiwum")
    url = document.url_under(parent_url) if parent_url else document.get_absolute_url()
    link = (
        f'<a href="{_text(url)}">{_polish(document.title)}</a>\n'
        f'<span class="meta">({_text(_kind_label(document))}; {_text(details)})</span>'
    )
    if document.file:
        text_url = f"{url}{document.TEXT_SEGMENT}/"
        # Named in full for a screen reader's list of links, where many would read the same:
        # same-titled documents of different meetings differ by the day, of one by the format.
        distinct = ", ".join(filter(None, [_known_when(document, parent), document.file_format]))
        link += (
            f' <a class="text-version" href="{_text(text_url)}">{_text(gettext("wersja tekstowa"))}'
            f'<span class="visually-hidden">: {_polish(document.title)} ({_text(distinct)})'
            "</span></a>"
        )
    if context.get("preview") and document.draft_label:
        link += f' <span class="draft-label">{_text(document.draft_label)}</span>'
    return mark_safe(link)  # every piece escaped above


@register.simple_tag(takes_context=True)
def meeting_item(context, meeting, heading_level=3):
    """A meeting from public_meetings() in a list: its title, kind, days, departments and
    documents."""
    meta = [capfirst(_kind_label(meeting)), meeting_dates(meeting.public_dates)]
    if meeting.is_online:
        meta.append(gettext("online"))
    departments = [department.name for department in meeting.public_departments]
    if departments:
        meta.append(mark_safe(", ".join(_polish(name) for name in departments)))
    url = meeting.get_absolute_url()
    level = int(heading_level)
    parts = [
        '<article class="meeting">\n',
        f'  <h{level} class="meeting-title"><a href="{_text(url)}">{_polish(meeting.title)}</a>'
        f"</h{level}>\n",
        # Safe pieces (the dates) are kept; plain text is escaped.
        '  <p class="meta">'
        + " · ".join(f"<span>{conditional_escape(part)}</span>" for part in meta)
        + "</p>\n",
    ]
    if meeting.public_documents:
        items = "".join(
            f"<li>{document_link(context, document, url, meeting)}</li>"
            for document in meeting.public_documents
        )
        parts.append(f'  <ul class="documents">{items}</ul>\n')
    parts.append("</article>\n")
    return mark_safe("".join(parts))  # every piece escaped above


@register.simple_tag(takes_context=True)
def calendar_subscription(context, url_name, *args):
    """The webcal: address that subscribes a calendar app to the calendar named `url_name`."""
    return webcal_url(reverse(url_name, args=args))


@register.simple_tag(takes_context=True)
def postulate_row(context, postulate, show_source=False):
    """A postulate's row of postulates/_postulate_table.html (the column names come from its
    context, translated once per table). Written in Python like meeting_item: through the
    template's tags, filters and includes a row cost about half a millisecond, a list page
    of 50 rows a third of its time. The history marker and the follow-up are rendered from
    their templates only where they show anything."""
    preview = context.get("preview")
    url = _text(postulate.get_absolute_url())
    short = Truncator(postulate.content).words(30, truncate=" …")
    if short[-1:] == "…":
        content = (
            f'<span class="screen-only">{_polish(short)}</span>'
            f'<span class="print-only">{_polish(postulate.content)}</span>'
        )
    else:
        content = _polish(postulate.content)
    cells = [
        f'<td data-label="{_text(context["label_number"])}">{_text(postulate.number)}</td>',
        "",  # where the template's comment stood
        f'<td data-label="{_text(context["label_postulate"])}"><a href="{url}">{content}</a>'
        + (
            render_to_string("postulates/_history_marker.html", {"postulate": postulate})
            if getattr(postulate, "has_history", False)
            else "\n"  # what the template, ending its line, writes without a marker
        )
        + _draft_label(preview, postulate)
        + "</td>",
    ]
    source_cell = ""
    if show_source:
        source = postulate.raised_at
        day = postulate.meeting.starts_on if postulate.meeting_id else None
        when = (
            f'<br><time class="meta" datetime="{day:%Y-%m-%d}">'
            f"{_text(date_format(day, 'j E Y'))}</time>"
            if day
            else ""
        )
        source_cell = (
            f'<td data-label="{_text(context["label_where"])}">'
            f'<a href="{_text(source.get_absolute_url())}">{_polish(source.title)}</a>{when}</td>'
        )
    cells.append(source_cell)
    organisation = postulate.organisation
    submitter = (
        _polish(organisation.name)
        if organisation is not None and organisation.is_public_as_named
        else _text(gettext("nie podano"))
    )
    cells.append(f'<td data-label="{_text(context["label_submitter"])}">{submitter}</td>')
    positions = list(postulate.positions.all())
    answers = []
    for index, position in enumerate(positions, 1):
        answer = (
            f'<span class="outcome outcome-{_text(position.outcome.category)}">'
            f"{named(position.outcome)}</span>{_draft_label(preview, position)}"
        )
        if position.justification:
            answer += (
                f'<div class="print-only justification">'
                f"{render_rich_text(position.justification)}</div>"
            )
        if index < len(positions):
            answer += "<br>"
        elif getattr(position, "commitment_status", None) == "po-terminie" or getattr(
            position, "stale_pending", False
        ):
            answer += render_to_string("postulates/_follow_up.html", {"answer": position})
        else:
            answer += "\n"  # what the follow-up's template, ending its line, writes without one
        answers.append(answer)
    answered = "".join(answers) or _text(gettext("brak stanowiska"))
    cells.append(f'<td data-label="{_text(context["label_position"])}">{answered}</td>')
    return mark_safe(
        "\n    <tr>\n" + "".join(f"      {cell}\n" for cell in cells) + "    </tr>\n    "
    )


def _draft_label(preview, record):
    label = preview and record.draft_label
    return f' <span class="draft-label">{_text(label)}</span>' if label else ""
