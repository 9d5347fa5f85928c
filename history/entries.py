"""Keeping the site-wide register's rows (history.RegisterEntry) equal to the derivation of
each record's register (history.register), in the transaction of the change itself:

- a revision (an admin save, a list action, a revert) rewrites the rows of the records it
  changed, as reversion commits it (post_revision_commit, inside its atomic block);
- a save or deletion outside a revision (a command, a bulk import) does the same at once;
- the records whose publication hangs on a changed one (a meeting's documents, postulates
  and their answers; a year's meetings and rounds) are rewritten with it.

Rows are derived with no "now": a scheduled publication's entry is stored dated at its
moment and the register lists it from then, without any job running at that moment.
`rebuild` derives every record's rows again (manage.py rebuild_change_register).
"""

import datetime
import functools

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from reversion.models import Version

from history.register import histories, publishes

CHUNK = 500
# Derivation up to the end of time: what is scheduled is stored ahead.
FOREVER = datetime.datetime.max.replace(tzinfo=datetime.UTC) - datetime.timedelta(days=2)


def register_models():
    from history.changes import register_models

    return register_models()


@functools.cache
def watched_models():
    """The register's kinds and what their publication hangs on besides each other."""
    from meetings.models import ArchiveYear

    return frozenset([*register_models(), ArchiveYear])


def _children(model, pks):
    """{register model: pks} of the records whose publication parent is one of `pks`."""
    found = {}
    for child in register_models():
        for name in child.publication_parents:
            if child._meta.get_field(name).related_model is model:
                ids = child._default_manager.filter(**{f"{name}__in": pks}).values_list(
                    "pk", flat=True
                )
                found.setdefault(child, set()).update(ids)
    return found


def with_descendants(changed):
    """`changed` ({model: pks}) with every record whose publication hangs on them."""
    result, queue = {}, list(changed.items())
    while queue:
        model, pks = queue.pop()
        new = set(pks) - result.get(model, set())
        if not new:
            continue
        result.setdefault(model, set()).update(new)
        queue.extend(_children(model, list(new)).items())
    return {model: pks for model, pks in result.items() if model in register_models()}


def write(model, pks):
    """Rewrites the rows of `model`'s records `pks` from their history."""
    from history.models import RegisterEntry

    content_type = ContentType.objects.get_for_model(model)
    pks = sorted(pks)
    for index in range(0, len(pks), CHUNK):
        chunk = pks[index : index + CHUNK]
        found = histories(model, chunk, now=FOREVER, departments=False)
        RegisterEntry.objects.filter(content_type=content_type, object_id__in=chunk).delete()
        RegisterEntry.objects.bulk_create(
            [
                RegisterEntry(
                    content_type=content_type,
                    object_id=pk,
                    at=entry.at,
                    kind=entry.kind,
                    user_id=entry.user_id,
                    fields=entry.fields,
                )
                for pk, record_history in found.items()
                for entry in record_history.entries
                # A withdrawal a record owes to its parent is listed under the parent.
                if entry.own
            ],
            batch_size=CHUNK,
        )


def refresh(changed):
    for model, pks in with_descendants(changed).items():
        write(model, pks)


def rebuild():
    """Every register row derived again from the history; returns the count."""
    from history.models import RegisterEntry

    with transaction.atomic():
        RegisterEntry.objects.all().delete()
        for model in register_models():
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            write(model, pks)
        return RegisterEntry.objects.count()


def revision_committed(sender, revision, versions, **kwargs):
    # After history.recording pruned the unchanged versions: the records that changed.
    by_type = {}
    for content_type_id, object_id in Version.objects.filter(revision=revision).values_list(
        "content_type_id", "object_id"
    ):
        by_type.setdefault(content_type_id, set()).add(object_id)
    models = {ContentType.objects.get_for_id(pk).model_class(): ids for pk, ids in by_type.items()}
    changed = {
        model: {int(pk) for pk in ids if str(pk).isdigit()}
        for model, ids in models.items()
        if model in watched_models()
    }
    if changed:
        refresh(changed)


def saved(sender, instance, raw=False, created=False, **kwargs):
    # Inside a revision block, the revision's commit rewrites the rows once, its versions
    # saved; fixtures' raw loads are rebuilt by the command. A new record public with its
    # parent (a text version read from a file) has no change to list yet.
    if raw or reversion.is_active() or sender not in watched_models():
        return
    if created and not publishes(sender):
        return
    refresh({sender: {instance.pk}})


def deleted(sender, instance, **kwargs):
    from history.models import RegisterEntry

    if sender in register_models():
        RegisterEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
        ).delete()


def connect():
    from reversion.signals import post_revision_commit

    post_revision_commit.connect(revision_committed, dispatch_uid="history_register_entries")
    post_save.connect(saved, dispatch_uid="history_register_entries_saved")
    post_delete.connect(deleted, dispatch_uid="history_register_entries_deleted")
