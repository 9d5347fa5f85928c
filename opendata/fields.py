"""Fields of the exported records: one definition gives the JSON record, the documented schema
(schema.json and the /dane/ page) and, through the CSV columns, the CSV row, so they cannot
disagree."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from core.absolute_urls import absolute_url

# JSON types of exported values, with how /dane/ names them.
TYPE_LABELS = {
    "integer": "liczba całkowita",
    "string": "tekst",
    "boolean": "wartość logiczna (true/false)",
    "date": "data (RRRR-MM-DD)",
    "datetime": "data i godzina (ISO 8601)",
    "url": "adres URL",
    "object": "obiekt",
    "array": "lista",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    # record, context -> value; an object or a list of objects for fields with sub-fields.
    # None reads the record's key of the same name (records that are already dicts).
    value: Callable[[Any, "ExportContext"], Any] | None = None
    nullable: bool = False
    items: str = ""  # the type of a list's elements when they are not objects
    fields: tuple["Field", ...] = ()  # sub-fields of an object, or of a list's objects

    def __post_init__(self):
        # A mistake in a definition fails at import, not in a half-sent download.
        if self.type not in TYPE_LABELS:
            raise ValueError(f"{self.name}: unknown type {self.type!r}")
        if self.type == "array" and bool(self.items) == bool(self.fields):
            raise ValueError(f"{self.name}: a list needs either `items` or `fields`")

    def serialize(self, record, context):
        value = record[self.name] if self.value is None else self.value(record, context)
        if not self.fields or value is None:
            return value
        if self.type == "array":
            return [serialize(self.fields, item, context) for item in value]
        return serialize(self.fields, value, context)

    @property
    def type_label(self):
        if self.type == "array":
            label = "lista obiektów" if self.fields else f"lista: {TYPE_LABELS[self.items]}"
        else:
            label = TYPE_LABELS[self.type]
        return f"{label} lub null" if self.nullable else label

    def describe(self):
        """This field in schema.json."""
        description = {"nazwa": self.name, "typ": self.type, "null": self.nullable}
        if self.items:
            description["elementy"] = self.items
        description["opis"] = self.description
        if self.fields:
            description["pola"] = [sub.describe() for sub in self.fields]
        return description

    def flat(self, prefix=""):
        """(path, field) of this field and its sub-fields, for the tables on /dane/."""
        path = f"{prefix}{self.name}"
        yield path, self
        inner = f"{path}[]." if self.type == "array" else f"{path}."
        for sub in self.fields:
            yield from sub.flat(inner)


def flat_fields(fields):
    return [pair for field_ in fields for pair in field_.flat()]


def serialize(fields, record, context):
    return {field_.name: field_.serialize(record, context) for field_ in fields}


@dataclass
class ExportContext:
    """What values need besides the record: the scheme and host absolute addresses start
    with, the moment the export was taken and, for a filtered list, its query parameters."""

    base_url: str
    at: datetime.datetime | None = None
    query: QueryDict = field(default_factory=QueryDict)

    @classmethod
    def for_request(cls, request, at=None):
        return cls(absolute_url(""), at, request.GET)

    @classmethod
    def for_site(cls, at=None):
        """Without a request (files built ahead of it): the same canonical origin."""
        return cls(absolute_url(""), at)

    def url(self, path):
        return f"{self.base_url}{path}" if path else None

    def link(self, record):
        return self.url(record.get_absolute_url())


def link_fields(what):
    """The {tytul, adres} object naming a related record."""
    return (
        Field("tytul", "string", f"Tytuł {what}.", lambda r, c: r.title),
        Field("adres", "url", f"Adres strony {what} w archiwum.", lambda r, c: c.link(r)),
    )


# A position's commitment: the same three fields in the list exports and in the full export.
COMMITMENT_FIELDS = (
    Field(
        "zobowiazanie",
        "string",
        "Zobowiązanie Miasta; pusty tekst, jeśli brak.",
        lambda p, c: p.commitment,
    ),
    Field(
        "termin_zobowiazania",
        "date",
        "Termin wykonania zobowiązania.",
        lambda p, c: p.commitment_due_on,
        nullable=True,
    ),
    Field(
        "data_wykonania_zobowiazania",
        "date",
        "Data wykonania zobowiązania; brak, jeśli niewykonane.",
        lambda p, c: p.commitment_fulfilled_on,
        nullable=True,
    ),
)
