"""The full export of all published data (/dane/archiwum.zip): one JSON file per entity, the
schema of every file and the licence. The files, their fields and their querysets are defined
once here; the ZIP, schema.json and the /dane/ page are all generated from this definition."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone

from core.publishing import public_related, published_condition
from core.streaming import DB_CHUNK_SIZE, dumps, json_document, zip_document
from departments.models import Department, DepartmentChange
from meetings.models import (
    ArchiveYear,
    Document,
    Meeting,
    MeetingDepartment,
    MeetingParticipant,
    Round,
)
from opendata.envelope import ENVELOPE_FIELDS, envelope
from opendata.fields import COMMITMENT_FIELDS, Field, flat_fields, serialize
from opendata.licence import licence_summary, licence_text
from opendata.lists import COMMITMENTS, MEETINGS, POSTULATES
from organisations.models import Organisation
from postulates.models import Outcome, Position, Postulate, PostulateLink, PublicTaskArea
from programmes.models import Programme
from stats.dimensions import DIMENSIONS
from stats.exports import statistics_columns

SCHEMA_FILE = "schema.json"
LICENCE_FILE = "LICENCJA.txt"


@dataclass(frozen=True)
class ArchiveFile:
    name: str
    title: str
    description: str
    # The moment "published" is judged at -> the queryset of the file's records. One moment
    # for the whole archive, so a record published mid-export cannot appear in one file only.
    queryset: Callable[[Any], Any]
    fields: tuple[Field, ...]

    def records(self, at):
        return self.queryset(at).iterator(chunk_size=DB_CHUNK_SIZE)

    @property
    def flat_fields(self):
        return flat_fields(self.fields)

    def describe(self):
        return {
            "plik": self.name,
            "tytul": self.title,
            "opis": self.description,
            "pola": [field.describe() for field in self.fields],
        }


def ident(what):
    return Field("id", "integer", f"Identyfikator {what} w archiwum.", lambda r, c: r.pk)


def page(what):
    return Field("adres", "url", f"Adres strony {what} w archiwum.", lambda r, c: c.link(r))


def slug(what, filter_name):
    """The readable identifier every filter of the lists takes (the end of the page's address),
    so a reuser need not cut it out of `adres`."""
    return Field(
        "slug",
        "string",
        f"Identyfikator słowny {what}: wartość filtru „{filter_name}” list archiwum i API "
        f"(np. /api/v1/postulaty/?{filter_name}=…). Zmienia się razem z adresem strony; "
        "stały jest „id”.",
        lambda r, c: r.slug,
    )


def reference(name, what, attribute, nullable=True):
    """The id of a related record, from the attribute holding it (null when not public)."""
    return Field(
        name,
        "integer",
        f"Identyfikator {what}.",
        lambda r, c: getattr(r, attribute),
        nullable=nullable,
    )


def text(name, description, attribute):
    return Field(name, "string", description, lambda r, c: getattr(r, attribute))


def label(name, description):
    """The Polish label of a choice field named `kind`."""
    return Field(name, "string", description, lambda r, c: r.get_kind_display())


EDITOR_NOTE = text(
    "uwaga_redakcji",
    "Sprostowanie lub wyjaśnienie redakcji archiwum; pusty tekst, jeśli brak.",
    "editor_note",
)


# --- Querysets: only published records, and references only to public ones -----------------


def years(at):
    return ArchiveYear.objects.published(at).order_by("year")


def departments(at):
    def changes(other):
        return DepartmentChange.objects.filter(
            published_condition(Department, f"{other}__", at)
        ).order_by(F("year").asc(nulls_first=True), "pk")

    return (
        Department.objects.published(at)
        .prefetch_related(
            Prefetch("predecessor_changes", queryset=changes("predecessor")),
            Prefetch("successor_changes", queryset=changes("successor")),
        )
        .order_by("pk")
    )


def organisations(at):
    return Organisation.objects.published(at).order_by("pk")


def programmes(at):
    return Programme.objects.published(at).order_by("first_year", "pk")


def rounds(at):
    return (
        Round.objects.published(at)
        .annotate(
            export_programme_id=public_related(Programme, "programme", at=at),
            export_coordinator_id=public_related(Department, "coordinator", at=at),
        )
        .order_by("year", "pk")
    )


def meetings(at):
    department_links = MeetingDepartment.objects.filter(
        published_condition(Department, "department__", at)
    ).order_by("pk")
    # Links of the published meetings below: each names its organisation.
    participant_links = MeetingParticipant.objects.filter(
        published_condition(Organisation, "organisation__", at, named=True)
    ).order_by("pk")
    return (
        Meeting.objects.published(at)
        .annotate(
            export_round_id=public_related(Round, "round", at=at),
            export_programme_id=public_related(Programme, "programme", at=at),
        )
        .prefetch_related(
            "dates",
            Prefetch("department_links", queryset=department_links),
            Prefetch("participant_links", queryset=participant_links),
        )
        .order_by("year", F("starts_on").asc(nulls_last=True), "pk")
    )


def documents(at):
    return (
        Document.objects.published(at)
        .select_related("meeting", "round")
        .order_by("meeting", "round", "order", "pk")
    )


def postulates(at):
    return (
        Postulate.objects.published(at)
        .annotate(
            export_organisation_id=public_related(Organisation, "organisation", at=at),
            export_department_id=public_related(Department, "responsible_department", at=at),
            export_programme_id=public_related(Programme, "programme", at=at),
            export_source_document_id=public_related(Document, "source_document", at=at),
        )
        .order_by("pk")
    )


def positions(at):
    return (
        Position.objects.published(at)
        .annotate(
            export_department_id=public_related(Department, "department", at=at),
            export_document_id=public_related(Document, "document", at=at),
        )
        .order_by("pk")
    )


def postulate_links(at):
    """Links between two published postulates only: a draft is never named, even by id."""
    published = Postulate.objects.published(at).values("pk")
    return PostulateLink.objects.filter(
        from_postulate__in=published, to_postulate__in=published
    ).order_by("pk")


def areas(at):
    return PublicTaskArea.objects.order_by("order", "name")


def outcomes(at):
    return Outcome.objects.order_by("order", "name")


# --- Files --------------------------------------------------------------------------------

CHANGE_FIELDS = {
    side: (
        Field(
            "id",
            "integer",
            f"Identyfikator {what} (w pliku wydzialy.json).",
            lambda change, c, side=side: getattr(change, f"{side}_id"),
        ),
        Field(
            "rodzaj_zmiany",
            "string",
            "Zmiana nazwy albo przejęcie zadań.",
            lambda change, c: change.get_kind_display(),
        ),
        Field("rok", "integer", "Rok zmiany.", lambda change, c: change.year, nullable=True),
        Field("opis", "string", "Opis zmiany.", lambda change, c: change.note),
    )
    for side, what in (("predecessor", "poprzednika"), ("successor", "następcy"))
}

ARCHIVE_FILES = (
    ArchiveFile(
        "lata.json",
        "Lata archiwum",
        "Lata, według których archiwum porządkuje spotkania.",
        years,
        (
            Field("rok", "integer", "Rok (jest zarazem identyfikatorem).", lambda y, c: y.year),
            page("roku"),
            text("wstep", "Wstęp do roku, jak na stronie roku.", "intro"),
        ),
    ),
    ArchiveFile(
        "wydzialy.json",
        "Wydziały i jednostki",
        "Wydziały Urzędu Miasta Krakowa i jednostki miejskie; każda nazwa jest osobnym "
        "rekordem, a zmiany nazw i przejęcia zadań łączą poprzedników z następcami.",
        departments,
        (
            ident("wydziału lub jednostki"),
            slug("wydziału lub jednostki", "wydzial"),
            text("nazwa", "Nazwa urzędowa.", "name"),
            text("skrot", "Skrót nazwy; pusty tekst, jeśli brak.", "abbreviation"),
            label("rodzaj", "Rodzaj: wydział, jednostka miejska lub centrum obywatelskie."),
            Field(
                "nazwa_od_roku",
                "integer",
                "Rok, od którego używano tej nazwy.",
                lambda d, c: d.name_used_from,
                nullable=True,
            ),
            Field(
                "nazwa_do_roku",
                "integer",
                "Rok, do którego używano tej nazwy; null, jeśli obowiązuje nadal.",
                lambda d, c: d.name_used_until,
                nullable=True,
            ),
            page("wydziału"),
            EDITOR_NOTE,
            Field(
                "poprzednicy",
                "array",
                "Wydziały, których nazwę lub zadania przejął ten wydział.",
                lambda d, c: d.predecessor_changes.all(),
                fields=CHANGE_FIELDS["predecessor"],
            ),
            Field(
                "nastepcy",
                "array",
                "Wydziały, które przejęły nazwę lub zadania tego wydziału.",
                lambda d, c: d.successor_changes.all(),
                fields=CHANGE_FIELDS["successor"],
            ),
        ),
    ),
    ArchiveFile(
        "organizacje.json",
        "Organizacje",
        "Organizacje pozarządowe i inne podmioty uczestniczące w spotkaniach lub zgłaszające "
        "postulaty.",
        organisations,
        (
            ident("organizacji"),
            slug("organizacji", "organizacja"),
            text("nazwa", "Nazwa organizacji.", "name"),
            label("rodzaj", "Rodzaj podmiotu."),
            page("organizacji"),
            EDITOR_NOTE,
        ),
    ),
    ArchiveFile(
        "programy.json",
        "Programy współpracy",
        "Roczne i wieloletnie programy współpracy Gminy Miejskiej Kraków z organizacjami "
        "pozarządowymi.",
        programmes,
        (
            ident("programu"),
            slug("programu", "program"),
            text("nazwa", "Pełna nazwa programu.", "title"),
            text("nazwa_skrocona", "Nazwa skrócona, np. RPW 2027.", "short_name"),
            label("rodzaj", "Program roczny albo wieloletni."),
            Field("od_roku", "integer", "Pierwszy rok programu.", lambda p, c: p.first_year),
            Field("do_roku", "integer", "Ostatni rok programu.", lambda p, c: p.last_year),
            page("programu"),
        ),
    ),
    ArchiveFile(
        "cykle.json",
        "Cykle spotkań",
        "Cykle spotkań przygotowujących jeden program współpracy.",
        rounds,
        (
            ident("cyklu"),
            Field("rok", "integer", "Rok archiwum (lata.json).", lambda r, c: r.year_id),
            text("tytul", "Tytuł cyklu.", "title"),
            page("cyklu"),
            text("opis", "Opis cyklu; pusty tekst, jeśli brak.", "description"),
            reference(
                "program_id", "przygotowywanego programu (programy.json)", "export_programme_id"
            ),
            reference(
                "wydzial_koordynujacy_id",
                "wydziału koordynującego (wydzialy.json)",
                "export_coordinator_id",
            ),
        ),
    ),
    ArchiveFile(
        "spotkania.json",
        "Spotkania",
        "Spotkania i szkolenia wydziałów z organizacjami pozarządowymi.",
        meetings,
        (
            ident("spotkania"),
            Field("rok", "integer", "Rok archiwum (lata.json).", lambda m, c: m.year_id),
            text("tytul", "Tytuł spotkania.", "title"),
            page("spotkania"),
            label("rodzaj", "Rodzaj spotkania."),
            Field(
                "daty",
                "array",
                "Dni spotkania, od najwcześniejszego; pusta lista, jeśli daty nie podano.",
                lambda m, c: [day.date for day in m.dates.all()],
                items="date",
            ),
            text("miejsce", "Miejsce; pusty tekst, jeśli nie podano.", "place"),
            Field(
                "online", "boolean", "Czy spotkanie odbyło się online.", lambda m, c: m.is_online
            ),
            text("temat", "Temat; pusty tekst, jeśli nie podano.", "topic"),
            EDITOR_NOTE,
            reference("cykl_id", "cyklu spotkań (cykle.json)", "export_round_id"),
            reference(
                "program_id", "przygotowywanego programu (programy.json)", "export_programme_id"
            ),
            Field(
                "wydzialy_id",
                "array",
                "Identyfikatory wydziałów i jednostek prowadzących spotkanie, pod nazwami z "
                "czasu spotkania (wydzialy.json).",
                lambda m, c: [link.department_id for link in m.department_links.all()],
                items="integer",
            ),
            Field(
                "organizacje_id",
                "array",
                "Identyfikatory organizacji uczestniczących (organizacje.json).",
                lambda m, c: [link.organisation_id for link in m.participant_links.all()],
                items="integer",
            ),
        ),
    ),
    ArchiveFile(
        "dokumenty.json",
        "Dokumenty",
        "Opis dokumentów spotkań i cykli z adresem pobrania pliku (bez samych plików).",
        documents,
        (
            ident("dokumentu"),
            reference(
                "spotkanie_id", "spotkania (spotkania.json); null dla dokumentu cyklu", "meeting_id"
            ),
            reference("cykl_id", "cyklu (cykle.json); null dla dokumentu spotkania", "round_id"),
            label("rodzaj", "Rodzaj dokumentu."),
            text("tytul", "Tytuł dokumentu.", "title"),
            page("dokumentu"),
            Field(
                "plik",
                "url",
                "Adres pobrania pliku; null, jeśli plik nie został jeszcze dołączony.",
                lambda d, c: c.url(d.get_download_url()),
                nullable=True,
            ),
            Field(
                "wersja_tekstowa",
                "url",
                "Adres wersji tekstowej pliku (strona HTML do czytania, powiększania i druku); "
                "null bez pliku.",
                lambda d, c: c.url(url) if (url := d.get_text_url()) else None,
                nullable=True,
            ),
            text("format", "Format pliku (np. PDF); pusty tekst bez pliku.", "file_format"),
            Field(
                "rozmiar",
                "integer",
                "Rozmiar pliku w bajtach.",
                lambda d, c: d.file_size,
                nullable=True,
            ),
            Field(
                "opublikowano",
                "datetime",
                "Chwila publikacji dokumentu.",
                lambda d, c: timezone.localtime(d.published_at).isoformat(timespec="seconds"),
            ),
            EDITOR_NOTE,
        ),
    ),
    ArchiveFile(
        "postulaty.json",
        "Postulaty",
        "Postulaty zgłoszone na spotkaniach lub w cyklach spotkań. Osoby prywatne nie są "
        "wymieniane: ich postulaty mają pustą organizację.",
        postulates,
        (
            ident("postulatu"),
            page("postulatu"),
            reference("spotkanie_id", "spotkania (spotkania.json)", "meeting_id"),
            reference("cykl_id", "cyklu spotkań (cykle.json)", "round_id"),
            Field(
                "numer",
                "integer",
                "Numer postulatu na spotkaniu lub w cyklu.",
                lambda p, c: p.number,
            ),
            text("tresc", "Treść postulatu.", "content"),
            reference(
                "organizacja_id",
                "organizacji zgłaszającej (organizacje.json); null, gdy zgłosiła osoba "
                "prywatna lub nie podano zgłaszającego",
                "export_organisation_id",
            ),
            reference("sfera_id", "sfery zadań publicznych (sfery.json)", "area_id"),
            reference(
                "wydzial_wlasciwy_id", "wydziału właściwego (wydzialy.json)", "export_department_id"
            ),
            reference(
                "program_id", "programu, którego dotyczy (programy.json)", "export_programme_id"
            ),
            reference(
                "zestawienie_id",
                "dokumentu z zestawieniem postulatów (dokumenty.json)",
                "export_source_document_id",
            ),
            EDITOR_NOTE,
        ),
    ),
    ArchiveFile(
        "stanowiska.json",
        "Stanowiska",
        "Stanowiska Miasta odpowiadające na postulaty.",
        positions,
        (
            ident("stanowiska"),
            reference("postulat_id", "postulatu (postulaty.json)", "postulate_id", nullable=False),
            reference(
                "rozstrzygniecie_id",
                "rozstrzygnięcia (rozstrzygniecia.json)",
                "outcome_id",
                nullable=False,
            ),
            text("uzasadnienie", "Uzasadnienie; pusty tekst, jeśli brak.", "justification"),
            Field("data", "date", "Data stanowiska.", lambda p, c: p.answered_on, nullable=True),
            reference(
                "wydzial_id", "wydziału odpowiadającego (wydzialy.json)", "export_department_id"
            ),
            reference("dokument_id", "dokumentu stanowiska (dokumenty.json)", "export_document_id"),
            *COMMITMENT_FIELDS,
        ),
    ),
    ArchiveFile(
        "powiazania_postulatow.json",
        "Powiązania postulatów",
        "Postulaty zgłoszone ponownie, kontynuowane, zdublowane lub połączone z innymi, także "
        "z innych lat.",
        postulate_links,
        (
            ident("powiązania"),
            reference(
                "postulat_id", "postulatu (postulaty.json)", "from_postulate_id", nullable=False
            ),
            reference(
                "powiazany_postulat_id",
                "powiązanego postulatu (postulaty.json)",
                "to_postulate_id",
                nullable=False,
            ),
            label("rodzaj", "Rodzaj powiązania."),
        ),
    ),
    ArchiveFile(
        "sfery.json",
        "Sfery zadań publicznych",
        "Sfery zadań publicznych, do których przypisuje się postulaty.",
        areas,
        (
            ident("sfery"),
            slug("sfery", "sfera"),
            text("nazwa", "Nazwa sfery.", "name"),
            Field(
                "adres",
                "url",
                "Adres listy postulatów z tej sfery.",
                lambda a, c: c.link(a),
            ),
        ),
    ),
    ArchiveFile(
        "rozstrzygniecia.json",
        "Rozstrzygnięcia",
        "Możliwe rozstrzygnięcia stanowisk.",
        outcomes,
        (
            ident("rozstrzygnięcia"),
            slug("rozstrzygnięcia", "rozstrzygniecie"),
            text("nazwa", "Nazwa rozstrzygnięcia.", "name"),
            Field(
                "kategoria",
                "string",
                "Kategoria w statystykach (uwzględniony, częściowo uwzględniony, "
                "nieuwzględniony, w toku, wyjaśnienie lub poza zakresem).",
                lambda o, c: o.get_category_display(),
            ),
            text("opis", "Opis; pusty tekst, jeśli brak.", "description"),
            Field(
                "adres",
                "url",
                "Adres listy postulatów z tym rozstrzygnięciem.",
                lambda o, c: c.link(o),
            ),
        ),
    ),
)


def schema(context):
    """schema.json: what every file of the archive holds."""
    return {
        "opis": "Pełny eksport opublikowanych danych archiwum spotkań Miasta Krakowa z "
        "organizacjami pozarządowymi. Każdy plik JSON jest obiektem o polach opisanych w "
        "„koperta”; jego rekordy, w polu „dane”, mają pola opisane przy pliku.",
        "licencja": licence_summary(context.url(reverse("opendata_page:index"))),
        "koperta": [field.describe() for field in ENVELOPE_FIELDS],
        "pliki": [file.describe() for file in ARCHIVE_FILES],
        # Every other download of the archive, described by the code that writes it.
        "eksporty": [export.describe(context) for export in (MEETINGS, POSTULATES, COMMITMENTS)],
        "statystyki": [
            {
                "tytul": str(dimension.title),
                "plik": context.url(reverse("stats_files:csv", args=[slug])),
                "opis": "Plik CSV (UTF-8, średnik): wiersz na grupę i wiersz „Razem”; przyjmuje "
                "parametry filtrów strony statystyk.",
                "kolumny_csv": [str(header) for header, _value in statistics_columns(dimension)],
            }
            for slug, dimension in DIMENSIONS.items()
        ],
    }


def archive_entries(context):
    source = context.url(reverse("opendata_page:index"))
    for file in ARCHIVE_FILES:
        head = envelope(context, source, file.queryset(context.at).count())
        yield (
            file.name,
            json_document(
                head, file.records(context.at), partial(serialize, file.fields, context=context)
            ),
        )
    yield SCHEMA_FILE, [dumps(schema(context))]
    yield LICENCE_FILE, [licence_text(source)]


def archive_document(context):
    """The ZIP of every file, as bytes pieces."""
    return zip_document(archive_entries(context), timezone.localtime(context.at))
