"""Taking a person's name out of the whole archive in one step (RODO: consent withdrawn, a
name published by mistake): every text of the archive's records, their kept earlier versions
(django-reversion's history and a position's earlier public versions), the admin's log and
the search text; the exports built before are deleted so none is served with the name again.

History keeps a Redaction (who, when, how many places), never the name. Slugs (page
addresses) are not rewritten: an address kept by permalinks would bring the old one back;
the preview lists them for the editor to rename by hand.
"""

import json
import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from reversion.models import Revision, Version

from pagecache.generation import invalidate_on_commit
from pagecache.invalidation import is_archive_model
from search.models import Searchable
from search.text import fold, search_text

REPLACEMENT = "[dane osobowe usunięte]"
# A shorter string would take parts of unrelated words out of the archive.
MIN_LENGTH = 4
CHUNK = 500


@dataclass
class Place:
    """One field of one record where the name appears."""

    kind: str
    record: str
    field: str
    count: int
    admin_url: str = ""


@dataclass
class Plan:
    name: str
    places: list
    versions: int
    log_entries: int
    slugs: list

    @property
    def records(self):
        return len({(p.kind, p.record, p.admin_url) for p in self.places})

    @property
    def total(self):
        return sum(p.count for p in self.places)


class Redactor:
    """Finds and replaces one name: as typed (any case) and as the search text folds it."""

    def __init__(self, name, replacement=REPLACEMENT):
        self.name = " ".join(name.split())
        self.folded = " ".join(fold(self.name).split())
        self.replacement = replacement
        words = [re.escape(w) for w in self.name.split()]
        folded_words = [re.escape(w) for w in self.folded.split()]
        # Whole words only ("Nowak" leaves "Nowakowski"), any spacing between them.
        self.patterns = [
            re.compile(r"(?<!\w)" + r"\s+".join(w) + r"(?!\w)", re.IGNORECASE)
            for w in {tuple(words), tuple(folded_words)}
        ]

    def count(self, text):
        return sum(len(p.findall(text)) for p in self.patterns) if text else 0

    def scrub(self, text):
        for pattern in self.patterns:
            text = pattern.sub(self.replacement, text)
        return text

    def lookup(self, field_name):
        """A filter finding candidates in the database (the patterns decide)."""
        found = Q()
        # SQLite ignores the case of ASCII letters only ("Ś" is not "ś"): the usual ways of
        # writing a name are asked for too. A JSON text there holds non-ASCII letters
        # escaped ("\\u0144").
        spellings = {self.name, self.name.lower(), self.name.title(), self.name.upper()}
        needles = {self.folded, *spellings, *(json.dumps(s)[1:-1] for s in spellings)}
        for needle in needles:
            found |= Q(**{f"{field_name}__icontains": needle})
        return found

    def scrub_json(self, value):
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, list):
            return [self.scrub_json(v) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub_json(v) for k, v in value.items()}
        return value


def text_fields(model):
    """The free-text fields of `model` (not choices, slugs or the search text, rebuilt
    from the others)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not isinstance(f, models.SlugField)
        and not f.choices
        and f.name != "search_text"
    ]


def archive_models():
    return [
        m
        for m in apps.get_models()
        if is_archive_model(m) and not m._meta.proxy and m._meta.app_label != "history"
    ] + [apps.get_model("history", "StaffName")]


def _admin_url(record):
    opts = record._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


def _matching(model, redactor, fields):
    query = Q()
    for f in fields:
        query |= redactor.lookup(f.name)
    return model._default_manager.filter(query).order_by("pk")


def plan(name):
    """What redacting `name` would change, for the coordinator's preview."""
    redactor = Redactor(name)
    places, slugs = [], []
    slugged = "-".join(redactor.folded.split())
    for model in archive_models():
        fields = text_fields(model)
        kind = str(capfirst(model._meta.verbose_name))
        if fields:
            for record in _matching(model, redactor, fields).iterator(chunk_size=CHUNK):
                for f in fields:
                    count = redactor.count(getattr(record, f.attname) or "")
                    if count:
                        label = str(capfirst(f.verbose_name))
                        places.append(Place(kind, str(record), label, count, _admin_url(record)))
        slug_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.SlugField)]
        for f in slug_fields:
            for record in model._default_manager.filter(**{f"{f.name}__icontains": slugged}):
                slugs.append(Place(kind, str(record), str(capfirst(f.verbose_name)), 1))
    return Plan(
        redactor.name,
        places,
        _versions(redactor).count(),
        LogEntry.objects.filter(
            redactor.lookup("object_repr") | redactor.lookup("change_message")
        ).count(),
        slugs,
    )


