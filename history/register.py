"""A public record's card ("metryczka") and change register ("rejestr zmian"), derived from
the admin's history (django-reversion) as each change is saved, and written as rows
(history.RegisterEntry, by history.entries): the pages read the rows (history.cards), so a
row shows what was true when it was written, and a page costs the same whatever the number of
changes.

Each version of a record holds its state from the moment its revision was saved until the
next one. A state is public from max(its publication time, the save) while the one definition
of published holds (core.publishing: own state and time, every publication parent public too):
so a scheduled publication counts from its scheduled moment, and a backdated one from the
save that made it public. The pieces of time a record was public give:

- its first publication (the start of the first piece) and its last change;
- its register: a change of the public fields from one public piece to the next (content
  corrected, document replaced, answer revised, moved), a gap between pieces (unpublished,
  then republished) and an end (unpublished). A draft's edits before publication and a
  draft's values in between never show: only what was public at both ends is compared, and
  the register names the changed fields, never their values.

A record loaded before its history began (the real archive, sample data, bulk imports) is
taken as public since its stored publication time.
"""

import datetime
import itertools
import json
from dataclasses import dataclass, field

from django.db import models, router
from django.db.models.fields.files import FileField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from core.history import compared_fields
from core.publishing import Status

FOREVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)
LONG_AGO = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# A record whose first version was saved this long after the record itself existed before its
# history began (loaded in bulk): its stored publication time is trusted.
PRE_HISTORY = datetime.timedelta(minutes=1)
# Fields whose change moves a record to another page rather than correcting it.
MOVING_FIELDS = ("slug", "year")


class Kind(models.TextChoices):
    CORRECTED = "poprawiono", _("poprawiono treść")
    REPLACED = "wymieniono-plik", _("wymieniono plik dokumentu")
    REVISED = "zmieniono-stanowisko", _("zmieniono stanowisko")
    UNPUBLISHED = "wycofano", _("wycofano z publikacji")
    REPUBLISHED = "ponownie", _("opublikowano ponownie")
    MOVED = "przeniesiono", _("przeniesiono")
    ANSWERED = "odpowiedziano", _("opublikowano stanowisko")
    REDACTED = "usunieto-dane", _("usunięto dane osobowe")
    # A record card's dates, kept as rows beside the changes, never listed as changes.
    CREATED = "utworzono", _("utworzono")
    PUBLISHED = "opublikowano", _("udostępniono")
    DOCUMENT_ADDED = "dodano-dokument", _("opublikowano dokument")


# The kinds of rows that are a card's dates rather than changes.
CARD_KINDS = (Kind.CREATED, Kind.PUBLISHED)


@dataclass
class Entry:
    at: datetime.datetime
    kind: str
    user_id: int | None
    # Labels of the public fields that changed (never their values).
    fields: list = field(default_factory=list)
    signature: object = None  # history.models.Signature, as its row was written
    # What the entry is about when not the page's record itself ("Stanowisko"), and the
    # address of the earlier public version it replaced, where one is kept.
    subject: str = ""
    link: str = ""
    # False for a withdrawal or return the record owes to a parent's (a document's, when its
    # meeting was withdrawn): the site-wide register lists it under the parent only.
    own: bool = True
    # The record's public title at the entry (its state after the change, or before a
    # withdrawal), where its versions hold one; "" otherwise.
    title: str = ""
    # Its address's last part (slug) in that state, where it has one.
    slug: str = ""
    # Recorded as it happened (history.entries.record_event), not derived from versions.
    event: bool = False

    @property
    def kind_label(self):
        return Kind(self.kind).label

    @classmethod
    def from_row(cls, row):
        """The entry a register row (history.RegisterEntry) holds, signed as written."""
        return cls(
            row.at,
            row.kind,
            row.user_id,
            list(row.fields),
            signature=row.signature,
            own=row.listed,
            title=row.title,
            event=row.event,
        )

    @classmethod
    def derived(cls, model, kind, moment, user_id, piece, changed=(), own=True):
        """The entry of a change derived from a record's public pieces: `piece` is the public
        state it names (after the change, or before a withdrawal)."""
        fields = piece.fields if piece is not None else None
        return cls(
            moment,
            kind,
            user_id,
            _labels(changed),
            own=own,
            title=_title(model, fields),
            slug=((fields or {}).get("slug") or ""),
        )


