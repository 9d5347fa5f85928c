"""What the API serves: one resource per file of the full export (opendata/archive.py), with
the same published querysets and field definitions, so an API record is the record of
schema.json; the lists that have public pages take those pages' filters (their FilterSets)."""

from dataclasses import dataclass

from api.filters import PositionFilter
from meetings.filters import MeetingFilter
from opendata.archive import ARCHIVE_FILES, ArchiveFile
from organisations.filters import OrganisationFilter
from postulates.filters import PostulateFilter


@dataclass(frozen=True)
class Resource:
    name: str  # the address segment: /api/v1/<name>/
    file: ArchiveFile
    filterset_class: type | None = None
    # The list page whose filters the resource shares (the filters' meaning is told there).
    list_url_name: str | None = None

    @property
    def title(self):
        return self.file.title

    @property
    def description(self):
        return self.file.description

    @property
    def fields(self):
        return self.file.fields

    def queryset(self, at):
        # Keyset pagination reads the rows in the order of their primary key: new records
        # get higher ids, so a page once read never changes when records are added.
        return self.file.queryset(at).order_by("pk")


FILES = {file.name.removesuffix(".json"): file for file in ARCHIVE_FILES}

RESOURCES = (
    Resource("lata", FILES["lata"]),
    Resource("cykle", FILES["cykle"]),
    Resource("spotkania", FILES["spotkania"], MeetingFilter, "meetings:list"),
    Resource("dokumenty", FILES["dokumenty"]),
    Resource("postulaty", FILES["postulaty"], PostulateFilter, "postulates:list"),
    Resource("stanowiska", FILES["stanowiska"], PositionFilter, "postulates:commitments"),
    Resource("powiazania-postulatow", FILES["powiazania_postulatow"]),
    Resource("wydzialy", FILES["wydzialy"]),
    Resource("organizacje", FILES["organizacje"], OrganisationFilter, "organisations:list"),
    Resource("programy", FILES["programy"]),
    Resource("sfery", FILES["sfery"]),
    Resource("rozstrzygniecia", FILES["rozstrzygniecia"]),
)
