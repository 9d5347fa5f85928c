import json

from django import template
from django.template.defaultfilters import capfirst, filesizeformat
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from krakow_ngo.rich_text import render as render_rich_text

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


@register.filter
def rich_text(text):
    """An editor's formatted text (krakow_ngo/rich_text.py) as safe HTML."""
    return render_rich_text(text)


# The meeting lists' markup, written in Python: a year page lists up to 25 meetings with their
# dates, departments and documents, and rendering these through nested template includes cost
# about a millisecond per meeting, most of the page's time.


def _date_html(day):
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_format(day, "j E Y"))


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
    if len(days) == 1:
        return days[0]
    last = format_html(" {} {}", pgettext("between the last two dates of a list", "i"), days[-1])
    return mark_safe(", ".join(days[:-1]) + last)  # parts escaped by format_html


@register.simple_tag(takes_context=True)
def document_link(context, document, parent_url=None):
    """A document's title linking its page, with its kind, format and size. `parent_url`,
    its meeting's or round's address when the caller has it, saves reversing its own."""
    if document.file:
        details = format_html("{}, {}", document.file_format, filesizeformat(document.file_size))
    else:
        details = gettext("plik nieopublikowany")
    html = format_html(
        '<a href="{}">{}</a>\n<span class="meta">({}; {})</span>',
        document.url_under(parent_url) if parent_url else document.get_absolute_url(),
        document.title,
        _kind_label(document),
        details,
    )
    if context.get("preview") and document.draft_label:
        html += format_html(' <span class="draft-label">{}</span>', document.draft_label)
    return html


@register.simple_tag(takes_context=True)
def meeting_item(context, meeting, heading_level=3):
    """A meeting from public_meetings() in a list: its title, kind, days, departments and
    documents."""
    meta = [
        format_html("<span>{}</span>", capfirst(_kind_label(meeting))),
        format_html("<span>{}</span>", meeting_dates(meeting.public_dates)),
    ]
    if meeting.is_online:
        meta.append(format_html("<span>{}</span>", gettext("online")))
    departments = [department.name for department in meeting.public_departments]
    if departments:
        meta.append(format_html("<span>{}</span>", ", ".join(departments)))
    url = meeting.get_absolute_url()
    documents = meeting.public_documents
    items = format_html_join(
        "", "<li>{}</li>", ((document_link(context, document, url),) for document in documents)
    )
    return format_html(
        '<article class="meeting">\n'
        '  <h{level} class="meeting-title"><a href="{url}">{title}</a></h{level}>\n'
        '  <p class="meta">{meta}</p>\n'
        "{documents}"
        "</article>\n",
        level=int(heading_level),
        url=url,
        title=meeting.title,
        meta=mark_safe(" · ".join(meta)),  # each part escaped by format_html
        documents=format_html('  <ul class="documents">{}</ul>\n', items) if documents else "",
    )