@dataclass
class RecordHistory:
    created: datetime.datetime
    first_published: datetime.datetime | None
    entered_by_id: int | None
    entries: list
    entered_by: object = None  # history.models.Signature
    department_ids: set = field(default_factory=set)
    departments: list = field(default_factory=list)
    # Who made it public first (the first public piece's), and that publication as an entry
    # (history.cards: an answer's publication on its postulate's register).
    first_published_by_id: int | None = None
    publication: Entry | None = None
    # The latest return to publication after a withdrawal, if any: what the admin's
    # publication date holds then, while the first publication stays on the card.
    republished: datetime.datetime | None = None

    @property
    def last_changed(self):
        return self.entries[-1].at if self.entries else self.first_published


@dataclass
class _Piece:
    """A stretch of time a record was public in one state (`fields`, None for a parent)."""

    start: datetime.datetime
    end: datetime.datetime
    start_user: int | None
    end_user: int | None
    fields: dict | None = None
    # Whether the start and the end came from the record's own state (not a parent's).
    start_own: bool = True
    end_own: bool = True


def register_fields(model):
    """The fields the public sees of `model`: a position declares them; for the others, what
    editors edit apart from the publication state itself."""
    declared = getattr(model, "public_fields", None)
    if declared:
        return [model._meta.get_field(name) for name in declared]
    return [f for f in compared_fields(model) if f.name not in ("status", "published_at")]


def histories(model, pks, now=None, memo=None, events=True):
    """{pk: RecordHistory} for the stored records `pks` of `model`: a few queries whatever
    their number (their versions, their rows, their parents' histories); with `events`, the
    changes recorded as they happened too (history.entries.record_event).

    `memo`: a dict shared by the calls of one page, so parents already read (a postulate's,
    for its answers) are not read again."""
    now = now or timezone.now()
    states = _states(model, pks)
    pieces, created = public_pieces(model, pks, now, states, memo)
    recorded = _events(model, list(created), now) if events else {}
    result = {}
    for pk, created_at in created.items():
        record_pieces = pieces.get(pk, [])
        first_at, first_user, _fields = states.get(pk, [(None, None, None)])[0]
        result[pk] = RecordHistory(
            created=min(filter(None, (created_at, first_at))),
            first_published=record_pieces[0].start if record_pieces else None,
            entered_by_id=first_user,
            first_published_by_id=record_pieces[0].start_user if record_pieces else None,
            entries=sorted(
                [*_entries(model, record_pieces), *recorded.get(pk, [])], key=lambda e: e.at
            ),
        )
    return result


def _events(model, pks, now):
    """{pk: [Entry]} of the changes recorded as they happened (a redaction, a meeting's
    persons list), up to `now`."""
    from django.contrib.contenttypes.models import ContentType

    from history.models import RegisterEntry

    if not pks:
        return {}
    found = {}
    rows = RegisterEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=pks,
        event=True,
        at__lte=now,
    ).order_by("at", "pk")
    for row in rows:
        found.setdefault(row.object_id, []).append(Entry.from_row(row))
    return found


# --- The pieces of time a record was public -----------------------------------------------


def public_pieces(model, pks, now, states=None, memo=None):
    """{pk: [_Piece]} in time order, up to `now`: when each record was public, by its own
    state and time and its publication parents'; and {pk: created_at} of the records."""
    memo = {} if memo is None else memo
    known = {pk: memo[(model, pk)] for pk in pks if (model, pk) in memo}
    pks = [pk for pk in pks if pk is not None and pk not in known]
    if not pks:
        return {pk: pieces for pk, (pieces, _created) in known.items()}, {
            pk: created for pk, (_pieces, created) in known.items()
        }
    parent_fields = [model._meta.get_field(name) for name in model.publication_parents]
    own = publishes(model)
    # A record with no publication of its own keeps its public fields' stored values instead:
    # a save outside the history (a text read from a new file) changes them too.
    own_columns = ("status", "published_at", "created_at", "updated_at") if own else ("updated_at",)
    stored_fields = [] if own else register_fields(model)
    rows = {
        row[0]: row
        for row in model._default_manager.filter(pk__in=pks).values_list(
            "pk",
            *own_columns,
            *(f.attname for f in parent_fields),
            *(f.attname for f in stored_fields),
        )
    }
    if states is None:
        states = _states(model, list(rows))
    first_parent = 1 + len(own_columns)
    parents = {}
    for index, parent_field in enumerate(parent_fields):
        parent_ids = {row[first_parent + index] for row in rows.values()} - {None}
        parents[parent_field.name] = public_pieces(
            parent_field.related_model, parent_ids, now, memo=memo
        )[0]
    result, created = {}, {}
    for pk, row in rows.items():
        own_values = row[1:first_parent]
        parent_ids = row[first_parent : first_parent + len(parent_fields)]
        if own:
            own_pieces = _own_pieces(states.get(pk, []), *own_values)
            created[pk] = own_values[2]
        else:
            stored = dict(
                zip(
                    (f.name for f in stored_fields),
                    row[first_parent + len(parent_fields) :],
                    strict=True,
                )
            )
            own_pieces = _belonging_pieces(model, states.get(pk, []), stored, own_values[0])
            created[pk] = own_pieces[0].start
        for parent_field, parent_id in zip(parent_fields, parent_ids, strict=True):
            if parent_id is not None:
                own_pieces = _intersect(own_pieces, parents[parent_field.name].get(parent_id, []))
        result[pk] = _until(own_pieces, now)
        memo[(model, pk)] = (result[pk], created[pk])
    for pk, (pieces, created_at) in known.items():
        result[pk], created[pk] = pieces, created_at
    return result, created


