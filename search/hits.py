"""How each kind of record looks in the search results."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from search.engine import KINDS
from search.text import highlight


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    day: object
    departments: str
    snippet: str


def _names(departments):
    """The names of the public ones among `departments`: a hit never names a draft."""
    return ", ".join(
        department.name for department in departments if department and department.is_public
    )


def _meeting(meeting, terms):
    return meeting.title, meeting.starts_on, _names(meeting.departments.all()), meeting.topic


def _document(document, terms):
    if document.meeting_id:
        day, departments = document.meeting.starts_on, _names(document.meeting.departments.all())
    else:
        day, departments = None, _names([document.round.coordinator])
    return document.title, day or document.published_at.date(), departments, document.text


def _postulate(postulate, terms):
    source = postulate.meeting or postulate.round
    title = _("Postulat nr %(number)s: %(title)s") % {
        "number": postulate.number,
        "title": source.title,
    }
    day = postulate.meeting.starts_on if postulate.meeting_id else None
    return title, day, _names([postulate.responsible_department]), postulate.content


def _position(position, terms):
    postulate = position.postulate
    title = _("Stanowisko (%(outcome)s) wobec postulatu nr %(number)s") % {
        "outcome": position.outcome.name,
        "number": postulate.number,
    }
    return title, position.answered_on, _names([position.department]), position.justification


def _organisation(organisation, terms):
    return organisation.name, None, "", ""


DESCRIBE = {
    "spotkania": _meeting,
    "dokumenty": _document,
    "postulaty": _postulate,
    "stanowiska": _position,
    "organizacje": _organisation,
}


def hit_for(kind, record, terms):
    title, day, departments, text = DESCRIBE[kind](record, terms)
    snippet = highlight(text, terms) if text else ""
    return Hit(
        kind=str(KINDS[kind].label),
        title=highlight(title, terms, width=1000),
        url=record.get_absolute_url(),
        day=day,
        departments=departments,
        snippet=snippet,
    )
