"""Formatted text editors may write in long fields: paragraphs, line breaks, bold, italics,
lists, quotes and links, in Markdown. Raw HTML is never interpreted (it shows as typed), and
the result passes nh3's allow-list as well, so no markup an editor (or a stolen editor
account) types can run a script or restyle the page."""

import html

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = (
    MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": True, "typographer": False})
    .enable("linkify")
    # The page has its own headings (an editor's "# " would be a second h1) and images would
    # load from anywhere; neither belongs in a record's text.
    .disable(["heading", "lheading", "image", "hr", "fence", "code"])
)


def render(text):
    """Safe HTML for `text`; a plain text renders as before (paragraphs and line breaks)."""
    if not text:
        return ""
    html = _markdown.render(text)
    return mark_safe(  # sanitised by nh3 just here
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="nofollow noopener",
        )
    )


def plain_text(text):
    """`text` as a reader sees it, without the markup ("**bold**" reads "bold"): for excerpts
    such as a search hit's, which are plain text."""
    return html.unescape(strip_tags(render(text))).strip()


HELP_TEXT = _(
    "Formatowanie: pusta linia zaczyna akapit; **pogrubienie**, *kursywa*, listy "
    "(wiersze zaczynające się od „- ” lub „1. ”), odnośniki [tekst](https://…) albo sam adres."
)
