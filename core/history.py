"""What a revision of the admin's history holds, what reverting to it would change, and the revert.

django-reversion records a record together with everything it follows (a meeting with its
days, departments, documents, postulates and their answers), so a revert brings back the
whole meeting screen. Storing all of those at every save buried each answer's own history
under meeting saves that never touched it; so a revision keeps a version only of the records
that changed, and lists the others (the `history` app thins each revision as it is saved, with
`versions_to_drop`, and keeps that list as the revision's `record_list`). Reverting to it
restores every record it holds as its latest version up to that revision; records followed
now that it does not hold (added since) are deleted. A revision without a list (recorded
before thinning, or with nothing to thin) holds a version of each of its records.

The kernel reads the list through the revision's `record_list` relation and imports no app;
without the `history` app nothing is thinned and every revision is whole.
"""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.db.models import Max
from django.db.models.deletion import Collector
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from reversion.errors import RevertError

# Private, but the very functions reversion's own revert uses: what a record follows, and
# restoring versions whose records depend on one another in whatever order succeeds.
from reversion.models import Version, _safe_revert
from reversion.revisions import (
    _follow_relations_recursive,
    _get_options,
    get_registered_models,
    is_registered,
)

from core.scoping import is_in_scope

# How much of a long value the list of changes shows.
SHOWN_CHARACTERS = 80


def compared_fields(model):
    """The fields whose change makes a version worth keeping and a revert worth showing: what
    editors edit, not what is derived (search text, file size) or bookkeeping (times)."""
    return [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]


def model_of(version):
    return ContentType.objects.get_for_id(version.content_type_id).model_class()


def key_of(version):
    return (version.content_type_id, version.object_id)


def record_key(record):
    return (ContentType.objects.get_for_model(record).pk, str(record.pk))


@cache
def _parent_links():
    """model -> [(model following it, the foreign key naming the followed record's parent)]:
    for a meeting's postulates, [(Meeting, "meeting")]."""
    links = defaultdict(list)
    for parent in get_registered_models():
        for name in _get_options(parent).follow:
            relation = parent._meta.get_field(name)
            if relation.one_to_many:  # a reverse foreign key, as every follow here is
                links[relation.related_model].append((parent, relation.field.name))
    return dict(links)


# --- Thinning a revision as it is saved -------------------------------------------------------


def versions_to_drop(revision, versions):
    """The versions of a just saved `revision` that are there only because a record they hang
    from was recorded (a meeting's postulates, when the meeting was saved) and that repeat
    their record's previous version: the revision lists their records instead, and a revert
    finds them as they were in that earlier version."""
    keys = {key_of(version) for version in versions}
    followed = [version for version in versions if _hangs_from(version, keys)]
    previous = _latest_versions_before(revision, [key_of(version) for version in followed])
    return [
        version
        for version in followed
        if key_of(version) in previous and _same(version, previous[key_of(version)])
    ]


def _hangs_from(version, keys):
    fields = _serialized_fields(version)
    if fields is None:
        return False
    for parent, foreign_key in _parent_links().get(model_of(version), ()):
        parent_id = fields.get(foreign_key)
        if parent_id is not None and record_key_for(parent, parent_id) in keys:
            return True
    return False


def record_key_for(model, pk):
    return (ContentType.objects.get_for_model(model).pk, str(pk))


def _serialized_fields(version):
    if version.format != "json":
        return None
    try:
        return json.loads(version.serialized_data)[0]["fields"]
    except (ValueError, LookupError, TypeError):
        return None


def _same(version, previous):
    """Whether `version` repeats `previous` in every field editors edit (compared as values:
    the same moment may be written in two time zones)."""
    try:
        now, then = version._object_version.object, previous._object_version.object
    except RevertError:
        return False
    return all(
        _comparable(f.value_from_object(now)) == _comparable(f.value_from_object(then))
        for f in compared_fields(model_of(version))
    )


def _latest_versions_before(revision, keys):
    """(content type id, object id) -> the latest version of that record saved before
    `revision`, for those of `keys` that have one."""
    ids_by_type = defaultdict(list)
    for content_type_id, object_id in keys:
        ids_by_type[content_type_id].append(object_id)
    latest = {}
    for content_type_id, object_ids in ids_by_type.items():
        # Chunked: a big meeting holds thousands of records, past SQLite's parameter limit.
        for start in range(0, len(object_ids), 500):
            pks = (
                Version.objects.filter(
                    content_type_id=content_type_id,
                    object_id__in=object_ids[start : start + 500],
                    revision_id__lt=revision.pk,
                )
                .values("object_id")
                .annotate(latest=Max("pk"))
                .values("latest")
            )
            for version in Version.objects.filter(pk__in=pks).select_related("content_type"):
                latest[key_of(version)] = version
    return latest


# --- What a revert to a revision does ---------------------------------------------------------


def revision_versions(revision):
    """Every record `revision` holds, as the version a revert restores: the revision's own
    versions and, for each record it lists without one, that record's latest version before."""
    versions = list(revision.version_set.select_related("content_type"))
    record_list = getattr(revision, "record_list", None)
    if record_list is None:
        return versions
    held = {key_of(version) for version in versions}
    missing = [tuple(key) for key in record_list.records if tuple(key) not in held]
    # A record whose versions were all pruned since has nothing to go back to: it stays.
    return versions + list(_latest_versions_before(revision, missing).values())