def _states(model, pks):
    """{pk: [(moment, user id, fields)]}: each version of the records, oldest first."""
    versions = (
        versions_of(model)
        .filter(object_id__in=[str(pk) for pk in pks])
        .order_by("revision__date_created", "pk")
        .values_list(
            "object_id", "format", "serialized_data", "revision__date_created", "revision__user_id"
        )
    )
    pk_of = {str(pk): pk for pk in pks}
    states = {}
    for object_id, version_format, data, moment, user_id in versions.iterator(chunk_size=500):
        fields = _fields(version_format, data)
        if fields is not None and object_id in pk_of:
            states.setdefault(pk_of[object_id], []).append((moment, user_id, fields))
    return states


def versions_of(model):
    """The versions of `model`'s records, its content type joined in the same query (a page's
    query count does not depend on what the process has cached before)."""
    opts = model._meta
    # With its database alias too, as reversion records it: the lookup then walks the unique
    # index (db, content_type, object_id, revision) instead of every version of the model.
    return Version.objects.filter(
        db=router.db_for_write(model),
        content_type__app_label=opts.app_label,
        content_type__model=opts.model_name,
    )


def _fields(version_format, data):
    if version_format != "json":
        return None
    try:
        return json.loads(data)[0]["fields"]
    except (ValueError, LookupError, TypeError):
        return None


def _own_pieces(states, status, published_at, created_at, updated_at):
    """The pieces a record was public by its own state and time: one per version that was
    public for a while, and its stored state where no version holds it (saved outside the
    admin's history)."""
    stored = {"status": status, "published_at": published_at}
    # (moment, user id, fields, whether its publication time is taken as it stands)
    # A first version saved by no one (the real archive's load, a command) records what was
    # loaded, with the publication time it came with: that time is taken as it stands.
    states = [
        (moment, user_id, fields, index == 0 and user_id is None)
        for index, (moment, user_id, fields) in enumerate(states)
    ]
    if not states:
        states = [(created_at, None, stored, True)]
    else:
        first_moment, _user, first, _trusted = states[0]
        _state, first_at = _publication(first)
        if created_at < first_moment - PRE_HISTORY and first_at and first_at <= first_moment:
            # Loaded before its history began, with a publication time already: public since
            # then until its first recorded save (which may have withdrawn it).
            prior = {**first, "status": Status.PUBLISHED}
            states.insert(0, (created_at, None, prior, True))
        last_moment, _user, last, _trusted = states[-1]
        if _publication(last) != (status, _to_milliseconds(published_at)) and (
            updated_at > last_moment
        ):
            states.append((updated_at, None, {**last, **stored}, False))
    pieces = []
    for index, (moment, user_id, fields, trusted) in enumerate(states):
        following = states[index + 1] if index + 1 < len(states) else None
        end, end_user = (following[0], following[1]) if following else (FOREVER, None)
        state, at = _publication(fields)
        if state != Status.PUBLISHED or at is None:
            continue
        start = at if trusted else max(at, moment)
        if start < end:
            pieces.append(_Piece(start, end, user_id, end_user, fields))
    return pieces


def publishes(model):
    """Whether `model`'s records have a publication of their own (a state and a time); the
    others (a document's text version, an easy-read summary) are public exactly while the
    record they belong to is."""
    return any(f.name == "status" for f in model._meta.concrete_fields)


