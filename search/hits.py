"""How each kind of record looks in the search results."""

from dataclasses import dataclass

from meetings.models import Document
from meetings.templatetags.archive import accessibility_marker
from search.kinds import KINDS
from search.text import highlight


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    day: object
    departments: str
    snippet: str
    text_url: str = ""  # a document's HTML version, where its file's words were found
    file_marker: str = ""  # a document's file not fully accessible, as lists say it


def hit_for(kind, record, terms):
    title, day, departments, text = KINDS[kind].describe(record)
    snippet = highlight(text, terms) if text else ""
    return Hit(
        kind=str(KINDS[kind].label),
        title=highlight(title, terms, width=1000),
        url=record.get_absolute_url(),
        day=day,
        departments=departments,
        snippet=snippet,
        text_url=record.get_text_url() if hasattr(record, "get_text_url") else "",
        file_marker=accessibility_marker(record) if isinstance(record, Document) else "",
    )
