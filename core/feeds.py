"""Pieces every Atom feed of the site shares: the shape of an entry and an XML-safe writer."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import feedgenerator

from core.control_characters import strip_forbidden_characters


@dataclass(frozen=True)
class FeedEntry:
    key: str  # "dokument-12": stable across renames, unlike the entry's URL
    title: str
    path: str
    summary: str  # plain text
    published_at: datetime
    author: str


class XMLSafeAtom1Feed(feedgenerator.Atom1Feed):
    """Atom without the characters XML refuses. Editors can no longer type them, but one
    stored earlier would otherwise fail every request for every feed listing it."""

    def write(self, outfile, encoding):
        self.feed = _without_forbidden_characters(self.feed)
        self.items = [_without_forbidden_characters(item) for item in self.items]
        super().write(outfile, encoding)


def _without_forbidden_characters(value):
    if isinstance(value, str):
        return strip_forbidden_characters(value)
    if isinstance(value, dict):
        return {key: _without_forbidden_characters(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_without_forbidden_characters(item) for item in value)
    return value
