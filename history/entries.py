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
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.text import capfirst
from reversion.models import Version

from history.register import CARD_KINDS, Entry, Kind, histories, publishes

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


def _card_entries(model, record_history):
    """A record's card dates as rows: its creation (signed by who entered it) and its first
    publication (by who made it public), shown on its page, never listed as changes."""
    found = record_history
    yield Entry.derived(model, Kind.CREATED, found.created, found.entered_by_id, None, own=False)
    if found.first_published is not None:
        yield Entry.derived(
            model,
            Kind.PUBLISHED,
            found.first_published,
            found.first_published_by_id,
            None,
            own=False,
        )


def write(model, pks):
    """Rewrites the derived rows of `model`'s records `pks` from their history. A row that
    was there already keeps what it showed when first written (its title, address and
    signature); a new one takes them now."""
    from history.models import RegisterEntry

    content_type = ContentType.objects.get_for_model(model)
    pks = sorted(pks)
    for index in range(0, len(pks), CHUNK):
        chunk = pks[index : index + CHUNK]
        found = histories(model, chunk, now=FOREVER, events=False)
        derived = RegisterEntry.objects.filter(
            content_type=content_type, object_id__in=chunk, event=False
        )
        kept = {(row.object_id, row.at, row.kind, row.user_id): row for row in derived}
        last_url = {}
        for row in sorted(kept.values(), key=lambda row: row.at):
            if row.url:  # (a card's date links nothing)
                last_url[row.object_id] = row.url
        new = [
            (pk, entry)
            for pk, record_history in found.items()
            for entry in [*_card_entries(model, record_history), *record_history.entries]
        ]
        fresh = [
            (pk, entry)
            for pk, entry in new
            if (pk, entry.at, entry.kind, entry.user_id) not in kept
        ]
        public = _public_records(model, sorted({pk for pk, _entry in fresh}))
        hidden = {pk for pk, _entry in fresh if pk not in public and pk not in last_url}
        stored = model._default_manager.in_bulk(sorted(hidden)) if hidden else {}
        signatures = _signatures({entry.user_id for _pk, entry in fresh})
        derived.delete()
        rows = []
        for pk, entry in new:
            row = kept.get((pk, entry.at, entry.kind, entry.user_id))
            if row is None:
                row = _snapshot(public.get(pk), entry, signatures)
                # Withdrawn by this change: where it was public until now.
                row.url = row.url or last_url.get(pk, "") or _address(stored.get(pk), entry)
                if entry.kind in CARD_KINDS:  # a card's date names no title, links nothing
                    row.title = row.url = ""
            rows.append(
                RegisterEntry(
                    content_type=content_type,
                    object_id=pk,
                    at=entry.at,
                    kind=entry.kind,
                    user_id=entry.user_id,
                    fields=entry.fields,
                    title=row.title,
                    url=row.url,
                    signer_name=row.signer_name,
                    signer_role=row.signer_role,
                    unsigned=row.unsigned,
                    # A withdrawal a record owes to its parent is listed under the parent.
                    listed=entry.own,
                )
            )
        RegisterEntry.objects.bulk_create(rows, batch_size=CHUNK)


def _public_records(model, pks):
    from history.changes import _public_records

    return _public_records(model, pks)


def _address(record, entry):
    """The address of a record not public now, as it was in the public state of `entry`:
    only while its slug is still that state's (a draft's new address is never shown)."""
    if record is None or not entry.slug or getattr(record, "slug", None) != entry.slug:
        return ""
    return record.get_absolute_url()


def _signatures(user_ids):
    """{user id: (name, role, Unsigned)} as the accounts sign now: their public name and
    role, or, without one, whose editors they are (a department's, or the whole archive's
    for a coordinator). A change with no account (a command) is the archive's."""
    from django.contrib.auth import get_user_model

    from history.models import StaffName

    user_ids = {pk for pk in user_ids if pk is not None}
    if not user_ids:
        return {}
    found = {
        s.user_id: (s.name, s.role, "") for s in StaffName.objects.filter(user_id__in=user_ids)
    }
    unsigned = get_user_model().objects.filter(pk__in=user_ids - set(found))
    for user in unsigned.select_related("editor_profile"):
        found[user.pk] = ("", "", unsigned_as(user))
    return found


