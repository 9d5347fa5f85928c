"""What the API serves: one resource per file of the full export (opendata/archive.py), with
the same published querysets and field definitions, so an API record is the record of
schema.json; the lists that have public pages take those pages' filters (their FilterSets).

A few resources add what a reader of one record would otherwise fetch record by record
(`embedded`): a meeting's documents and participating organisations, a position's earlier
public versions. They come after the export's fields, with the same records the other
resources serve (the documents' and organisations' own fields)."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from api.filters import PositionFilter, PostulateLinkFilter
from core.publishing import published_condition
from meetings.filters import MeetingFilter
from meetings.models import MeetingParticipant
from opendata.archive import ARCHIVE_FILES, ArchiveFile
from opendata.fields import COMMITMENT_FIELDS, Field
from organisations.filters import OrganisationFilter
from organisations.models import Organisation
from postulates.filters import PostulateFilter
from postulates.selectors import earlier_versions


@dataclass(frozen=True)
class Embedded:
    fields: tuple[Field, ...]
    # (moment "published" is judged at) -> the prefetches that read them, one query each.
    prefetch: object


@dataclass(frozen=True)
class Resource:
    name: str  # the address segment: /api/v1/<name>/
    file: ArchiveFile
    filterset_class: type | None = None
    # The list page whose filters the resource shares (the filters' meaning is told there).
    list_url_name: str | None = None
    embedded: Embedded | None = None

    @property
    def title(self):
        return self.file.title

    @property
    def description(self):
        return self.file.description

    @property
    def fields(self):
        return self.file.fields + (self.embedded.fields if self.embedded else ())

    def queryset(self, at):
        # Keyset pagination reads the rows in the order of their primary key: new records
        # get higher ids, so a page once read never changes when records are added.
        queryset = self.file.queryset(at).order_by("pk")
        if self.embedded:
            queryset = queryset.prefetch_related(*self.embedded.prefetch(at))
        return queryset


FILES = {file.name.removesuffix(".json"): file for file in ARCHIVE_FILES}


def meeting_prefetches(at):
    documents = FILES["dokumenty"].queryset(at).filter(meeting__isnull=False)
    # The organisations the full export names by id (organizacje_id): published, and a
    # private person is never an organisation.
    participants = (
        MeetingParticipant.objects.filter(
            published_condition(Organisation, "organisation__", at, named=True)
        )
        .select_related("organisation")
        .order_by("pk")
    )
    return (
        Prefetch("documents", queryset=documents, to_attr="api_documents"),
        Prefetch("participant_links", queryset=participants, to_attr="api_participants"),
    )


MEETING_EMBEDDED = Embedded(
    (
        Field(
            "dokumenty",
            "array",
            "Dokumenty spotkania, każdy jak w /api/v1/dokumenty/ (z adresem pliku i strony z "
            "jego treścią).",
            lambda m, c: m.api_documents,
            fields=FILES["dokumenty"].fields,
        ),
        Field(
            "organizacje",
            "array",
            "Organizacje uczestniczące, każda jak w /api/v1/organizacje/ (osób prywatnych "
            "archiwum nie wymienia).",
            lambda m, c: [link.organisation for link in m.api_participants],
            fields=FILES["organizacje"].fields,
        ),
    ),
    meeting_prefetches,
)


def version_url(revision, context):
    # The postulate's page shows every earlier version under this anchor.
    page = reverse("postulates:detail", kwargs={"pk": revision.position.postulate_id})
    return context.url(f"{page}#position-version-{revision.pk}")


def moment(value):
    return timezone.localtime(value).isoformat(timespec="seconds")


REVISION_FIELDS = (
    Field("id", "integer", "Identyfikator wersji.", lambda r, c: r.pk),
    Field(
        "adres",
        "url",
        "Adres tej wersji na stronie postulatu.",
        version_url,
    ),
    Field(
        "obowiazywala_od",
        "datetime",
        "Od kiedy ta wersja była publiczna.",
        lambda r, c: moment(r.valid_from),
    ),
    Field(
        "obowiazywala_do",
        "datetime",
        "Do kiedy ta wersja była publiczna.",
        lambda r, c: moment(r.valid_to),
    ),
    Field(
        "rozstrzygniecie_id",
        "integer",
        "Identyfikator rozstrzygnięcia (rozstrzygniecia.json).",
        lambda r, c: r.outcome_id,
    ),
    Field(
        "data", "date", "Data stanowiska w tej wersji.", lambda r, c: r.answered_on, nullable=True
    ),
    Field(
        "uzasadnienie",
        "string",
        "Uzasadnienie; pusty tekst, jeśli brak.",
        lambda r, c: r.justification,
    ),
    *COMMITMENT_FIELDS,
)

POSITION_EMBEDDED = Embedded(
    (
        Field(
            "wczesniejsze_wersje",
            "array",
            "Wcześniejsze publiczne wersje stanowiska, od najstarszej (jak na stronie "
            "postulatu); pusta lista, jeśli stanowiska nie zmieniano.",
            lambda p, c: p.earlier_versions,
            fields=REVISION_FIELDS,
        ),
    ),
    lambda at: (earlier_versions(),),
)

RESOURCES = (
    Resource("lata", FILES["lata"]),
    Resource("cykle", FILES["cykle"]),
    Resource("spotkania", FILES["spotkania"], MeetingFilter, "meetings:list", MEETING_EMBEDDED),
    Resource("dokumenty", FILES["dokumenty"]),
    Resource("postulaty", FILES["postulaty"], PostulateFilter, "postulates:list"),
    Resource(
        "stanowiska",
        FILES["stanowiska"],
        PositionFilter,
        "postulates:commitments",
        POSITION_EMBEDDED,
    ),
    Resource("powiazania-postulatow", FILES["powiazania_postulatow"], PostulateLinkFilter),
    Resource("wydzialy", FILES["wydzialy"]),
    Resource("organizacje", FILES["organizacje"], OrganisationFilter, "organisations:list"),
    Resource("programy", FILES["programy"]),
    Resource("sfery", FILES["sfery"]),
    Resource("rozstrzygniecia", FILES["rozstrzygniecia"]),
)
