import json

from django import template
from django.utils.safestring import mark_safe

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
