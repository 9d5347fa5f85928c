"""What counts as a published change, per kind, each read from the one definition of
"published" (the models' published() querysets, core.publishing.published_condition) and of
"belongs to" (core.ownership): this module states which records make an event and what the
event concerns, never when a record is public.

Each source finds the records public now that have no event yet; `still_public` asks again
before a message is sent, so an item withdrawn meanwhile is dropped."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from alerts.models import Event
from core.ownership import owner_ids_by_pk
from core.publishing import published_condition
from meetings.models import Document, Meeting
from postulates.models import (
    CommitmentState,
    Position,
    PositionRevision,
    Postulate,
    PostulateLink,
    commitment_overdue_condition,
    commitment_state_condition,
)

Kind = Event.Kind
# Records read at once when events are built.
CHUNK = 500


def without_event(queryset, kind):
    captured = Event.objects.filter(kind=kind, object_id=OuterRef("pk"))
    return queryset.filter(~Exists(captured))


def chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def latest(*moments):
    return max(filter(None, moments))


@dataclass
class Found:
    """An event to record: its kind, key, record and what it concerns."""

    kind: str
    key: str
    object_id: int
    happened_at: datetime.datetime
    meeting_id: int | None = None
    year: int | None = None
    postulate_ids: tuple = ()
    department_ids: tuple = ()
    organisation_ids: tuple = ()

    def event(self, now, announced):
        return Event(
            kind=self.kind,
            key=self.key,
            object_id=self.object_id,
            happened_at=self.happened_at,
            captured_at=now,
            announced=announced,
            dispatched=not announced,
            meeting_id=self.meeting_id,
            year=self.year,
            postulate_ids=sorted(set(self.postulate_ids)),
            department_ids=sorted(set(self.department_ids)),
            organisation_ids=sorted(set(self.organisation_ids)),
        )


def new_meetings(now):
    meetings = without_event(Meeting.objects.published(now), Kind.MEETING)
    for rows in chunks(meetings.values_list("pk", "year_id", "published_at", "year__published_at")):
        pks = [row[0] for row in rows]
        owners = owner_ids_by_pk(Meeting, pks)
        participants = {}
        for pk, organisation in Meeting.participants.through.objects.filter(
            meeting__in=pks
        ).values_list("meeting", "organisation"):
            participants.setdefault(pk, []).append(organisation)
        for pk, year, published_at, year_published_at in rows:
            yield Found(
                Kind.MEETING,
                f"meeting:{pk}",
                pk,
                latest(published_at, year_published_at),
                meeting_id=pk,
                year=year,
                department_ids=owners.get(pk, ()),
                organisation_ids=participants.get(pk, ()),
            )


def new_documents(now):
    documents = without_event(Document.objects.published(now), Kind.DOCUMENT)
    rows_query = documents.values_list(
        "pk",
        "meeting",
        Coalesce("meeting__year", "round__year"),
        "published_at",
        Coalesce("meeting__published_at", "round__published_at"),
    )
    for rows in chunks(rows_query):
        owners = owner_ids_by_pk(Document, [row[0] for row in rows])
        for pk, meeting, year, published_at, parent_published_at in rows:
            yield Found(
                Kind.DOCUMENT,
                f"document:{pk}",
                pk,
                latest(published_at, parent_published_at),
                meeting_id=meeting,
                year=year,
                department_ids=owners.get(pk, ()),
            )


POSITION_CONCERNS = (
    "postulate",
    "postulate__meeting",
    Coalesce("postulate__meeting__year", "postulate__round__year"),
    "postulate__organisation",
)


def new_answers(now):
    answers = without_event(Position.objects.published(now), Kind.ANSWER)
    rows_query = answers.values_list(
        "pk", "published_at", "postulate__published_at", *POSITION_CONCERNS
    )
    for rows in chunks(rows_query):
        owners = owner_ids_by_pk(Position, [row[0] for row in rows])
        for pk, published_at, postulate_published_at, postulate, meeting, year, org in rows:
            yield Found(
                Kind.ANSWER,
                f"answer:{pk}",
                pk,
                latest(published_at, postulate_published_at),
                meeting_id=meeting,
                year=year,
                postulate_ids=(postulate,),
                department_ids=owners.get(pk, ()),
                organisation_ids=(org,) if org else (),
            )


def revised_answers(now):
    """Earlier versions kept when a public answer was revised (postulates.services), of
    answers still public, kept after the answer itself was announced (a revision made before
    that is already in the announced answer)."""
    announced_before = Event.objects.filter(
        kind=Kind.ANSWER, object_id=OuterRef("position"), captured_at__lt=OuterRef("valid_to")
    )
    revisions = without_event(
        PositionRevision.objects.filter(
            published_condition(Position, "position__", at=now), Exists(announced_before)
        ),
        Kind.REVISED_ANSWER,
    )
    for rows in chunks(revisions.values_list("pk", "valid_to", "position")):
        positions = {row[2] for row in rows}
        concerns = {
            row[0]: row[1:]
            for row in Position.objects.filter(pk__in=positions).values_list(
                "pk", *POSITION_CONCERNS
            )
        }
        owners = owner_ids_by_pk(Position, positions)
        for pk, valid_to, position in rows:
            postulate, meeting, year, org = concerns[position]
            yield Found(
                Kind.REVISED_ANSWER,
                f"revision:{pk}",
                pk,
                valid_to,
                meeting_id=meeting,
                year=year,
                postulate_ids=(postulate,),
                department_ids=owners.get(position, ()),
                organisation_ids=(org,) if org else (),
            )


def new_links(now):
    """Links between two public postulates: each end's followers hear of the other."""
    links = without_event(
        PostulateLink.objects.filter(
            published_condition(Postulate, "from_postulate__", at=now),
            published_condition(Postulate, "to_postulate__", at=now),
        ),
        Kind.LINKED_POSTULATE,
    )
    rows_query = links.values_list(
        "pk",
        "from_postulate",
        "to_postulate",
        "from_postulate__organisation",
        "to_postulate__organisation",
        "from_postulate__published_at",
        "to_postulate__published_at",
        Coalesce("from_postulate__meeting__year", "from_postulate__round__year"),
    )
    for pk, first, second, first_org, second_org, first_at, second_at, year in rows_query:
        yield Found(
            Kind.LINKED_POSTULATE,
            f"link:{pk}",
            pk,
            latest(first_at, second_at),
            year=year,
            postulate_ids=(first, second),
            organisation_ids=tuple(filter(None, (first_org, second_org))),
        )


