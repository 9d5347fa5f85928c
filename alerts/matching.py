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

MATERIALS = {Kind.MEETING, Kind.DOCUMENT}
ABOUT_POSTULATES = {Kind.ANSWER, Kind.REVISED_ANSWER, Kind.LINKED_POSTULATE, Kind.COMMITMENT_DUE}
# What each kind of subscription hears about.
HEARS = {
    S.DEPARTMENT: MATERIALS | {Kind.ANSWER, Kind.REVISED_ANSWER, Kind.COMMITMENT_DUE},
    S.ORGANISATION: {Kind.MEETING} | ABOUT_POSTULATES,
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
    """Events indexed by what they concern, asked subscription by subscription."""

    def __init__(self, events):
        self.events = [event for event in events if event.announced]
        self.by = defaultdict(list)
        for event in self.events:
            self.by["kind", event.kind].append(event)
            for department in event.department_ids:
                self.by["department", department].append(event)
            for organisation in event.organisation_ids:
                self.by["organisation", organisation].append(event)
            for postulate in event.postulate_ids:
                self.by["postulate", postulate].append(event)
            if event.year is not None:
                self.by["year", event.year].append(event)
        self._lineages = {}
        self._lists = {}

    def lineage(self, department_id):
        if department_id not in self._lineages:
            department = Department.objects.filter(pk=department_id).first()
            self._lineages[department_id] = department.lineage_ids() if department else []
        return self._lineages[department_id]

    def listed(self, kind, query):
        """Ids of the meetings or postulates the list's filters keep, among the events'."""
        if (kind, query) not in self._lists:
            if kind == S.MEETING_LIST:
                ids = {event.meeting_id for event in self.events if event.meeting_id}
            else:
                ids = {p for event in self.events for p in event.postulate_ids}
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
            return [event for event in self.events if event.meeting_id in kept]
        return [event for event in self.events if kept.intersection(event.postulate_ids)]

    def matches(self, subscription, since=None):
        """The events `subscription` (a dict of SUBSCRIPTION_FIELDS) hears about, recorded
        after it was confirmed (and after `since`)."""
        hears = HEARS[subscription["kind"]]
        start = max(filter(None, (subscription["confirmed_at"], since)))
        return {
            event
            for event in self.candidates(subscription)
            if event.kind in hears and event.captured_at >= start
        }


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