@dataclass
class RevertPlan:
    """What reverting to `revision` writes and deletes: checked against the user's departments
    (core.scoping), shown before the revert (changes_on_revert), then done (revert)."""

    revision: object
    # The version each record held by the revision goes back to.
    versions: list
    # (content type id, object id) -> the record as it is stored now; absent for a deleted one.
    stored: dict
    # Records that the revision's records follow now but it does not hold: added since.
    to_delete: list = field(default_factory=list)


def revert_plan(revision):
    versions = [version for version in revision_versions(revision) if model_of(version)]
    ids_by_model = defaultdict(list)
    for version in versions:
        ids_by_model[model_of(version)].append(version.object_id)
    stored = {}
    for model, ids in ids_by_model.items():
        for record in model._default_manager.filter(pk__in=ids):
            stored[record_key(record)] = record
    held = {key_of(version) for version in versions}
    to_delete = {
        record_key(related): related
        for record in stored.values()
        for related in _follow_relations_recursive(record)
        if record_key(related) not in held
    }
    return RevertPlan(revision, versions, stored, list(to_delete.values()))


def revert(plan):
    """Delete what was added since, then restore every held record as its version holds it.

    Deleted children first: the database refuses to delete a postulate before its answers
    (PROTECT). A ProtectedError still stops it all when something outside the revision points
    at a record to delete."""
    with transaction.atomic():
        by_model = defaultdict(list)
        for record in plan.to_delete:
            by_model[type(record)].append(record)
        for model in sorted(by_model, key=_depth, reverse=True):
            collector = Collector(using=router.db_for_write(model))
            collector.collect(by_model[model])
            collector.delete()
        if plan.versions:
            _safe_revert(plan.versions)


def _depth(model, seen=()):
    """How many follows down from a record nobody follows `model` is: a meeting 0, its
    postulates 1, their answers 2."""
    parents = [parent for parent, _fk in _parent_links().get(model, ()) if parent not in seen]
    return max((_depth(parent, (*seen, model)) + 1 for parent in parents), default=0)


# --- Showing it before the revert -------------------------------------------------------------


@dataclass
class RecordChange:
    """One record a revert touches, as the revert page lists it."""

    kind: str  # what the record is, e.g. "Postulat"
    name: str
    # (field label, value now, value after the revert), only the fields that change.
    fields: list = field(default_factory=list)


@dataclass
class RevertChanges:
    changed: list
    deleted: list  # added since the revision: the revert deletes them
    restored: list  # deleted since the revision: the revert brings them back

    def __bool__(self):
        return bool(self.changed or self.deleted or self.restored)

    def groups(self, records):
        """`records` as (kind, records) in order of first appearance."""
        grouped = defaultdict(list)
        for record in records:
            grouped[record.kind].append(record)
        return list(grouped.items())

    @property
    def deleted_groups(self):
        return self.groups(self.deleted)

    @property
    def restored_groups(self):
        return self.groups(self.restored)


def changes_on_revert(plan, user, first_model=None):
    """What reverting by `plan` changes, record by record, as `user` may see it: the fields
    that would change from their current value to the revision's, the records it would delete
    and the ones it would bring back. Records of `first_model` come first, then the records
    they follow, in the order they follow them."""
    changed, restored = [], []
    for version in sorted(plan.versions, key=lambda v: _order(model_of(v), v, first_model)):
        model = model_of(version)
        current = plan.stored.get(key_of(version))
        kind = capfirst(model._meta.verbose_name)
        if current is None:
            restored.append(RecordChange(kind, _short(version.object_repr)))
            continue
        try:
            then = version._object_version.object
        except RevertError:
            changed.append(
                RecordChange(kind, _short(str(current)), [(_("Zapis tej wersji"), "", "?")])
            )
            continue
        fields = [
            (capfirst(f.verbose_name), _shown(f, now, user), _shown(f, old, user))
            for f in compared_fields(model)
            if _comparable(now := f.value_from_object(current))
            != _comparable(old := f.value_from_object(then))
        ]
        if fields:
            changed.append(RecordChange(kind, _short(str(current)), fields))
    deleted = [
        RecordChange(capfirst(record._meta.verbose_name), _short(str(record)))
        for record in sorted(plan.to_delete, key=lambda r: _order(type(r), r, first_model, pk=r.pk))
    ]
    return RevertChanges(changed, deleted, restored)


def _order(model, record, first_model, pk=None):
    pk = record.object_id if pk is None else pk
    rank = _follow_rank(first_model).get(model, len(_follow_rank(first_model)))
    return (rank, model._meta.label, int(pk) if str(pk).isdigit() else 0, str(pk))


@cache
def _follow_rank(first_model):
    """Models in the order a record of `first_model` follows them (breadth first)."""
    order = [first_model] if first_model else []
    for model in order:
        for name in _get_options(model).follow if is_registered(model) else ():
            related = model._meta.get_field(name).related_model
            if related not in order:
                order.append(related)
    return {model: rank for rank, model in enumerate(order)}


def _comparable(value):
    """`value` as a version can hold it: a file by its name, a time to the millisecond (as
    the JSON of a version writes it)."""
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, datetime.datetime | datetime.time):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def _short(text):
    return Truncator(" ".join(str(text).split())).chars(SHOWN_CHARACTERS)


def _shown(model_field, value, user):
    """A field's value as the list of changes shows it: short, in words, and never a record
    of a department `user` does not work for."""
    value = _comparable(value)
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        related = model_field.related_model._base_manager.filter(pk=value).first()
        if related is None:
            return _("usunięty wpis nr %(pk)s") % {"pk": value}
        if not is_in_scope(user, related):
            return _("wpis innego wydziału")
        return _short(related)
    if model_field.choices:
        return _short(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("tak") if value else _("nie")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j.m.Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j.m.Y")
    return _short(value)