def unsigned_as(user):
    """Whose editors an account without a public name writes as: the whole archive's (a
    coordinator) or a department's."""
    from core.scoping import editable_department_ids
    from history.models import Unsigned

    whole = editable_department_ids(user) is None
    return Unsigned.ARCHIVE if whole else Unsigned.DEPARTMENT


def _snapshot(record, entry, signatures, title=""):
    """A row's title, address and signature as they are now (its fields unsaved)."""
    from history.models import RegisterEntry, Unsigned

    name, role, unsigned = signatures.get(entry.user_id, ("", "", Unsigned.ARCHIVE))
    title = title or entry.title
    if not title and record is not None:
        title = getattr(record, "title", "") or str(record)
    return RegisterEntry(
        title=title[:500],
        url=record.get_absolute_url() if record is not None else "",
        signer_name=name,
        signer_role=role,
        unsigned=unsigned,
    )


def record_event(model, pk, kind, user, fields):
    """A change of a public record its versions do not hold (a redaction, its persons
    list), in the register from now: on the record's page, with its last change, and in the
    site-wide register. Nothing for a record the public cannot see: draft edits are not
    public information. One save changing several of a meeting's persons is one entry."""
    from history.models import RegisterEntry
    from history.register import Entry

    record = _public_records(model, [pk]).get(pk)
    now = timezone.now()
    # Made public by this very save (with its persons): its publication is the entry. A
    # record public with its parent (a text version, a summary) has no publication of its own.
    published_at = getattr(record, "published_at", None)
    if record is None or (published_at is not None and published_at > now - SAME_SAVE):
        return None
    content_type = ContentType.objects.get_for_model(model)
    user_id = user.pk if user is not None and user.pk else None
    same = RegisterEntry.objects.filter(
        content_type=content_type,
        object_id=pk,
        kind=kind,
        user_id=user_id,
        event=True,
        at__gte=now - SAME_SAVE,
    ).first()
    if same is not None:
        same.fields = sorted({*same.fields, *fields})
        same.save(update_fields=["fields"])
        return same
    entry = Entry(now, kind, user_id, list(fields))
    row = _snapshot(record, entry, _signatures({user_id}))
    row.content_type, row.object_id, row.at, row.kind = content_type, pk, now, kind
    row.user_id, row.fields, row.event = user_id, list(fields), True
    row.save()
    # Its "last change" (sitemaps, the pages' caches, an editor's open form) moves with it.
    model._default_manager.filter(pk=pk).update(updated_at=now)
    return row


# Saves of one admin page (its persons one by one) within this time make one entry.
SAME_SAVE = datetime.timedelta(seconds=5)


def person_changed(sender, instance, raw=False, **kwargs):
    """A person added to a meeting, changed or removed changes what its page shows."""
    from meetings.models import Meeting, MeetingPerson

    if raw:
        return
    user = reversion.get_user() if reversion.is_active() else None
    label = str(capfirst(MeetingPerson._meta.verbose_name_plural))
    record_event(Meeting, instance.meeting_id, Kind.CORRECTED, user, [label])


def refresh(changed):
    for model, pks in with_descendants(changed).items():
        write(model, pks)


def _columns_present():
    """Whether the rows' table has every column of the model: not while migration 0004 (which
    created it and ran `rebuild`) runs before 0005 added the snapshot columns; 0005 rebuilds."""
    from history.models import RegisterEntry

    table = RegisterEntry._meta.db_table
    with connection.cursor() as cursor:
        present = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    return {f.column for f in RegisterEntry._meta.concrete_fields} <= present


def rebuild():
    """Every register row derived again from the history; returns the count. Rows recorded
    as they happened (a redaction) are kept."""
    from history.models import RegisterEntry

    if not _columns_present():
        return 0
    with transaction.atomic():
        for model in register_models():
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            RegisterEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model)
            ).exclude(object_id__in=model._default_manager.values("pk")).delete()
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
    from meetings.models import MeetingPerson

    for signal in (post_save, post_delete):
        signal.connect(person_changed, sender=MeetingPerson, dispatch_uid="history_persons")
