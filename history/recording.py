"""Each revision keeps versions of the records that changed, and lists the rest."""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import router
from django.db.models import prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP
from reversion.models import Revision, Version

from core.history import key_of, record_key, versions_to_drop
from core.publishing import Status
from history.models import RecordList

# The records saved while the current revision is open: the others in it were only followed
# (a meeting's untouched postulates), and are as they were stored.
_saved_in_revision = ContextVar("saved_in_revision", default=None)


def note_saved(sender, instance, raw=False, **kwargs):
    """post_save: inside a revision, remember that `instance` was saved, not only followed."""
    if raw or not reversion.is_active():
        return
    saved = _saved_in_revision.get()
    if saved is None:
        saved = set()
        _saved_in_revision.set(saved)
    saved.add(record_key(instance))


def keep_state_of_followed(sender, revision, versions, **kwargs):
    """pre_revision_commit: an untouched record loaded in bulk (followed from the meeting
    saved) has no previous version to repeat. Its stored state is kept first, before the
    revision, as for one that is changed: keep_only_changes then drops this revision's copy
    as a repeat, and the record is not taken for this editor's (its card, its register)."""
    saved = _saved_in_revision.get() or set()
    followed = defaultdict(list)
    for version in versions:
        if (ContentType.objects.get_for_model(version._model).pk, version.object_id) not in saved:
            followed[version._model].append(version.object_id)
    for model, object_ids in followed.items():
        _keep_loaded_states(model, object_ids)


def keep_only_changes(sender, revision, versions, **kwargs):
    """After reversion saved `revision`: drop the versions that only repeat an unchanged
    record's previous one (a meeting's untouched postulates and answers, recorded because the
    meeting was saved), so a record's history shows only the saves that changed it."""
    _saved_in_revision.set(None)
    unchanged = versions_to_drop(revision, versions)
    if not unchanged:
        return
    RecordList.objects.create(
        revision=revision, records=[list(key_of(version)) for version in versions]
    )
    ids_by_type = defaultdict(list)
    for version in unchanged:
        ids_by_type[version.content_type_id].append(version.object_id)
    for content_type_id, object_ids in ids_by_type.items():
        Version.objects.filter(
            revision=revision, content_type_id=content_type_id, object_id__in=object_ids
        ).delete()


def keep_state_before_history(sender, instance, raw=False, **kwargs):
    """pre_save, inside a revision: a record loaded in bulk (sample data, load_archive, an
    import) has no version yet, so the revision would hold only its new state and the
    register could not tell what changed. Its stored state, when published, is kept first:
    a version in a revision of no one dated at the record's creation, so the register's
    "before" is the record as it was loaded (history.register reads such a first version
    as loaded then)."""
    if raw or instance.pk is None or not reversion.is_active():
        return
    _keep_loaded_states(sender, [instance.pk])


def _keep_loaded_states(model, pks):
    """Keeps the stored state of each of `model`'s records `pks` that is published and has
    no version as its first version: in a revision of no one, dated at its creation."""
    from history.entries import register_models
    from history.register import publishes, versions_of

    if model not in register_models() or not publishes(model):
        return
    if not reversion.is_registered(model):
        return
    pks = [str(pk) for pk in pks]
    earlier = versions_of(model).filter(object_id__in=pks)
    without_history = set(pks) - set(earlier.values_list("object_id", flat=True))
    if not without_history:
        return
    # A draft's edits are no public change: its first version stays its editor's.
    loaded = model._default_manager.filter(
        pk__in=without_history, status=Status.PUBLISHED, published_at__isnull=False
    )
    content_type = ContentType.objects.get_for_model(model)
    loaded = list(loaded)
    # In two statements, not two a record: a meeting's first save after a bulk load keeps
    # the states of all its postulates and answers at once.
    kept = Revision.objects.bulk_create(
        [Revision(date_created=stored.created_at, user=None, comment="") for stored in loaded]
    )
    Version.objects.bulk_create(
        Version(
            revision=revision,
            content_type=content_type,
            object_id=str(stored.pk),
            db=router.db_for_write(model),
            # As reversion serialises a record registered with its defaults (every field).
            format="json",
            serialized_data=serializers.serialize("json", [stored]),
            object_repr=str(stored),
        )
        for revision, stored in zip(kept, loaded, strict=True)
    )


@contextmanager
def followed_loaded_at_once(instance, *lookups):
    """Around a save of `instance` inside a revision: reversion follows its registered
    relations record by record (a meeting's postulates, each one's answers and links, each
    answer's outcome for its name: four queries a postulate). `lookups` prefetch them once,
    so the revision reads the same records in a few queries. The prefetched lists are
    dropped after the save: the inlines saved next change them."""
    if instance.pk is not None:  # a new record has nothing to follow yet
        prefetch_related_objects([instance], *lookups)
    try:
        yield
    finally:
        cache = getattr(instance, "_prefetched_objects_cache", {})
        for lookup in lookups:
            name = getattr(lookup, "prefetch_to", lookup).split(LOOKUP_SEP)[0]
            cache.pop(name, None)
