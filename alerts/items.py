"""How a message names each change: a heading per kind of change, and per change a title that
makes sense on its own as a link's text, the page's address and one line of detail. Each kind
is read with one query for a whole batch of messages; only records the event's source found
public are named."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts.models import Event
from alerts.targets import shorten
from core.absolute_urls import absolute_url
from meetings.models import Document, Meeting
from postulates.models import Position, PositionRevision, PostulateLink

Kind = Event.Kind

HEADINGS = {
    Kind.MEETING: gettext_lazy("Nowe spotkania"),
    Kind.DOCUMENT: gettext_lazy("Nowe dokumenty"),
    Kind.ANSWER: gettext_lazy("Odpowiedzi Miasta na postulaty"),
    Kind.REVISED_ANSWER: gettext_lazy("Zmienione odpowiedzi"),
    Kind.LINKED_POSTULATE: gettext_lazy("Powiązane postulaty"),
    Kind.COMMITMENT_DUE: gettext_lazy("Terminy zobowiązań Miasta"),
}
ORDER = list(HEADINGS)
# Changes of one kind a message lists; past them it says how many more there were and points
# to the pages followed, so a busy day's digest stays readable (and quick to build).
SHOWN_PER_KIND = 20


def shown(event_ids, kinds):
    """(the ids a message lists, in order: the first SHOWN_PER_KIND of each kind; how many
    it leaves out)."""
    listed, seen = [], defaultdict(int)
    for event_id in event_ids:
        kind = kinds[event_id]
        seen[kind] += 1
        if seen[kind] <= SHOWN_PER_KIND:
            listed.append(event_id)
    return listed, len(event_ids) - len(listed)


@dataclass
class Item:
    kind: str
    title: str
    url: str
    detail: str

    def text(self):
        lines = [f"* {self.title}", *([f"  {self.detail}"] if self.detail else []), f"  {self.url}"]
        return "\n".join(lines)

    def html(self):
        if self.detail:
            return format_html('<a href="{}">{}</a><br>{}', self.url, self.title, self.detail)
        return format_html('<a href="{}">{}</a>', self.url, self.title)


def day(value):
    return date_format(value, "j E Y") if value else ""


def postulate_title(postulate):
    return _("Postulat nr %(number)s: %(content)s") % {
        "number": postulate.number,
        "content": shorten(postulate.content, 100),
    }


def describe_meeting(meeting):
    when = day(meeting.starts_on)
    return Item(Kind.MEETING, meeting.title, absolute_url(meeting.get_absolute_url()), when)


def describe_document(document):
    parent = document.parent
    return Item(
        Kind.DOCUMENT,
        f"{document.title} ({document.get_kind_display()})",
        absolute_url(document.get_absolute_url()),
        parent.title,
    )


def describe_answer(position):
    detail = position.outcome.display_name.capitalize()
    if position.answered_on:
        detail += f", {day(position.answered_on)}"
    return Item(
        Kind.ANSWER,
        postulate_title(position.postulate),
        absolute_url(position.postulate.get_absolute_url()),
        detail,
    )


def changes(revision):
    """What the revision changed, in words: the outcome's names, the other fields by name."""
    position = revision.position
    said = []
    if revision.outcome_id != position.outcome_id:
        said.append(
            _("było: %(before)s, jest: %(after)s")
            % {
                "before": revision.outcome.display_name,
                "after": position.outcome.display_name,
            }
        )
    for field in ("justification", "answered_on", "document_id", "department_id"):
        if getattr(revision, field) != getattr(position, field):
            said.append(str(Position._meta.get_field(field.removesuffix("_id")).verbose_name))
    if any(
        getattr(revision, field) != getattr(position, field)
        for field in ("commitment", "commitment_due_on", "commitment_fulfilled_on")
    ):
        said.append(str(Position._meta.get_field("commitment").verbose_name))
    return _("Zmieniono: %(changes)s") % {"changes": "; ".join(said)} if said else ""


def describe_revision(revision):
    postulate = revision.position.postulate
    return Item(
        Kind.REVISED_ANSWER,
        postulate_title(postulate),
        absolute_url(postulate.get_absolute_url()),
        changes(revision),
    )


def describe_link(link):
    earlier, later = link.to_postulate, link.from_postulate
    return Item(
        Kind.LINKED_POSTULATE,
        postulate_title(later),
        absolute_url(later.get_absolute_url()),
        _("%(kind)s: %(other)s")
        % {"kind": link.get_kind_display().capitalize(), "other": postulate_title(earlier)},
    )


def describe_commitment(position):
    state = position.commitment_state()
    return Item(
        Kind.COMMITMENT_DUE,
        postulate_title(position.postulate),
        absolute_url(position.postulate.get_absolute_url()),
        _("%(commitment)s – termin: %(due)s (%(state)s)")
        % {
            "commitment": shorten(position.commitment, 100),
            "due": day(position.commitment_due_on),
            "state": state.label if state else "",
        },
    )


POSTULATE = ("postulate",)
READERS = {
    Kind.MEETING: (Meeting.objects.only("title", "slug", "year", "starts_on"), describe_meeting),
    Kind.DOCUMENT: (
        Document.objects.select_related("meeting", "round").defer("text"),
        describe_document,
    ),
    Kind.ANSWER: (Position.objects.select_related("postulate", "outcome"), describe_answer),
    Kind.REVISED_ANSWER: (
        PositionRevision.objects.select_related(
            "outcome", "position__outcome", "position__postulate"
        ),
        describe_revision,
    ),
    Kind.LINKED_POSTULATE: (
        PostulateLink.objects.select_related("from_postulate", "to_postulate"),
        describe_link,
    ),
    Kind.COMMITMENT_DUE: (Position.objects.select_related("postulate"), describe_commitment),
}


class Catalogue:
    """The records of a batch's events, read once; items described per language on demand."""

    def __init__(self, events):
        self.events = {event.pk: event for event in events}
        by_kind = defaultdict(set)
        for event in events:
            by_kind[event.kind].add(event.object_id)
        self.records = {kind: READERS[kind][0].in_bulk(list(ids)) for kind, ids in by_kind.items()}
        self._items = {}

    def item(self, event_id, language):
        """The event's item in the active `language` (None if its record is gone)."""
        key = (event_id, language)
        if key not in self._items:
            event = self.events[event_id]
            record = self.records[event.kind].get(event.object_id)
            item = READERS[event.kind][1](record) if record else None
            if item:
                item.rendered = (item.text(), item.html())
            self._items[key] = item
        return self._items[key]


def grouped(items):
    """[(heading, [(text, html)])] in a fixed order of kinds, each in the order things
    happened; an item's text and HTML are written once however many messages list it."""
    groups = defaultdict(list)
    for item in items:
        groups[item.kind].append(item.rendered)
    return [(HEADINGS[kind], groups[kind]) for kind in ORDER if groups[kind]]
