"""Each revision keeps versions of the records that changed, and lists the rest."""

from collections import defaultdict

from reversion.models import Version

from core.history import key_of, versions_to_drop
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
