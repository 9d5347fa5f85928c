"""Taking a person's name out of the archive in one step (RODO: consent withdrawn, a name
published by mistake), in one meeting's materials or the whole archive (Redactor.within):
every text of the archive's records, their kept earlier versions
(django-reversion's history and a position's earlier public versions), the admin's log and
the search text; the exports built before are deleted so none is served with the name again.

Page addresses (slugs) and stored file names naming the person are renamed too, and no
address naming them leads anywhere afterwards: the old one answers 404, where a redirect
would confirm the name. The register of each public record changed gets an entry
("usunięto dane osobowe") naming the fields, never the name. History keeps a Redaction
(who, when, how many places), never the name.
"""

import itertools
import json
import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from reversion.models import Revision, Version

from core.slugs import polish_slugify, unique_slug
from pagecache.generation import invalidate_on_commit
from pagecache.invalidation import is_archive_model
from search.models import Searchable
from search.text import INVISIBLE, as_read, fold, search_text, stem

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
    meeting: object = None

    @property
    def records(self):
        return len({(p.kind, p.record, p.admin_url) for p in self.places})

    @property
    def total(self):
        return sum(p.count for p in self.places)


# Polish letters by the plain letter they fold to: a name typed with or without them finds
# both spellings.
_POLISH = "ąćęłńóśźż"
_VARIANTS = {}
for _letter in _POLISH:
    _VARIANTS.setdefault(fold(_letter), set()).add(_letter)
TOKEN = re.compile(r"\w+")
# Endings of a name's forms the stem does not cut: a first name too short for it (folded:
# "Janem", "Annę", "Ewą") or an adjectival surname's ("Kowalskim", "Kowalskich").
NAME_ENDINGS = {"", "a", "e", "i", "o", "u", "y", "ie", "em", "om", "owi", "im", "ich", "iej"}
# What stands between a name's words in text: spaces, or the hyphen of a double surname.
NAME_GAP = r"\s+|\s*-\s*"
# After a first name's initial: its full stop.
INITIAL_GAP = r"\.\s*"


class Initial(str):
    """A first name's initial in a name's word order (folded): matches that letter alone."""


# What may stand between a name's letters in stored text (search.text.as_read reads past it).
BETWEEN_LETTERS = f"[{INVISIBLE} ]?"


def _letter_class(letter):
    """A regular expression matching `letter` (folded) in either case, with or without its
    Polish diacritics, written out rather than left to a flag: PostgreSQL and SQLite ignore
    the case of different letters."""
    letters = {letter, *_VARIANTS.get(letter, ())}
    letters |= {other.upper() for other in letters}
    return "[" + "".join(re.escape(other) for other in sorted(letters)) + "]"