def commitment_due_condition(today):
    """Unfulfilled commitments whose due date has come: due today, or overdue."""
    return commitment_overdue_condition(today) | (
        commitment_state_condition(CommitmentState.ON_TIME, today) & Q(commitment_due_on=today)
    )


def commitments_due(now):
    """A public answer's commitment reaching its due date unfulfilled: once per due date (a
    new date set later is announced when it comes)."""
    today = timezone.localdate(now)
    due = Position.objects.published(now).filter(commitment_due_condition(today))
    rows = list(due.values_list("pk", "commitment_due_on", *POSITION_CONCERNS))
    keys = {f"commitment:{row[0]}:{row[1].isoformat()}": row for row in rows}
    known = set()
    for part in chunks(keys):
        known.update(Event.objects.filter(key__in=part).values_list("key", flat=True))
    fresh = {key: row for key, row in keys.items() if key not in known}
    owners = owner_ids_by_pk(Position, [row[0] for row in fresh.values()])
    for key, (pk, due_on, postulate, meeting, year, org) in fresh.items():
        yield Found(
            Kind.COMMITMENT_DUE,
            key,
            pk,
            timezone.make_aware(datetime.datetime.combine(due_on, datetime.time.min)),
            meeting_id=meeting,
            year=year,
            postulate_ids=(postulate,),
            department_ids=owners.get(pk, ()),
            organisation_ids=(org,) if org else (),
        )


# In the order they are looked for: an answer before its revisions.
FINDERS = (
    new_meetings,
    new_documents,
    new_answers,
    revised_answers,
    new_links,
    commitments_due,
)


def still_public(kind, object_ids, now=None):
    """The ids among `object_ids` (records of `kind`) whose change is still public now."""
    now = now or timezone.now()
    if kind == Kind.MEETING:
        queryset = Meeting.objects.published(now)
    elif kind == Kind.DOCUMENT:
        queryset = Document.objects.published(now)
    elif kind == Kind.ANSWER:
        queryset = Position.objects.published(now)
    elif kind == Kind.COMMITMENT_DUE:
        # Fulfilled meanwhile: nothing to tell any more.
        queryset = Position.objects.published(now).filter(
            commitment_due_condition(timezone.localdate(now))
        )
    elif kind == Kind.REVISED_ANSWER:
        queryset = PositionRevision.objects.filter(
            published_condition(Position, "position__", at=now)
        )
    else:
        queryset = PostulateLink.objects.filter(
            published_condition(Postulate, "from_postulate__", at=now),
            published_condition(Postulate, "to_postulate__", at=now),
        )
    return set(queryset.filter(pk__in=object_ids).values_list("pk", flat=True))
