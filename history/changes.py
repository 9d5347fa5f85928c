"""The site-wide change register (/rejestr-zmian/): every register entry of the public
records' pages within a period. Its lines are rows (history.RegisterEntry) written with each
change from the same derivation as each page's own register (history.register), so the two
never disagree and a page of the register reads a page of rows.

An entry a record owes only to its parent's withdrawal shows under the parent. Each record is
named only while it is public: a record withdrawn since is listed by its kind alone, so no
title it had only as a draft is ever shown.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from core.ownership import belonging_to
from history.register import PRE_HISTORY, Entry, histories, publishes, versions_of

# Object ids asked at a time: below every database's limit of query parameters.
CHUNK = 500


def register_models():
    """The kinds of record whose pages carry a record card, in the order they are listed, and
    what editors add to their pages: a document's corrected text version, an easy-read
    summary."""
    from accessibility.models import DocumentText, EasyReadSummary
    from departments.models import Department
    from meetings.models import Document, Meeting, Round
    from postulates.models import Position, Postulate

    return [
        Round,
        Meeting,
        Document,
        Postulate,
        Position,
        DocumentText,
        EasyReadSummary,
        Department,
    ]


def _of_department(model, department):
    """The pks of `model`'s records listed under `department` (any of its names): what it
    owns, and for a department its own names' records."""
    from departments.models import Department

    if model is Department:
        return department.lineage_ids()
    return belonging_to(model, department)


@dataclass
class Change:
    entry: object  # history.register.Entry
    kind_of_record: str
    record: object | None  # the public record, None when it is not public now
    key: str = ""  # stable: its record's kind and id, and the moment
    # The row's title and address as they were when it was written (history.entries).
    stored_title: str = ""
    stored_url: str = ""

    @property
    def title(self):
        if self.stored_title:
            return self.stored_title
        if self.record is None:
            return ""
        return getattr(self.record, "title", "") or str(self.record)

    @property
    def url(self):
        """The row's address, as the record had it at the change: an address it has left
        since leads to it still (permalinks keeps the old ones); "" once it is withdrawn
        (no link to a missing page)."""
        if self.record is None:
            return ""
        return self.stored_url or self.record.get_absolute_url()

    @property
    def withdrawn(self):
        return self.record is None


def entries(start, end, department=None, now=None):
    """The register's rows dated from `start` (inclusive) to `end` (exclusive) and not after
    `now`, newest first, of records of `department` (under any of its names) or of all: a
    queryset, to be paged, then made into Changes by `described`."""
    from history.models import RegisterEntry

    now = now or timezone.now()
    rows = RegisterEntry.objects.filter(at__gte=start, at__lt=min(end, now + TICK), listed=True)
    if department is not None:
        owned = Q(pk__in=[])
        for model in register_models():
            owned |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=_of_department(model, department),
            )
        rows = rows.filter(owned)
    return rows.order_by("-at", "-id")


# An entry at this very moment is listed (the end of the period is exclusive).
TICK = datetime.timedelta(microseconds=1)


def described(rows):
    """Changes for register rows: their records (only while public) read in a query per
    kind of record."""
    rows = list(rows)
    models = {ContentType.objects.get_for_model(model).pk: model for model in register_models()}
    by_model = {}
    for row in rows:
        by_model.setdefault(row.content_type_id, []).append(row.object_id)
    public = {
        type_id: _public_records(models[type_id], pks)
        for type_id, pks in by_model.items()
        if type_id in models
    }
    found = []
    for row in rows:
        model = models.get(row.content_type_id)
        if model is None:
            continue
        entry = Entry.from_row(row)
        key = change_key(model, row.object_id, row.at, row.kind)
        kind = str(capfirst(model._meta.verbose_name))
        record = public[row.content_type_id].get(row.object_id)
        found.append(Change(entry, kind, record, key, row.title, row.url))
    return found


def changes(start, end, department=None, now=None):
    """The Changes dated from `start` (inclusive) to `end` (exclusive), newest first."""
    return described(entries(start, end, department, now))


def derived_changes(start, end, department=None, now=None):
    """`changes` derived from the history itself rather than read from the rows: what the
    rows must always equal (tests), a few queries per hundred records touched."""
    now = now or timezone.now()
    memo = {}
    found = []
    for model in register_models():
        pks = _touched(model, start, end)
        if department is not None and pks:
            owned = set(
                model._default_manager.filter(pk__in=_of_department(model, department)).values_list(
                    "pk", flat=True
                )
            )
            pks = [pk for pk in pks if pk in owned]
        record_histories = {}
        for index in range(0, len(pks), CHUNK):
            chunk = pks[index : index + CHUNK]
            record_histories.update(histories(model, chunk, now, memo))
        public = _public_records(model, [pk for pk, h in record_histories.items() if h.entries])
        kind = str(capfirst(model._meta.verbose_name))
        for pk, record_history in record_histories.items():
            for entry in record_history.entries:
                if entry.own and start <= entry.at < end:
                    key = change_key(model, pk, entry.at, entry.kind)
                    found.append(Change(entry, kind, public.get(pk), key, entry.title))
    return sorted(found, key=lambda change: change.entry.at, reverse=True)


def change_key(model, pk, moment, kind):
    """Stable whatever time zone the moment was read in (the feed's entry ids)."""
    moment = moment.astimezone(datetime.UTC)
    return f"{model._meta.model_name}-{pk}-{moment:%Y%m%d%H%M%S%f}-{kind}"


def _touched(model, start, end):
    """Pks of `model`'s records with a version saved in the period (a little before, for a
    save that ended a piece), or a publication time in it."""
    saved = (
        versions_of(model)
        .filter(
            revision__date_created__gte=start - PRE_HISTORY,
            revision__date_created__lt=end,
        )
        .values_list("object_id", flat=True)
    )
    pks = {int(pk) for pk in saved.distinct() if str(pk).isdigit()}
    if publishes(model):
        published = model._default_manager.filter(published_at__gte=start, published_at__lt=end)
    else:  # changed outside the history (a text read from a new file), or its parent did
        published = model._default_manager.filter(updated_at__gte=start, updated_at__lt=end)
    pks |= set(published.values_list("pk", flat=True))
    return sorted(pks)


# What their addresses and names are built from, besides their publication parents: an
# answer is named by its outcome; a text version's address is its document's, under its
# meeting's or round's.
NAMED_BY = {
    "postulates.Position": ("outcome",),
    "accessibility.DocumentText": ("document__meeting", "document__round"),
    "accessibility.EasyReadSummary": ("document__meeting", "document__round"),
}


def _public_records(model, pks):
    records = {}
    for index in range(0, len(pks), CHUNK):
        queryset = model._default_manager.published().filter(pk__in=pks[index : index + CHUNK])
        parents = [name for name in model.publication_parents if name != "year"]
        related = [*parents, *NAMED_BY.get(model._meta.label, ())]
        if related:  # (with none, select_related() would follow every foreign key)
            queryset = queryset.select_related(*related)
        for record in queryset:
            records[record.pk] = record
    return records


def day_start(day):
    """The first moment of `day`, Polish time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