class Redactor:
    """Finds and replaces one person's name: in any letter case, with or without Polish
    letters, inflected ("Wiśniewskiej", "Lukasza"), the whole name as typed in either order.
    Whole words only: "Jan Kowal" leaves "Kowalski" and "Jan Kowalski" leaves "Kowal".

    Never the surname alone, though names_person (meetings.models) refuses that in new text:
    a refusal only stops a save, a redaction rewrites the archive, and a surname alone is also
    a word ("Nowa Huta", "Wydział Sportu", "testowo"). To redact a surname alone, the
    coordinator types it alone, after reading the preview."""

    def __init__(self, name, replacement=REPLACEMENT, meeting=None):
        self.name = " ".join(name.split())
        # The scope: one meeting's materials, or (None) the whole archive.
        self.meeting = meeting
        self._records = None
        self.folded = " ".join(fold(self.name).split())
        self.replacement = replacement
        words = self.folded.split()
        surname = [word for word in words[1:] or words if len(word) >= 3] or words
        self.terms = [stem(word) for word in words]
        self.surname = {stem(word) for word in surname}
        # The name as written and surname first ("Wiśniewska Zofia"), longest match first.
        self.orders = [self.terms]
        if len(self.terms) > 1:
            self.orders.append(self.terms[1:] + self.terms[:1])
            # The first name as its initial: "A. Kowalska", and after the surname, as lists
            # of people write it: "Kowalska A." (the capital letter alone, its full stop
            # left to the sentence).
            self.orders.append([Initial(words[0][0]), *self.terms[1:]])
            self.orders.append([*self.terms[1:], Initial(words[0][0])])

    @staticmethod
    def _is(word, term):
        """Whether the folded `word` is a form of the name's word `term` (its stem): its own
        stem, or its stem's (a possessive or plural ending: "Kowalskiego", "Nowakowa"), or a
        form the stem does not reach (NAME_ENDINGS): "Jana", "Anny", "Ewy", "Kowalskim"."""
        if isinstance(term, Initial):
            return word == term
        first = stem(word)
        if word == term or first == term or stem(first) == term:
            return True
        core = term[:-1] if term[-1:] in "aeiouy" and len(term) > 2 else term
        return word.startswith(core) and word[len(core) :] in NAME_ENDINGS

    def spans(self, text, gap=NAME_GAP):
        """(start, end) of each mention of the name in `text`; `gap`: what may stand
        between its words."""
        tokens = [(m.start(), m.end(), fold(m.group()).strip()) for m in TOKEN.finditer(text)]
        found, index = [], 0
        while index < len(tokens):
            matched = None
            for order in self.orders:
                window = tokens[index : index + len(order)]
                if len(window) == len(order) and all(
                    self._is(word, term) for (_s, _e, word), term in zip(window, order, strict=True)
                ):
                    gaps = [text[a[1] : b[0]] for a, b in itertools.pairwise(window)]
                    gap_patterns = [gap] * len(gaps)
                    if isinstance(order[0], Initial):
                        gap_patterns[0] = INITIAL_GAP
                    if isinstance(order[-1], Initial) and not _trailing_initial(
                        text, window[-1], gap
                    ):
                        continue
                    if all(re.fullmatch(p, g) for p, g in zip(gap_patterns, gaps, strict=True)):
                        matched = window
                        break
            if matched:
                end = matched[-1][1]
                if isinstance(order[-1], Initial):
                    # The initial's full stop, unless it ends the sentence too.
                    stop = INITIAL_STOP.match(text, end)
                    end = stop.end() if stop else end
                found.append((matched[0][0], end))
                index += len(matched)
            else:
                index += 1
        return found

    def count(self, text):
        return len(self.spans(as_read(text))) if text else 0

    def scrub(self, text, replacement=None, gap=NAME_GAP):
        """`text` with each mention replaced; one naming the person is read as a reader sees
        it (search.text.as_read: a soft hyphen or spaced letters inside the name)."""
        if not text:
            return text
        read = as_read(text)
        spans = self.spans(read, gap)
        if not spans:
            return text
        replacement = self.replacement if replacement is None else replacement
        for start, end in reversed(spans):
            read = read[:start] + replacement + read[end:]
        return read

    def scrub_slug(self, slug):
        return self.scrub(slug, polish_slugify(self.replacement), gap="-")

    def within(self, queryset):
        """`queryset` narrowed to the redaction's scope. One meeting's: the meeting, its
        persons, documents (their text versions, checks and easy-read summaries), postulates
        and answers, and the rows kept about those records (versions, the admin's log, the
        register, old addresses); a person named with a basis elsewhere stays named there."""
        if self.meeting is None:
            return queryset
        model = queryset.model
        names = {f.name for f in model._meta.concrete_fields}
        if {"content_type", "object_id"} <= names:
            query = Q(pk__in=[])
            for other, pks in self.records().items():
                content_type = ContentType.objects.get_for_model(other, for_concrete_model=False)
                query |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
            return queryset.filter(query)
        query = Q(pk__in=[])
        for path in paths_to_meeting(model):
            query |= Q(**{path: self.meeting.pk})
        return queryset.filter(query)

    def records(self):
        """{model: pks} of the meeting's materials, worked out once."""
        if self._records is None:
            self._records = {}
            for model in archive_models():
                if paths_to_meeting(model):
                    pks = list(
                        self.within(model._default_manager.all()).values_list("pk", flat=True)
                    )
                    if pks:
                        self._records[model] = pks
        return self._records

    def lookup(self, field_name):
        """A filter finding candidates in the database (the spans decide): each word of the
        surname's stem in any spelling, or as a JSON text escapes it (the admin's log)."""
        found = Q()
        for term in self.surname:
            pattern = BETWEEN_LETTERS.join(_letter_class(letter) for letter in term)
            found |= Q(**{f"{field_name}__regex": pattern})
        spellings = {self.name, self.name.lower(), self.name.title(), self.name.upper()}
        for needle in {json.dumps(s)[1:-1] for s in spellings} - spellings:
            found |= Q(**{f"{field_name}__icontains": needle})
        return found

    def scrub_json(self, value, renamed=None):
        """`value` (parsed JSON) scrubbed: an address or stored file name renamed by the
        redaction (`renamed`, {old: new}) as renamed, another such value as a slug."""
        renamed = renamed or {}
        if isinstance(value, str):
            if value in renamed:
                return renamed[value]
            if value and not any(c.isspace() for c in value) and re.search(r"[-/]", value):
                return self.scrub_slug(value)
            return self.scrub(value)
        if isinstance(value, list):
            return [self.scrub_json(v, renamed) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub_json(v, renamed) for k, v in value.items()}
        return value


