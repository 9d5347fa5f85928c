"""Which subscribers an event concerns: a subscription's target against what the event
concerns (alerts.sources stores it). Departments are matched across their names over time
(Department.lineage_ids, what every department filter means) and filtered lists through the
list's own filter classes, one query per distinct list however many follow it."""

from collections import defaultdict

from alerts.models import Event, Subscription
from alerts.targets import list_filterset
from departments.models import Department

Kind = Event.Kind
S = Subscription.Kind

MATERIALS = frozenset({Kind.MEETING.value, Kind.DOCUMENT.value})
ABOUT_POSTULATES = frozenset(
    {
        Kind.ANSWER.value,
        Kind.REVISED_ANSWER.value,
        Kind.LINKED_POSTULATE.value,
        Kind.COMMITMENT_DUE.value,
    }
)
# What each kind of subscription hears about.
HEARS = {
    S.DEPARTMENT: MATERIALS
    | {Kind.ANSWER.value, Kind.REVISED_ANSWER.value, Kind.COMMITMENT_DUE.value},
    S.ORGANISATION: {Kind.MEETING.value} | ABOUT_POSTULATES,
    S.POSTULATE: ABOUT_POSTULATES,
    S.YEAR: MATERIALS,
    S.ARCHIVE: MATERIALS,
    S.MEETING_LIST: MATERIALS,
    S.POSTULATE_LIST: ABOUT_POSTULATES,
}
SUBSCRIPTION_FIELDS = (
    "subscriber_id",
    "kind",
    "department_id",
    "organisation_id",
    "postulate_id",
    "year",
    "query",
    "confirmed_at",
)


class Matcher:
    """Events indexed by what they concern, asked subscription by subscription. Works on event
    ids (ints) throughout: at 10,000 digests a day, hashing model instances was most of the
    time."""

    def __init__(self, events):
        events = sorted(
            (event for event in events if event.announced),
            key=lambda event: (event.happened_at, event.pk),
        )
        # An event's place in the order things happened, for sorting a message's items.
        self.rank = {event.pk: place for place, event in enumerate(events)}
        self.kind = {event.pk: event.kind for event in events}
        self.captured_at = {event.pk: event.captured_at for event in events}
        self.meeting_id = {event.pk: event.meeting_id for event in events}
        self.postulate_ids = {event.pk: event.postulate_ids for event in events}
        self.by = defaultdict(list)
        for event in events:
            self.by["kind", event.kind].append(event.pk)
            for department in event.department_ids:
                self.by["department", department].append(event.pk)
            for organisation in event.organisation_ids:
                self.by["organisation", organisation].append(event.pk)
            for postulate in event.postulate_ids:
                self.by["postulate", postulate].append(event.pk)
            if event.year is not None:
                self.by["year", event.year].append(event.pk)
        self._lineages = {}
        self._lists = {}
        self._found = {}

    def lineage(self, department_id):
        if department_id not in self._lineages:
            department = Department.objects.filter(pk=department_id).first()
            self._lineages[department_id] = department.lineage_ids() if department else []
        return self._lineages[department_id]

    def listed(self, kind, query):
        """Ids of the meetings or postulates the list's filters keep, among the events'."""
        if (kind, query) not in self._lists:
            if kind == S.MEETING_LIST:
                ids = set(filter(None, self.meeting_id.values()))
            else:
                ids = {p for postulates in self.postulate_ids.values() for p in postulates}
            filterset = list_filterset(kind, query)
            kept = (
                set(filterset.qs.filter(pk__in=ids).values_list("pk", flat=True))
                if ids and filterset.is_valid()
                else set()
            )
            self._lists[kind, query] = kept
        return self._lists[kind, query]

    def candidates(self, subscription):
        kind = subscription["kind"]
        if kind == S.DEPARTMENT:
            found = []
            for department in self.lineage(subscription["department_id"]):
                found += self.by["department", department]
            return found
        if kind == S.ORGANISATION:
            return self.by["organisation", subscription["organisation_id"]]
        if kind == S.POSTULATE:
            return self.by["postulate", subscription["postulate_id"]]
        if kind == S.YEAR:
            return self.by["year", subscription["year"]]
        if kind == S.ARCHIVE:
            return self.by["kind", Kind.MEETING] + self.by["kind", Kind.DOCUMENT]
        kept = self.listed(kind, subscription["query"])
        if kind == S.MEETING_LIST:
            return [pk for pk, meeting in self.meeting_id.items() if meeting in kept]
        return [
            pk for pk, postulates in self.postulate_ids.items() if kept.intersection(postulates)
        ]

    def heard(self, subscription):
        """The ids of the events a target hears about (the same for everyone following it)."""
        kind = subscription["kind"]
        target = (
            kind,
            subscription["department_id"],
            subscription["organisation_id"],
            subscription["postulate_id"],
            subscription["year"],
            subscription["query"],
        )
        if target not in self._found:
            hears = HEARS[kind]
            self._found[target] = [
                pk for pk in self.candidates(subscription) if self.kind[pk] in hears
            ]
        return self._found[target]

    def matches(self, subscription, since=None):
        """The ids of the events `subscription` (a dict of SUBSCRIPTION_FIELDS) hears about,
        recorded after it was confirmed (and after `since`)."""
        start = max(filter(None, (subscription["confirmed_at"], since)))
        captured_at = self.captured_at
        return {pk for pk in self.heard(subscription) if captured_at[pk] >= start}

    def in_order(self, event_ids):
        return sorted(event_ids, key=self.rank.__getitem__)


def subscriptions_of(subscriber_ids, chunk=1000):
    """Confirmed subscriptions of the subscribers `subscriber_ids`, as dicts, by subscriber."""
    grouped = defaultdict(list)
    subscriber_ids = sorted(subscriber_ids)
    for start in range(0, len(subscriber_ids), chunk):
        rows = Subscription.objects.confirmed().filter(
            subscriber__in=subscriber_ids[start : start + chunk]
        )
        for row in rows.values(*SUBSCRIPTION_FIELDS).order_by("subscriber_id", "pk"):
            grouped[row["subscriber_id"]].append(row)
    return grouped
