"""Pieces every Atom feed of the site shares: the shape of an entry, the length of its summary
(calendars share it too) and an XML-safe writer."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import feedgenerator
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.xmlutils import SimplerXMLGenerator

from core.control_characters import strip_forbidden_characters

# Every character that combines with the one before it (Unicode's combining classes) is U+0300
# or above: Polish letters, precomposed, are below.
_MAYBE_COMBINING = re.compile("[^\x00-\u02ff]")


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
    a calendar stays small however long a topic or a postulate is (its link leads to all of it).

    What Truncator(text).chars() returns, without its loop over every character (a third of a
    calendar's time) where no character of the text combines with the one before it: then
    each character counts as one, so the text fits or is cut by its length."""
    limit = settings.FEED_SUMMARY_CHARS
    text = unicodedata.normalize("NFC", str(text))
    if any(unicodedata.combining(character) for character in _MAYBE_COMBINING.findall(text)):
        return Truncator(text).chars(limit)
    if len(text) <= limit:
        return text
    return add_truncation_text(text[: calculate_truncate_chars_length(limit, None)], None)


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