# A full stop after an initial that does not end a sentence: what follows is lowercase or
# punctuation ("Kowalska A., Nowak J." or "Kowalska A. z fundacji").
INITIAL_STOP = re.compile(r"\.(?=\s*[,;:)\]]|\s+[a-ząćęłńóśźż])")


def _trailing_initial(text, token, gap):
    """Whether `token` (start, end, folded) after a surname is a first name's initial: a
    capital letter in text ("Kowalska a Nowak" is "and"), any letter in an address (`gap`
    "-": "kowalska-a")."""
    start, end, _word = token
    return gap == "-" or text[start:end].isupper()


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


def json_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]


def archive_models():
    """The models whose texts are scrubbed: the archive's own, the staff's signatures and the
    register's rows (their titles and signatures as written). Old addresses (permalinks) are
    deleted instead, by `_forget_addresses`."""
    return [
        m
        for m in apps.get_models()
        if is_archive_model(m)
        and not m._meta.proxy
        and m._meta.app_label not in ("history", "permalinks")
    ] + [apps.get_model("history", "StaffName"), apps.get_model("history", "RegisterEntry")]


def paths_to_meeting(model):
    """The lookups from `model` to the meeting its record belongs to (from the paths that
    scope it to departments through a meeting); none for what belongs to no meeting."""
    from meetings.models import Meeting

    if model is Meeting:
        return ["pk"]
    paths = [*getattr(model, "owner_paths", ()), *getattr(model, "owner_paths_if_unset", ())]
    found = [p.removesuffix("__departments") for p in paths if p.endswith("meeting__departments")]
    if not found and "document" in {f.name for f in model._meta.concrete_fields}:
        found = ["document__meeting"]  # a document's file check
    return found


# Fields holding an address: the name is taken out as from a slug.
ADDRESS_FIELDS = ("url",)


def _scrub_field(redactor, field, value):
    if field.name in ADDRESS_FIELDS:
        return redactor.scrub_slug(value)
    return redactor.scrub(value)


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
    return redactor.within(model._default_manager.filter(query)).order_by("pk")


def _renamed_slugs(redactor):
    """(record, slug field, new slug) of each record whose address names the person: the
    name replaced, kept unique among the record's siblings."""
    for model in archive_models():
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.SlugField):
                continue
            found = redactor.within(model._default_manager.filter(redactor.lookup(f.name)))
            for record in found.order_by("pk"):
                slug = getattr(record, f.attname)
                new = redactor.scrub_slug(slug)
                if new != slug:
                    yield record, f, unique_slug(record, new, _siblings(record, f), f.name)


def _siblings(record, field):
    """The records `record`'s slug must differ from (its unique constraints' other fields)."""
    model = type(record)
    if field.unique:
        return model._default_manager.all()
    query = Q(pk__in=[])
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field.name in constraint.fields:
            others = [model._meta.get_field(name) for name in constraint.fields]
            values = {o.attname: getattr(record, o.attname) for o in others if o != field}
            if None not in values.values():
                query |= Q(**values)
    return model._default_manager.filter(query)


def _renamed_files(redactor):
    """(document, new stored name) of each document whose stored file name names the
    person: the name replaced, in the same folder."""
    from meetings.models import Document

    for document in redactor.within(Document.objects.filter(redactor.lookup("file"))).order_by(
        "pk"
    ):
        folder, _slash, base = document.file.name.rpartition("/")
        new = redactor.scrub_slug(base)
        if new != base:
            yield document, f"{folder}/{new}" if folder else new


def plan(name, meeting=None):
    """What redacting `name` (in `meeting`'s materials, or everywhere) would change, for the
    coordinator's preview."""
    redactor = Redactor(name, meeting=meeting)
    places, slugs = [], []
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
    for record, f, _new in _renamed_slugs(redactor):
        kind = str(capfirst(record._meta.verbose_name))
        slugs.append(Place(kind, str(record), str(capfirst(f.verbose_name)), 1))
    for document, _new in _renamed_files(redactor):
        kind = str(capfirst(document._meta.verbose_name))
        slugs.append(
            Place(
                kind, str(document), str(capfirst(document._meta.get_field("file").verbose_name)), 1
            )
        )
    versions = sum(1 for _version, _data, _repr in _scrubbed_versions(redactor, {}))
    return Plan(
        redactor.name,
        places,
        versions,
        sum(1 for entry in _log_entries(redactor) if _scrub_log_entry(redactor, entry)),
        slugs,
        meeting,
    )