def _versions(redactor):
    return Version.objects.filter(
        redactor.lookup("serialized_data") | redactor.lookup("object_repr")
    ).order_by("pk")


@transaction.atomic
def redact(name, user, replacement=REPLACEMENT):
    """Replaces `name` everywhere `plan` finds it; returns the history.Redaction."""
    from history.models import Redaction
    from meetings.models import LegalBasis, MeetingPerson

    redactor = Redactor(name, replacement)
    places = records = 0
    for model in archive_models():
        fields = text_fields(model)
        if not fields:
            continue
        changed = []
        for record in _matching(model, redactor, fields).iterator(chunk_size=CHUNK):
            touched = False
            for f in fields:
                value = getattr(record, f.attname) or ""
                count = redactor.count(value)
                if count:
                    places += count
                    touched = True
                    setattr(record, f.attname, redactor.scrub(value))
            if isinstance(record, MeetingPerson) and touched:
                # The person is no longer named: no basis to publish a name is left.
                record.legal_basis, record.consent_on = LegalBasis.NONE, None
            if touched:
                changed.append(record)
        if changed:
            records += len(changed)
            update = [f.name for f in fields]
            if model is MeetingPerson:
                update += ["legal_basis", "consent_on"]
            # No save(): the change is not an editor's edit (no new version keeping the
            # name's absence as "changed content" in the register), and update_fields keeps
            # the rest of each row as it is.
            model._default_manager.bulk_update(changed, update, batch_size=CHUNK)
            if issubclass(model, Searchable):
                _refresh_search_text(model, [r.pk for r in changed])
    # Records naming a changed one in their search text (a meeting, its organisation).
    for model in archive_models():
        if issubclass(model, Searchable):
            stale = model._default_manager.filter(search_text__contains=f" {redactor.folded} ")
            _refresh_search_text(model, list(stale.values_list("pk", flat=True)))
    versions = _redact_versions(redactor)
    for revision in Revision.objects.filter(redactor.lookup("comment")):
        revision.comment = redactor.scrub(revision.comment)
        revision.save(update_fields=["comment"])
    for entry in LogEntry.objects.filter(
        redactor.lookup("object_repr") | redactor.lookup("change_message")
    ):
        entry.object_repr = redactor.scrub(entry.object_repr)
        entry.change_message = redactor.scrub(entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])
    invalidate_on_commit()
    transaction.on_commit(drop_built_exports)
    return Redaction.objects.create(user=user, places=places, records=records, versions=versions)


def _refresh_search_text(model, pks):
    for index in range(0, len(pks), CHUNK):
        batch = []
        for record in model._default_manager.filter(pk__in=pks[index : index + CHUNK]):
            record.search_text = search_text(*record.search_parts())
            batch.append(record)
        model._default_manager.bulk_update(batch, ["search_text"])


def _redact_versions(redactor):
    count = 0
    for version in _versions(redactor).iterator(chunk_size=CHUNK):
        data = version.serialized_data
        if version.format == "json":
            try:
                data = json.dumps(
                    redactor.scrub_json(json.loads(data)), ensure_ascii=False, sort_keys=False
                )
            except ValueError:
                data = redactor.scrub(data)
        else:
            data = redactor.scrub(data)
        Version.objects.filter(pk=version.pk).update(
            serialized_data=data, object_repr=redactor.scrub(version.object_repr)
        )
        count += 1
    return count


def drop_built_exports():
    """The full downloads built before hold the name: delete them, so a download is built
    anew (a small archive at once, a big one by `manage.py build_exports`) and an old one is
    never served in the meantime."""
    from opendata.models import ExportFile

    for export in ExportFile.objects.all():
        if export.path and default_storage.exists(export.path):
            default_storage.delete(export.path)
        export.delete()
