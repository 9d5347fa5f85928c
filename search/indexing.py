"""Keeping records' search text current: in bulk (the update_search_text command) and when a
record named in others' text changes.

A meeting's text names its departments, the organisations that took part, its programme and
round, and a postulate's its organisation, but only while they are public (search_parts()
asks is_public): searching for a draft's name must find nothing. So saving any of them
(renamed, published, withdrawn) rewrites the text of the records that name it.
"""

from django.db.models.signals import post_save

from departments.models import Department
from meetings.models import Meeting, Round
from organisations.models import Organisation
from postulates.models import Postulate
from programmes.models import Programme
from search.kinds import KINDS
from search.models import DatedByMeeting, store_search_days
from search.text import search_text

BATCH = 2000
LOADED_FOR_TEXT = {kind.model: kind.load_for_text for kind in KINDS.values()}

# (record named, searchable model naming it, lookup from the second to the first)
NAMED_IN = (
    (Department, Meeting, "departments"),
    (Organisation, Meeting, "participants"),
    (Programme, Meeting, "programme"),
    (Round, Meeting, "round"),
    (Organisation, Postulate, "organisation"),
)


def update_search_text(model, records):
    """Recompute and store the search text of `records` (of `model`), and the day it is
    ordered by (bulk loads skip save(), which keeps both); returns the count."""
    if issubclass(model, DatedByMeeting):
        store_search_days(records)
    batch, updated = [], 0
    for record in LOADED_FOR_TEXT[model](records).iterator(chunk_size=BATCH):
        record.search_text = search_text(*record.search_parts())
        batch.append(record)
        if len(batch) == BATCH:
            updated += model._default_manager.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        updated += model._default_manager.bulk_update(batch, ["search_text"])
    return updated


def refresh_records_naming(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures: load_archive recomputes everything once at the end
        return
    for named, model, lookup in NAMED_IN:
        if sender is named:
            naming = model._default_manager.filter(**{lookup: instance.pk}).order_by("pk")
            update_search_text(model, naming)


def connect():
    for named, _model, _lookup in NAMED_IN:
        post_save.connect(refresh_records_naming, sender=named, dispatch_uid=f"names-{named}")