def _belonging_pieces(model, states, stored, updated_at):
    """The pieces of a record with no publication of its own: one per version, from its first
    on; before it, the state the model declares it held (`state_before_history`: a text
    version read from its file had no correction); after the last, its stored state where a
    save outside the history changed it."""
    pieces = [(moment, user_id, fields) for moment, user_id, fields in states]
    before = getattr(model, "state_before_history", None)
    if pieces and before is not None:
        # Public since its parent was: the parent's pieces bound it.
        _moment, _user, first = pieces[0]
        pieces.insert(0, (LONG_AGO, None, {**first, **before}))
    if not pieces:
        pieces = [(updated_at, None, stored)]
    else:
        last_moment, _user, last = pieces[-1]
        changed = any(last.get(name) != value for name, value in stored.items())
        if changed and updated_at > last_moment:
            pieces.append((updated_at, None, {**last, **stored}))
    return [
        _Piece(
            moment,
            pieces[index + 1][0] if index + 1 < len(pieces) else FOREVER,
            user_id,
            pieces[index + 1][1] if index + 1 < len(pieces) else None,
            fields,
        )
        for index, (moment, user_id, fields) in enumerate(pieces)
    ]


def _to_milliseconds(moment):
    """A time as a version's JSON holds it."""
    return moment and moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _publication(fields):
    at = fields.get("published_at")
    if isinstance(at, str):
        at = parse_datetime(at)
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at, datetime.UTC)
    return fields.get("status"), at


def _intersect(own, parent):
    """The parts of `own` pieces while a `parent` piece held, each keeping who began and
    ended it (the later start's, the earlier end's)."""
    result = []
    for piece in own:
        for other in parent:
            start_own = piece.start >= other.start
            end_own = piece.end <= other.end
            start = piece.start if start_own else other.start
            end = piece.end if end_own else other.end
            if start < end:
                result.append(
                    _Piece(
                        start,
                        end,
                        piece.start_user if start_own else other.start_user,
                        piece.end_user if end_own else other.end_user,
                        piece.fields,
                        start_own and piece.start_own,
                        end_own and piece.end_own,
                    )
                )
    return sorted(result, key=lambda p: p.start)


def _until(pieces, now):
    """Only what has happened by `now`: a scheduled publication is not public yet."""
    shown = []
    for piece in pieces:
        if piece.start > now:
            break
        if piece.end > now:
            piece = _Piece(
                piece.start, FOREVER, piece.start_user, None, piece.fields, piece.start_own
            )
        shown.append(piece)
    return shown


# --- The register --------------------------------------------------------------------------


def _entries(model, pieces):
    fields = register_fields(model)
    entries = []
    for before, after in itertools.pairwise(pieces):
        changed = [f for f in fields if _value(before.fields, f) != _value(after.fields, f)]
        if before.end == after.start:
            if changed:
                kind = _kind(model, changed)
                entries.append(
                    Entry.derived(model, kind, after.start, after.start_user, after, changed)
                )
            continue
        entries += [
            Entry.derived(
                model, Kind.UNPUBLISHED, before.end, before.end_user, before, own=before.end_own
            ),
            Entry.derived(
                model,
                Kind.REPUBLISHED,
                after.start,
                after.start_user,
                after,
                changed,
                own=after.start_own,
            ),
        ]
    if pieces and pieces[-1].end != FOREVER:
        last = pieces[-1]
        entries.append(
            Entry.derived(model, Kind.UNPUBLISHED, last.end, last.end_user, last, own=last.end_own)
        )
    return entries


def _title(model, fields):
    """The record's title in a public state (`fields` of a version): its own title, or its
    name built from its plain fields (a postulate's number and text). A record named by
    its relations (an answer) gets "", named when its row is written."""
    if not fields:
        return ""
    if "title" in fields:
        return fields["title"] or ""
    # Named by their relations: an answer (by its postulate), a text version or a summary (by
    # what it belongs to); named when the row is written.
    if getattr(model, "public_fields", None) or not publishes(model):
        return ""
    plain = {
        f.attname: fields[f.name]
        for f in model._meta.concrete_fields
        if not f.is_relation and f.name in fields and f.name not in ("created_at", "updated_at")
    }
    return str(model(**plain))


def _value(fields, model_field):
    return fields.get(model_field.name) if fields else None


def _kind(model, changed):
    if any(isinstance(f, FileField) for f in changed):
        return Kind.REPLACED
    if getattr(model, "public_fields", None):
        return Kind.REVISED
    moving = {*model.publication_parents, *MOVING_FIELDS}
    if any(f.name in moving for f in changed):
        return Kind.MOVED
    return Kind.CORRECTED


def _labels(changed):
    return [str(capfirst(f.verbose_name)) for f in changed]
