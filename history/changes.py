"""The site-wide change register (/rejestr-zmian/): every register entry of the public
records' pages within a period, from the same derivation as each page's own register
(history.register), so the two never disagree.

The records looked at are those with a version saved in the period or a publication time in
it (a scheduled republication); an entry a record owes only to its parent's withdrawal shows
under the parent. Each record is named only while it is public: a record withdrawn since is
listed by its kind alone, so no title it had only as a draft is ever shown.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import capfirst

from core.ownership import belonging_to
from history.register import PRE_HISTORY, histories, sign, versions_of

# Object ids asked at a time: below every database's limit of query parameters.
CHUNK = 500


def register_models():
    """The kinds of record whose pages carry a record card, in the order they are listed."""
    from meetings.models import Document, Meeting, Round
    from postulates.models import Position, Postulate

    return [Round, Meeting, Document, Postulate, Position]


@dataclass
class Change:
    entry: object  # history.register.Entry
    kind_of_record: str
    record: object | None  # the public record, None when it is not public now
    key: str = ""  # stable: its record's kind and id, and the moment

    @property
    def title(self):
        if self.record is None:
            return ""
        return getattr(self.record, "title", "") or str(self.record)

    @property
    def url(self):
        return self.record.get_absolute_url() if self.record is not None else ""


def changes(start, end, department=None, now=None):
    """The register entries dated from `start` (inclusive) to `end` (exclusive), newest
    first, of records of `department` (under any of its names) or of all."""
    now = now or timezone.now()
    memo = {}
    found = []
    for model in register_models():
        pks = _touched(model, start, end)
        if department is not None and pks:
            owned = set(
                model._default_manager.filter(pk__in=belonging_to(model, department)).values_list(
                    "pk", flat=True
                )
            )
            pks = [pk for pk in pks if pk in owned]
        record_histories = {}
        for index in range(0, len(pks), CHUNK):
            chunk = pks[index : index + CHUNK]
            record_histories.update(histories(model, chunk, now, memo, departments=False))
        public = _public_records(model, [pk for pk, h in record_histories.items() if h.entries])
        kind = str(capfirst(model._meta.verbose_name))
        for pk, record_history in record_histories.items():
            for entry in record_history.entries:
                if entry.own and start <= entry.at < end:
                    key = f"{model._meta.model_name}-{pk}-{entry.at:%Y%m%d%H%M%S%f}-{entry.kind}"
                    found.append(Change(entry, kind, public.get(pk), key))
    sign_changes(found)
    return sorted(found, key=lambda change: change.entry.at, reverse=True)


def sign_changes(found):
    from history.register import RecordHistory

    holder = RecordHistory(None, None, None, [change.entry for change in found])
    sign([holder])


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
    pks |= set(
        model._default_manager.filter(published_at__gte=start, published_at__lt=end).values_list(
            "pk", flat=True
        )
    )
    return sorted(pks)


def _public_records(model, pks):
    records = {}
    for index in range(0, len(pks), CHUNK):
        queryset = model._default_manager.published().filter(pk__in=pks[index : index + CHUNK])
        # What their addresses are built from.
        parents = [name for name in model.publication_parents if name != "year"]
        queryset = queryset.select_related(*parents)
        for record in queryset:
            records[record.pk] = record
    return records


def day_start(day):
    """The first moment of `day`, Polish time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