def _versions(redactor):
    return redactor.within(
        Version.objects.filter(redactor.lookup("serialized_data") | redactor.lookup("object_repr"))
    ).order_by("pk")


def _log_entries(redactor):
    return redactor.within(
        LogEntry.objects.filter(redactor.lookup("object_repr") | redactor.lookup("change_message"))
    ).order_by("pk")


def _scrub_log_entry(redactor, entry):
    """Scrubs `entry` in memory; whether anything changed. Its message is JSON (the names
    in it escaped): scrubbed as the values it holds."""
    before = (entry.object_repr, entry.change_message)
    entry.object_repr = redactor.scrub(entry.object_repr)
    try:
        message = json.loads(entry.change_message)
    except ValueError:
        entry.change_message = redactor.scrub(entry.change_message)
    else:
        entry.change_message = json.dumps(redactor.scrub_json(message))
    return (entry.object_repr, entry.change_message) != before


@transaction.atomic
def redact(name, user, replacement=REPLACEMENT, meeting=None):
    """Replaces `name` everywhere `plan` finds it (in `meeting`'s materials only, when
    given); returns the history.Redaction."""
    from history.entries import record_event
    from history.models import Redaction
    from history.register import Kind
    from meetings.models import Document, LegalBasis, Meeting, MeetingPerson

    redactor = Redactor(name, replacement, meeting)
    now = timezone.now()
    places = records = 0
    # {model: {pk: labels of the fields changed}}: the register's entries.
    changed_fields = {}
    # Old values of addresses and stored file names and their new ones, for the versions.
    renamed = {}
    for record, f, new in list(_renamed_slugs(redactor)):
        renamed[getattr(record, f.attname)] = new
        type(record)._default_manager.filter(pk=record.pk).update(**{f.attname: new})
        changed_fields.setdefault(type(record), {}).setdefault(record.pk, set()).add(
            str(capfirst(f.verbose_name))
        )
    for document, new in list(_renamed_files(redactor)):
        old = document.file.name
        with document.file.open("rb") as content:
            stored = document.file.storage.save(new, content)
        renamed[old] = stored
        type(document)._default_manager.filter(pk=document.pk).update(file=stored)
        transaction.on_commit(lambda storage=document.file.storage, old=old: storage.delete(old))
        changed_fields.setdefault(type(document), {}).setdefault(document.pk, set()).add(
            str(capfirst(document._meta.get_field("file").verbose_name))
        )
    _forget_addresses(redactor)
    for model in archive_models():
        fields = text_fields(model)
        if not fields:
            continue
        changed = []
        for record in _matching(model, redactor, fields).iterator(chunk_size=CHUNK):
            touched = []
            for f in fields:
                value = getattr(record, f.attname) or ""
                count = redactor.count(value)
                if value in renamed:
                    # A stored file's name kept beside it (a check's, a text version's source)
                    # follows the file, or the file would be read again as a new upload.
                    setattr(record, f.attname, renamed[value])
                    touched.append(str(capfirst(f.verbose_name)))
                elif count:
                    places += count
                    touched.append(str(capfirst(f.verbose_name)))
                    setattr(record, f.attname, _scrub_field(redactor, f, value))
                    if isinstance(record, Document) and f.name == "text":
                        # The file's own content still names the person: not served until
                        # a file without the name replaces it (Document.file_withdrawn).
                        record.file_withdrawn = True
            if isinstance(record, MeetingPerson) and touched:
                # The person is no longer named: no basis to publish a name is left.
                record.legal_basis, record.consent_on = LegalBasis.NONE, None
                people = str(capfirst(MeetingPerson._meta.verbose_name_plural))
                changed_fields.setdefault(Meeting, {}).setdefault(record.meeting_id, set()).add(
                    people
                )
            if touched:
                # What the text fields were rendered from (a text version's blocks read from
                # the file, OCR's pages): a later save renders them again.
                for f in json_fields(model):
                    setattr(record, f.attname, redactor.scrub_json(getattr(record, f.attname)))
                changed.append(record)
                changed_fields.setdefault(model, {}).setdefault(record.pk, set()).update(touched)
        if changed:
            records += len(changed)
            update = [f.name for f in fields + json_fields(model)]
            if model is MeetingPerson:
                update += ["legal_basis", "consent_on"]
            if model is Document:
                update.append("file_withdrawn")
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                # An editor's form opened before now would put the name back: it is refused
                # as stale (core.admin.RefusesStaleSaves).
                for record in changed:
                    record.updated_at = now
                update.append("updated_at")
            # No save(): the change is not an editor's edit (no new version keeping the
            # name's absence as "changed content" in the register), and update_fields keeps
            # the rest of each row as it is.
            model._default_manager.bulk_update(changed, update, batch_size=CHUNK)
            if issubclass(model, Searchable):
                _refresh_search_text(model, [r.pk for r in changed])
    # Records naming a changed one in their search text (a meeting, its organisation).
    for model in archive_models():
        if issubclass(model, Searchable):
            stale = redactor.within(
                model._default_manager.filter(search_text__contains=f" {redactor.folded} ")
            )
            _refresh_search_text(model, list(stale.values_list("pk", flat=True)))
    versions = _redact_versions(redactor, renamed)
    revisions = Revision.objects.filter(redactor.lookup("comment"))
    if meeting is not None:
        revisions = revisions.filter(
            pk__in=redactor.within(Version.objects.all()).values("revision_id")
        )
    for revision in revisions:
        revision.comment = redactor.scrub(revision.comment)
        revision.save(update_fields=["comment"])
    for entry in _log_entries(redactor):
        if _scrub_log_entry(redactor, entry):
            entry.save(update_fields=["object_repr", "change_message"])
    registered = _register_models()
    for model, by_pk in changed_fields.items():
        if model in registered:
            for pk, labels in by_pk.items():
                record_event(model, pk, Kind.REDACTED, user, sorted(labels))
    _forget_words(redactor)
    invalidate_on_commit()
    transaction.on_commit(drop_built_exports)
    return Redaction.objects.create(
        user=user, meeting=meeting, places=places, records=records, versions=versions
    )


