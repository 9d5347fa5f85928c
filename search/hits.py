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
    return ", ".join(department.name for department in departments)


def _meeting(meeting, terms):
    return meeting.title, meeting.starts_on, _names(meeting.departments.all()), meeting.topic


def _document(document, terms):
    if document.meeting_id:
        day, departments = document.meeting.starts_on, _names(document.meeting.departments.all())
    else:
        coordinator = document.round.coordinator
        day, departments = None, coordinator.name if coordinator else ""
    return document.title, day or document.published_at.date(), departments, document.text


def _postulate(postulate, terms):
    source = postulate.meeting or postulate.round
    title = _("Postulat nr %(number)s: %(title)s") % {
        "number": postulate.number,
        "title": source.title,
    }
    department = postulate.responsible_department
    day = postulate.meeting.starts_on if postulate.meeting_id else None
    return title, day, department.name if department else "", postulate.content


def _position(position, terms):
    postulate = position.postulate
    title = _("Stanowisko (%(outcome)s) wobec postulatu nr %(number)s") % {
        "outcome": position.outcome.name,
        "number": postulate.number,
    }
    department = position.department.name if position.department_id else ""
    return title, position.answered_on, department, position.justification


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
