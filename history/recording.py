"""Each revision keeps versions of the records that changed, and lists the rest."""

from collections import defaultdict

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import router
from reversion.models import Revision, Version

from core.history import key_of, versions_to_drop
from core.publishing import Status
from history.models import RecordList


def keep_only_changes(sender, revision, versions, **kwargs):
    """After reversion saved `revision`: drop the versions that only repeat an unchanged
    record's previous one (a meeting's untouched postulates and answers, recorded because the
    meeting was saved), so a record's history shows only the saves that changed it."""
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
    from history.entries import register_models
    from history.register import publishes, versions_of

    if raw or instance.pk is None or not reversion.is_active():
        return
    if sender not in register_models() or not publishes(sender):
        return
    if (
        not reversion.is_registered(sender)
        or versions_of(sender).filter(object_id=str(instance.pk)).exists()
    ):
        return
    stored = sender._default_manager.filter(pk=instance.pk).first()
    # A draft's edits are no public change: its first version stays its editor's.
    if stored is None or stored.status != Status.PUBLISHED or stored.published_at is None:
        return
    revision = Revision.objects.create(date_created=stored.created_at, user=None, comment="")
    Version.objects.create(
        revision=revision,
        content_type=ContentType.objects.get_for_model(sender),
        object_id=str(stored.pk),
        db=router.db_for_write(sender),
        # As reversion serialises a record registered with its defaults (every field).
        format="json",
        serialized_data=serializers.serialize("json", [stored]),
        object_repr=str(stored),
    )