def _register_models():
    from history.changes import register_models

    return register_models()


def _forget_addresses(redactor):
    """Deletes the kept old addresses (permalinks) naming the person: they answer 404 now,
    where a redirect would confirm the name. (The renamed records' addresses are changed
    without saving them, so they leave no new ones.)"""
    from permalinks.models import MovedPage

    for moved in redactor.within(MovedPage.objects.filter(redactor.lookup("old_path"))):
        if redactor.scrub_slug(moved.old_path) != moved.old_path:
            moved.delete()


def _forget_words(redactor):
    """Takes the name's words out of PostgreSQL's list of the words the archive holds (search
    migration 0003), which "Czy chodziło Ci o" offers from and which only ever grows: a word
    no record's search text holds any more is the redacted name's. (SQLite offers the
    meetings' search texts themselves, rebuilt above.)"""
    if connection.vendor != "postgresql":
        return
    searchable = [m for m in archive_models() if issubclass(m, Searchable)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM search_word WHERE word ~ %s",
            ["^(" + "|".join(re.escape(term[:3]) for term in redactor.terms) + ")"],
        )
        words = [row[0] for row in cursor.fetchall()]
    gone = [
        word
        for word in words
        if any(redactor._is(word, term) for term in redactor.terms)
        and not any(
            m._default_manager.filter(search_text__contains=f" {word} ").exists()
            for m in searchable
        )
    ]
    if gone:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_word WHERE word = ANY(%s)", [gone])


def _refresh_search_text(model, pks):
    for index in range(0, len(pks), CHUNK):
        batch = []
        for record in model._default_manager.filter(pk__in=pks[index : index + CHUNK]):
            record.search_text = search_text(*record.search_parts())
            batch.append(record)
        model._default_manager.bulk_update(batch, ["search_text"])


def _scrubbed_versions(redactor, renamed):
    """(version, new data, new representation) of each kept version naming the person (its
    words, not parts of other words: "Jan Kowal" leaves "Jan Kowalski")."""
    for version in _versions(redactor).iterator(chunk_size=CHUNK):
        data = version.serialized_data
        if version.format == "json":
            try:
                data = json.dumps(
                    redactor.scrub_json(json.loads(data), renamed),
                    ensure_ascii=False,
                    sort_keys=False,
                )
            except ValueError:
                data = redactor.scrub(data)
        else:
            data = redactor.scrub(data)
        representation = redactor.scrub(version.object_repr)
        if (data, representation) != (version.serialized_data, version.object_repr):
            yield version, data, representation


def _redact_versions(redactor, renamed):
    count = 0
    for version, data, representation in list(_scrubbed_versions(redactor, renamed)):
        Version.objects.filter(pk=version.pk).update(
            serialized_data=data, object_repr=representation
        )
        count += 1
    return count


def drop_built_exports():
    """The downloads built before hold the name: every build goes, the current ones and those
    kept for downloads in flight (opendata.builds.delete_every_build)."""
    from opendata.builds import delete_every_build

    delete_every_build()
