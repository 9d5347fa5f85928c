"""Pieces every Atom feed of the site shares: the shape of an entry, the length of its summary
(calendars share it too) and an XML-safe writer."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import feedgenerator
from django.utils.text import Truncator
from django.utils.xmlutils import SimplerXMLGenerator

from core.control_characters import strip_forbidden_characters


@dataclass(frozen=True)
class FeedEntry:
    key: str  # "dokument-12": stable across renames, unlike the entry's URL
    title: str
    path: str
    summary: str  # plain text
    published_at: datetime
    author: str


def summary_text(text):
    """A summary as feeds and calendars show it, cut to settings.FEED_SUMMARY_CHARS: a feed or
    a calendar stays small however long a topic or a postulate is (its link leads to all of it)."""
    return Truncator(text).chars(settings.FEED_SUMMARY_CHARS)


class XMLSafeAtom1Feed(feedgenerator.Atom1Feed):
    """Atom without the characters XML refuses, and with the feed's stylesheets. Editors can
    no longer type those characters, but one stored earlier would otherwise fail every request
    for every feed listing it."""

    # Browsers show application/atom+xml as raw text (Chromium) or download it, and apply the
    # stylesheet only to XML they render; feed readers read Atom under either type.
    content_type = "application/xml; charset=utf-8"

    def write(self, outfile, encoding):
        self.feed = _without_forbidden_characters(self.feed)
        self.items = [_without_forbidden_characters(item) for item in self.items]
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        # Django writes a feed's stylesheets only into RSS; in Atom they go in the same place,
        # after the XML declaration and before the root element.
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


def _without_forbidden_characters(value):
    if isinstance(value, str):
        return strip_forbidden_characters(value)
    if isinstance(value, dict):
        return {key: _without_forbidden_characters(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_without_forbidden_characters(item) for item in value)
    return value
