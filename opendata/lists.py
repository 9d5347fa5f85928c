"""CSV and JSON of the public meeting and postulate lists: every record the list shows for the
same query parameters (all pages), with the list's own filters and base queryset."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import reverse

from core.publishing import public_related
from core.streaming import DB_CHUNK_SIZE, csv_document, joined, json_document
from departments.models import Department
from meetings.models import Round
from opendata.envelope import envelope
from opendata.fields import (
    COMMITMENT_FIELDS,
    Field,
    flat_fields,
    link_fields,
    serialize,
)
from organisations.models import Organisation
from postulates.models import ANSWERS_OLDEST_FIRST, Postulate
from postulates.selectors import public_positions
from programmes.models import Programme


@dataclass(frozen=True)
class ListExport:
    name: str  # the downloaded file's name, without extension
    title: str
    list_url_name: str
    export_url_name: str  # + "_csv" or "_json"
    fields: tuple[Field, ...]
    # CSV columns: (Polish header, JSON record -> value); derived from the JSON record, so the
    # two formats always say the same.
    columns: tuple[tuple[str, Callable[[dict], Any]], ...]
    # Adds to the list's own queryset what the export reads besides what the page shows.
    prepare: Callable[[Any], Any]

    @property
    def csv_url_name(self):
        return f"{self.export_url_name}_csv"

    @property
    def json_url_name(self):
        return f"{self.export_url_name}_json"

    @property
    def flat_fields(self):
        return flat_fields(self.fields)

    @property
    def csv_headers(self):
        return [header for header, _ in self.columns]

    def describe(self, context):
        """This list's downloads in schema.json: their addresses, record fields and CSV
        columns, from the definitions that write them."""
        return {
            "tytul": self.title,
            "pliki": [
                context.url(reverse(self.csv_url_name)),
                context.url(reverse(self.json_url_name)),
            ],
            "opis": "Wszystkie rekordy listy (pełny plik) albo, z jej parametrami filtrów, te "
            "rekordy, które lista pokazuje. JSON: obiekt o polach z „koperta”, z rekordami w "
            "polu „dane”; CSV (UTF-8, średnik): jeden wiersz na rekord.",
            "pola": [field.describe() for field in self.fields],
            "kolumny_csv": self.csv_headers,
        }

    def records(self, queryset):
        return self.prepare(queryset).iterator(chunk_size=DB_CHUNK_SIZE)


# --- Meetings -----------------------------------------------------------------------------


def prepare_meetings(queryset):
    published_postulates = (
        Postulate.objects.published()
        .filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    # The list loads only what its page shows; the export also has the place and topic.
    return (
        queryset.defer(None)
        .defer("search_text")
        .annotate(
            export_round_title=public_related(Round, "round", "title"),
            export_programme_name=public_related(Programme, "programme", "short_name"),
            export_postulate_count=Coalesce(
                Subquery(published_postulates, output_field=IntegerField()), 0
            ),
        )
    )


DOCUMENT_FIELDS = (
    Field("tytul", "string", "Tytuł dokumentu.", lambda d, c: d.title),
    Field("rodzaj", "string", "Rodzaj dokumentu.", lambda d, c: d.get_kind_display()),
    Field("adres", "url", "Adres strony dokumentu w archiwum.", lambda d, c: c.link(d)),
    Field(
        "plik",
        "url",
        "Adres pobrania pliku; null, jeśli plik nie został jeszcze dołączony.",
        lambda d, c: c.url(d.get_download_url()),
        nullable=True,
    ),
)

MEETING_FIELDS = (
    Field("id", "integer", "Identyfikator spotkania w archiwum.", lambda m, c: m.pk),
    Field("adres", "url", "Adres strony spotkania.", lambda m, c: c.link(m)),
    Field("tytul", "string", "Tytuł spotkania.", lambda m, c: m.title),
    Field("rok", "integer", "Rok archiwum, do którego należy spotkanie.", lambda m, c: m.year_id),
    Field("rodzaj", "string", "Rodzaj spotkania.", lambda m, c: m.get_kind_display()),
    Field(
        "daty",
        "array",
        "Dni spotkania, od najwcześniejszego; pusta lista, jeśli daty nie podano.",
        lambda m, c: [day.date for day in m.public_dates],
        items="date",
    ),
    Field(
        "miejsce",
        "string",
        "Miejsce spotkania; pusty tekst, jeśli nie podano.",
        lambda m, c: m.place,
    ),
    Field("online", "boolean", "Czy spotkanie odbyło się online.", lambda m, c: m.is_online),
    Field(
        "wydzialy",
        "array",
        "Wydziały i jednostki prowadzące spotkanie, pod nazwami z czasu spotkania.",
        lambda m, c: [department.name for department in m.public_departments],
        items="string",
    ),
    Field(
        "cykl",
        "string",
        "Tytuł cyklu spotkań, do którego należy spotkanie.",
        lambda m, c: m.export_round_title,
        nullable=True,
    ),
    Field(
        "program",
        "string",
        "Nazwa skrócona programu współpracy przygotowywanego na spotkaniu.",
        lambda m, c: m.export_programme_name,
        nullable=True,
    ),
    Field(
        "temat", "string", "Temat spotkania; pusty tekst, jeśli nie podano.", lambda m, c: m.topic
    ),
    Field(
        "dokumenty",
        "array",
        "Opublikowane dokumenty spotkania.",
        lambda m, c: m.public_documents,
        fields=DOCUMENT_FIELDS,
    ),
    Field(
        "liczba_postulatow",
        "integer",
        "Liczba opublikowanych postulatów zgłoszonych na spotkaniu.",
        lambda m, c: m.export_postulate_count,
    ),
)

MEETINGS = ListExport(
    name="spotkania",
    title="Spotkania",
    list_url_name="meetings:list",
    export_url_name="opendata:meetings",
    fields=MEETING_FIELDS,
    columns=(
        ("Identyfikator", lambda r: r["id"]),
        ("Adres", lambda r: r["adres"]),
        ("Tytuł", lambda r: r["tytul"]),
        ("Rok", lambda r: r["rok"]),
        ("Rodzaj", lambda r: r["rodzaj"]),
        ("Daty", lambda r: r["daty"]),
        ("Miejsce", lambda r: r["miejsce"]),
        ("Online", lambda r: r["online"]),
        ("Wydziały i jednostki", lambda r: r["wydzialy"]),
        ("Cykl spotkań", lambda r: r["cykl"]),
        ("Program współpracy", lambda r: r["program"]),
        ("Temat", lambda r: r["temat"]),
        ("Liczba dokumentów", lambda r: len(r["dokumenty"])),
        ("Liczba postulatów", lambda r: r["liczba_postulatow"]),
    ),
    prepare=prepare_meetings,
)


# --- Postulates ---------------------------------------------------------------------------


# What POSTULATE_FIELDS and POSITION_FIELDS read (names, links, dates), and nothing else.
EXPORTED_POSTULATE_COLUMNS = (
    "number",
    "content",
    "meeting_id",
    "round_id",
    "area__name",
    "meeting__title",
    "meeting__year",
    "meeting__slug",
    "meeting__starts_on",
    "round__title",
    "round__year",
    "round__slug",
)
EXPORTED_POSITION_COLUMNS = (
    "postulate_id",
    "outcome__name",
    "justification",
    "answered_on",
    "commitment",
    "commitment_due_on",
    "commitment_fulfilled_on",
)


def prepare_postulates(queryset):
    # Oldest answer first, undated ones before dated, so the last one is the current answer
    # (as Postulate.current_position orders them), on every database.
    # Only the columns the files have: at 100,000 postulates, loading whole related records
    # (the page's documents, years and dates of every answer) took most of a build's time.
    positions = (
        public_positions()
        .select_related(None)
        .select_related("outcome")
        .only(*EXPORTED_POSITION_COLUMNS)
        .annotate(export_department_name=public_related(Department, "department", "name"))
        .order_by(*ANSWERS_OLDEST_FIRST)
    )
    # The page's prefetch of positions is replaced, not added to: Django refuses the same
    # lookup twice with different querysets. A plain list (to_attr) spares a queryset clone
    # per postulate, which counts at 100,000 rows.
    return (
        queryset.select_related(None)
        .select_related("area", "meeting", "round")
        .only(*EXPORTED_POSTULATE_COLUMNS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("positions", queryset=positions, to_attr="export_positions"))
        .annotate(
            export_organisation_name=public_related(Organisation, "organisation", "name"),
            export_department_name=public_related(Department, "responsible_department", "name"),
            export_programme_name=public_related(Programme, "programme", "short_name"),
        )
    )


POSITION_FIELDS = (
    Field("rozstrzygniecie", "string", "Rozstrzygnięcie.", lambda p, c: p.outcome.name),
    Field("uzasadnienie", "string", "Uzasadnienie stanowiska.", lambda p, c: p.justification),
    Field("data", "date", "Data stanowiska.", lambda p, c: p.answered_on, nullable=True),
    Field(
        "wydzial",
        "string",
        "Wydział lub jednostka, która zajęła stanowisko.",
        lambda p, c: p.export_department_name,
        nullable=True,
    ),
    *COMMITMENT_FIELDS,
)

POSTULATE_FIELDS = (
    Field("id", "integer", "Identyfikator postulatu w archiwum.", lambda p, c: p.pk),
    Field("adres", "url", "Adres strony postulatu.", lambda p, c: c.link(p)),
    Field("numer", "integer", "Numer postulatu na spotkaniu (lub w cyklu).", lambda p, c: p.number),
    Field(
        "rok",
        "integer",
        "Rok archiwum, w którym zgłoszono postulat (rok spotkania albo cyklu spotkań).",
        lambda p, c: p.year,
    ),
    Field("tresc", "string", "Treść postulatu.", lambda p, c: p.content),
    Field(
        "organizacja",
        "string",
        "Organizacja zgłaszająca; null, gdy postulat zgłosiła osoba prywatna (jej dane nie "
        "są publikowane) lub zgłaszającego nie podano.",
        lambda p, c: p.export_organisation_name,
        nullable=True,
    ),
    Field(
        "sfera",
        "string",
        "Sfera zadań publicznych.",
        lambda p, c: p.area.name if p.area_id else None,
        nullable=True,
    ),
    Field(
        "wydzial_wlasciwy",
        "string",
        "Wydział lub jednostka właściwa dla postulatu.",
        lambda p, c: p.export_department_name,
        nullable=True,
    ),
    Field(
        "program",
        "string",
        "Nazwa skrócona programu współpracy, którego dotyczy postulat.",
        lambda p, c: p.export_programme_name,
        nullable=True,
    ),
    Field(
        "spotkanie",
        "object",
        "Spotkanie, na którym zgłoszono postulat; null dla postulatów zgłoszonych w cyklu.",
        lambda p, c: p.meeting,
        nullable=True,
        fields=link_fields("spotkania"),
    ),
    Field(
        "cykl",
        "object",
        "Cykl spotkań, w którym zgłoszono postulat.",
        lambda p, c: p.round,
        nullable=True,
        fields=link_fields("cyklu"),
    ),
    Field(
        "data_spotkania",
        "date",
        "Pierwszy dzień spotkania.",
        lambda p, c: p.meeting.starts_on if p.meeting_id else None,
        nullable=True,
    ),
    Field(
        "stanowiska",
        "array",
        "Opublikowane stanowiska Miasta wobec postulatu, od najstarszego; ostatnie jest aktualne.",
        lambda p, c: p.export_positions,
        fields=POSITION_FIELDS,
    ),
)


def latest_position(record):
    return record["stanowiska"][-1] if record["stanowiska"] else {}


POSTULATES = ListExport(
    name="postulaty",
    title="Postulaty",
    list_url_name="postulates:list",
    export_url_name="opendata:postulates",
    fields=POSTULATE_FIELDS,
    columns=(
        ("Identyfikator", lambda r: r["id"]),
        ("Adres", lambda r: r["adres"]),
        ("Numer", lambda r: r["numer"]),
        ("Rok", lambda r: r["rok"]),
        ("Treść", lambda r: r["tresc"]),
        ("Organizacja", lambda r: r["organizacja"]),
        ("Sfera zadań publicznych", lambda r: r["sfera"]),
        ("Wydział właściwy", lambda r: r["wydzial_wlasciwy"]),
        ("Program współpracy", lambda r: r["program"]),
        ("Spotkanie", lambda r: (r["spotkanie"] or {}).get("tytul")),
        ("Adres spotkania", lambda r: (r["spotkanie"] or {}).get("adres")),
        ("Cykl spotkań", lambda r: (r["cykl"] or {}).get("tytul")),
        ("Data spotkania", lambda r: r["data_spotkania"]),
        (
            "Rozstrzygnięcie (ostatnie stanowisko)",
            lambda r: latest_position(r).get("rozstrzygniecie"),
        ),
        ("Uzasadnienie (ostatnie stanowisko)", lambda r: latest_position(r).get("uzasadnienie")),
        ("Data ostatniego stanowiska", lambda r: latest_position(r).get("data")),
        ("Liczba stanowisk", lambda r: len(r["stanowiska"])),
    ),
    prepare=prepare_postulates,
)


# --- Commitments --------------------------------------------------------------------------


def prepare_commitments(queryset):
    return (
        queryset.select_related(None)
        .select_related("outcome", "postulate__meeting", "postulate__round")
        .annotate(
            export_department_name=public_related(Department, "department", "name"),
            export_organisation_name=public_related(
                Organisation, "postulate__organisation", "name"
            ),
        )
    )


def postulate_fields(*names):
    by_name = {field_.name: field_ for field_ in POSTULATE_FIELDS}
    return tuple(by_name[name] for name in names)


# The postulate's and the answer's fields as the postulate export defines them, so the two
# files name, date and link a commitment the same way.
COMMITMENT_LIST_FIELDS = (
    Field(
        "postulat",
        "object",
        "Postulat, na który odpowiada stanowisko z zobowiązaniem.",
        lambda p, c: p.postulate,
        fields=postulate_fields("id", "adres", "numer", "rok", "spotkanie", "cykl"),
    ),
    Field(
        "organizacja",
        "string",
        "Organizacja zgłaszająca postulat; null, gdy zgłosiła go osoba prywatna (jej dane nie "
        "są publikowane) lub zgłaszającego nie podano.",
        lambda p, c: p.export_organisation_name,
        nullable=True,
    ),
    *POSITION_FIELDS,
    Field(
        "stan",
        "string",
        "Stan zobowiązania na dzień eksportu: wykonane, po-terminie, w-terminie albo bez-terminu.",
        lambda p, c: p.commitment_status,
    ),
)


def of_postulate(key):
    return lambda r: r["postulat"][key]


def title_of(key):
    return lambda r: (r["postulat"][key] or {}).get("tytul")


COMMITMENTS = ListExport(
    name="zobowiazania",
    title="Zobowiązania Miasta",
    list_url_name="postulates:commitments",
    export_url_name="opendata:commitments",
    fields=COMMITMENT_LIST_FIELDS,
    columns=(
        ("Identyfikator postulatu", of_postulate("id")),
        ("Adres postulatu", of_postulate("adres")),
        ("Numer postulatu", of_postulate("numer")),
        ("Rok", of_postulate("rok")),
        ("Spotkanie", title_of("spotkanie")),
        ("Cykl spotkań", title_of("cykl")),
        ("Organizacja", lambda r: r["organizacja"]),
        ("Odpowiada", lambda r: r["wydzial"]),
        ("Rozstrzygnięcie", lambda r: r["rozstrzygniecie"]),
        ("Data stanowiska", lambda r: r["data"]),
        ("Zobowiązanie", lambda r: r["zobowiazanie"]),
        ("Termin zobowiązania", lambda r: r["termin_zobowiazania"]),
        ("Data wykonania zobowiązania", lambda r: r["data_wykonania_zobowiazania"]),
        ("Stan", lambda r: r["stan"]),
    ),
    prepare=prepare_commitments,
)


# --- Responses ----------------------------------------------------------------------------


def invalid_filters_response(form, subject="eksportu"):
    """400 in plain Polish text naming each wrong parameter; never a broader file."""
    lines = [f"Nie można przygotować {subject}: popraw parametry filtrów."]
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        lines.append(f"{name} ({label}): {' '.join(errors)}")
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


def unknown_parameters_response(unknown, known, subject="eksportu"):
    """400 in plain Polish text naming each parameter the file does not read: a typo
    (?organizacia=) must not quietly give the whole list."""
    names = ", ".join(unknown)
    allowed = (
        f"Dozwolone parametry: {', '.join(sorted(known))}."
        if known
        else "Ten adres nie przyjmuje parametrów."
    )
    return HttpResponse(
        f"Nie można przygotować {subject}: nieznany parametr adresu: {names}.\n{allowed}\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def list_source_url(export, context):
    """The list's address with the same filters, without the page number."""
    params = context.query.copy()
    params.pop("page", None)
    query = params.urlencode()
    url = context.url(reverse(export.list_url_name))
    return f"{url}?{query}" if query else url


def list_document(export, queryset, context, file_format):
    """The CSV or JSON of every record of `queryset` (a filtered list), as pieces of text."""
    records = export.records(queryset)
    if file_format == "csv":
        rows = (serialize(export.fields, record, context) for record in records)
        return joined(csv_document(export.columns, rows))
    head = envelope(context, list_source_url(export, context), queryset.count())
    return joined(json_document(head, records, partial(serialize, export.fields, context=context)))
