"""A public record's card ("metryczka") and its page's change register, read from the rows
written with each change (history.RegisterEntry, by history.entries): what each row showed
when it was written (its signature above all), and one query for the rows of a page whatever
the number of its changes.
"""

import dataclasses

from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from core.ownership import owner_ids_by_pk
from history.register import PRE_HISTORY, Entry, Kind, RecordHistory


def cards(records, now=None):
    """{record: RecordHistory} of stored `records` (of any kinds) as the public sees them at
    `now`: one query for their rows."""
    from history.models import RegisterEntry

    now = now or timezone.now()
    records = list(records)
    if not records:
        return {}
    wanted = {}
    for record in records:
        wanted.setdefault(type(record), []).append(record.pk)
    condition = Q(pk__in=[])
    for model, pks in wanted.items():
        opts = model._meta
        # The content type joined, not read from the process's cache: a page's query count
        # does not depend on what was read before.
        condition |= Q(
            content_type__app_label=opts.app_label,
            content_type__model=opts.model_name,
            object_id__in=pks,
        )
    rows = (
        RegisterEntry.objects.filter(condition, at__lte=now)
        .select_related("content_type")
        .order_by("at", "pk")
    )
    by_record = {}
    for row in rows:
        key = (row.content_type.app_label, row.content_type.model, row.object_id)
        by_record.setdefault(key, []).append(row)
    return {
        record: _card(
            record, by_record.get((record._meta.app_label, record._meta.model_name, record.pk), [])
        )
        for record in records
    }


def card_of(record, now=None):
    return cards([record], now)[record]


def card_with_parts(record, parts, now=None):
    """`record`'s card whose register holds its `parts`' own changes too, each under its
    kind (a document's text version: a correction changes what the document's page offers,
    and the site-wide register lists it), in the one query of cards()."""
    parts = [part for part in parts if part is not None]
    found = cards([record, *parts], now)
    card = found[record]
    for part in parts:
        subject = str(capfirst(part._meta.verbose_name))
        for entry in found[part].entries:
            if entry.own:  # a withdrawal the part owes to the record is the record's
                entry.subject = subject
                card.entries.append(entry)
    card.entries.sort(key=lambda entry: entry.at)
    return card


def _card(record, rows):
    """A record's card from its rows, oldest first. A record no row was written for yet
    (bulk-loaded sample data, before `rebuild_change_register`) is taken, as the derivation
    takes a record loaded before its history began, as public since its stored publication
    time, with no change since."""
    # A record listed on another's page (a meeting's documents) is loaded without its
    # creation time, which only its own page's card shows: not read row by row.
    # A part of another's page (a document's text version) may keep no creation time.
    deferred = "created_at" in record.get_deferred_fields()
    card = RecordHistory(None if deferred else getattr(record, "created_at", None), None, None, [])
    if not rows and getattr(record, "is_published_own", False):
        card.first_published = record.published_at
        card.publication = Entry(record.published_at, Kind.PUBLISHED, None)
    for row in rows:
        entry = Entry.from_row(row)
        if row.kind == Kind.CREATED:
            card.created, card.entered_by_id, card.entered_by = row.at, row.user_id, entry.signature
        elif row.kind == Kind.PUBLISHED:
            card.first_published, card.publication = row.at, entry
            card.first_published_by_id = row.user_id
        else:
            card.entries.append(entry)
            if row.kind == Kind.REPUBLISHED:
                card.republished = row.at
    return card


def with_departments(record_histories, records):
    """Reads, in a query per ownership path and one more, the public departments publishing
    each of `records` (their `record_histories`, in the same order)."""
    from departments.models import Department

    ids = {}
    for model in {type(record) for record in records}:
        ids.update(
            {
                (model, pk): owners
                for pk, owners in owner_ids_by_pk(
                    model, [r.pk for r in records if type(r) is model]
                ).items()
            }
        )
    for found, record in zip(record_histories, records, strict=True):
        found.department_ids = ids.get((type(record), record.pk), set())
    wanted = set().union(*(found.department_ids for found in record_histories))
    departments = {d.pk: d for d in Department.objects.published().filter(pk__in=wanted)}
    for found in record_histories:
        found.departments = sorted(
            (departments[pk] for pk in found.department_ids if pk in departments),
            key=lambda d: d.name,
        )


def with_answers(postulate_history, positions, now=None):
    """A postulate's register with its answers' entries: each answer published after the
    postulate, revised or withdrawn, linking the earlier public version kept of it. Each of
    `positions` (with their `earlier_versions`) gets its own `record_history`."""
    positions = list(positions)
    found = cards(positions, now)
    entries = list(postulate_history.entries)
    for position in positions:
        position.record_history = answer = found[position]
        subject = str(capfirst(position._meta.verbose_name))
        first = answer.first_published
        if (
            first
            and postulate_history.first_published
            and first > postulate_history.first_published
        ):
            entries.append(
                dataclasses.replace(answer.publication, kind=Kind.ANSWERED, subject=subject)
            )
        for entry in answer.entries:
            entry.subject = subject
            if entry.kind in (Kind.REVISED, Kind.UNPUBLISHED, Kind.REPUBLISHED):
                entry.link = _earlier_version_link(position, entry.at)
            entries.append(entry)
    postulate_history.entries = sorted(entries, key=lambda entry: entry.at)
    return postulate_history


def with_documents(parent_history, documents, now=None):
    """A meeting's (or round's) register with its documents' entries, so its card's last
    change follows them: each document published after the parent, and each change of a
    document (a file replaced, a correction, a withdrawal of its own), under its title."""
    documents = list(documents)
    found = cards(documents, now)
    entries = list(parent_history.entries)
    parent_first = parent_history.first_published
    for document in documents:
        document_history = found[document]
        first = document_history.first_published
        if first and parent_first and first > parent_first and document_history.publication:
            entries.append(
                dataclasses.replace(
                    document_history.publication, kind=Kind.DOCUMENT_ADDED, subject=document.title
                )
            )
        for entry in document_history.entries:
            if entry.own:  # a withdrawal the document owes to its parent's is the parent's
                entry.subject = document.title
                entries.append(entry)
    parent_history.entries = sorted(entries, key=lambda entry: entry.at)
    return parent_history


def _earlier_version_link(position, moment):
    """The anchor of the earlier version of `position` replaced at `moment`: kept by the
    save (postulates.services), a moment after its revision's time, which is taken as the
    save's request began; the closest within PRE_HISTORY either way."""
    near = [
        revision
        for revision in getattr(position, "earlier_versions", ())
        if abs(revision.valid_to - moment) <= PRE_HISTORY
    ]
    if not near:
        return ""
    closest = min(near, key=lambda revision: abs(revision.valid_to - moment))
    return f"#position-version-{closest.pk}"
