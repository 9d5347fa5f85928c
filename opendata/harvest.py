"""The catalogue for dane.gov.pl's harvester: an XML file in the portal's import format
(`xml_import_otwarte_dane`, schema 1.8) describing the archive's datasets and their files,
with its MD5 beside it, which the harvester compares before it imports anything.

Generated from the same definitions as the exports: each dataset's title, description and
fields come from the full export's files (opendata/archive.py) and list exports
(opendata/lists.py), its resources are their addresses, and its date is the latest
published change, so nothing here is kept by hand.

Which schema: the portal's harvester reads the version from the root element's namespace
(`urn:otwarte-dane:harvester:<version>`) and validates the file against that version's XSD, so
the namespace must be the one the chosen schema declares. Schema 1.8, as published in the
portal's sources (mcod-backend, data/harvester/xml_import_otwarte_dane_1_8.xsd since release
2.28.0 of July 2022), declares `urn:otwarte-dane:harvester:1.8`; its first release (2.26.0)
had kept 1.7's namespace by mistake, which a file in that namespace would have been validated
against. The portal still accepts 1.8 (its settings list every version from 1.0-rc1 to 1.13,
the newest, of May 2025); 1.10 made every element namespace-qualified.

What the schema says (and tests/opendata/test_harvest.py checks): the root `datasets` is in
the schema's namespace, its children are unqualified; a dataset needs extIdent
(1-36 characters), title and description (Polish required, English optional: 1-300 and
1-1000 characters),
updateFrequency (one of UPDATE_FREQUENCIES), categories (codes of CATEGORIES), resources and
tags (each with lang pl or en); a resource needs extIdent, an https url, title and
description, and may say availability (local: the portal keeps a copy; remote: it links).
The schema's resource has no element for a file's size, checksum or media type: a prebuilt
file's description gives the address of its SHA-256, and the DCAT catalogue (opendata/dcat.py)
all three."""

import hashlib
from dataclasses import dataclass
from xml.etree import ElementTree

from django.urls import reverse
from django.utils import timezone

from krakow_ngo.sitemaps import latest_published_change
from meetings.models import Meeting
from opendata.archive import ARCHIVE_FILES
from opendata.licence import LICENCE_PARAGRAPHS, LICENCE_SHORT_NAME
from opendata.lists import COMMITMENTS, MEETINGS, POSTULATES
from postulates.models import Position, Postulate
from stats.dimensions import DIMENSIONS

SCHEMA_VERSION = "1.8"
# The schema's targetNamespace: the harvester picks the XSD it validates against by it.
NAMESPACE = f"urn:otwarte-dane:harvester:{SCHEMA_VERSION}"
# The schema's value lists.
UPDATE_FREQUENCIES = (
    "notApplicable",
    "yearly",
    "everyHalfYear",
    "quarterly",
    "monthly",
    "weekly",
    "daily",
)
CATEGORIES = (
    "AGRI",
    "EDUC",
    "ENVI",
    "ENER",
    "TRAN",
    "TECH",
    "ECON",
    "SOCI",
    "HEAL",
    "GOVE",
    "REGI",
    "JUST",
    "INTR",
)
AVAILABILITIES = ("local", "remote")

# Editors publish whenever a meeting's materials are ready, every few weeks in the
# consultation season; the files are rebuilt after each change.
UPDATE_FREQUENCY = "monthly"
# Government and public sector; regions and cities.
DATASET_CATEGORIES = ("GOVE", "REGI")
# (language, keyword): the portal shows each language's keywords on its own version.
TAGS = (
    ("pl", "organizacje pozarządowe"),
    ("pl", "Kraków"),
    ("pl", "konsultacje"),
    ("pl", "program współpracy"),
    ("pl", "postulaty"),
    ("en", "non-governmental organisations"),
    ("en", "Krakow"),
    ("en", "consultations"),
    ("en", "cooperation programme"),
    ("en", "proposals"),
)
IDENT_PREFIX = "krakow-ngo-"
ARCHIVE_TITLE = "archiwum spotkań Miasta Krakowa z organizacjami pozarządowymi"


@dataclass(frozen=True)
class Resource:
    ident: str
    url: str
    title: str
    description: str
    availability: str = "local"
    media_type: str = "application/json"
    # The file built ahead of requests (opendata/builds.py FULL_DOWNLOADS), whose size and
    # SHA-256 the DCAT catalogue gives; "" for what is computed per request.
    prebuilt: str = ""


@dataclass(frozen=True)
class Dataset:
    ident: str
    title: str
    title_en: str  # the portal's English version shows it
    description: str
    page_url: str
    resources: tuple[Resource, ...]
    models: tuple = ()


def archive_file(name):
    return next(file for file in ARCHIVE_FILES if file.name == name)


def field_names(fields):
    return ", ".join(field.name for field in fields)


def datasets(context):
    """The catalogue's datasets, their resources' absolute (https) addresses from `context`."""
    url = context.url
    data_page = url(reverse("opendata_page:index"))
    schema = url(reverse("opendata:schema"))

    def list_resources(export, api_name):
        return (*list_files(export), api_resource(api_name))

    def list_files(export):
        """The CSV and JSON files of a list's every record (prebuilt, opendata/builds.py)."""
        # Each format's own names: the CSV's columns are not the JSON record's fields (the
        # commitments' CSV has no justification, say).
        columns = f"Kolumny: {', '.join(export.csv_headers)}. Opis: {schema}."
        fields = f"Pola rekordu: {field_names(export.fields)}. Opis pól: {schema}."

        def checksum(url_name):
            return f"Suma kontrolna SHA-256: {url(reverse(f'{url_name}_sha256'))}."

        return (
            Resource(
                f"{IDENT_PREFIX}{export.name}-csv",
                url(reverse(export.csv_url_name)),
                f"{export.title}: wszystkie rekordy (CSV)",
                f"Plik CSV (UTF-8, średnik) z wszystkimi opublikowanymi rekordami. {columns} "
                + checksum(export.csv_url_name),
                media_type="text/csv",
                prebuilt=f"{export.name}.csv",
            ),
            Resource(
                f"{IDENT_PREFIX}{export.name}-json",
                url(reverse(export.json_url_name)),
                f"{export.title}: wszystkie rekordy (JSON)",
                f"Plik JSON z wszystkimi opublikowanymi rekordami. {fields} "
                + checksum(export.json_url_name),
                prebuilt=f"{export.name}.json",
            ),
        )

    def api_resource(api_name):
        file = archive_file(f"{api_name}.json")
        return Resource(
            f"{IDENT_PREFIX}{api_name}-api",
            url(f"/api/v1/{api_name}/"),
            f"{file.title}: API (JSON)",
            f"API tylko do odczytu, ze stronicowaniem i filtrami list archiwum; rekordy mają "
            f"pola pliku {file.name} pełnego eksportu: {field_names(file.fields)}. "
            f"Dokumentacja: {url(reverse('api_page:docs'))}.",
            availability="remote",
        )

    archive_zip = Resource(
        f"{IDENT_PREFIX}archiwum-zip",
        url(reverse("opendata:archive")),
        "Pełny eksport archiwum (ZIP z plikami JSON)",
        "Wszystkie opublikowane dane archiwum: "
        + ", ".join(file.name for file in ARCHIVE_FILES)
        + f", ze schematem plików (schema.json) i licencją. Opis: {data_page}. Suma kontrolna "
        f"SHA-256: {url(reverse('opendata:archive_sha256'))}.",
        media_type="application/zip",
        prebuilt="archiwum.zip",
    )
    positions = archive_file("stanowiska.json")
    return (
        Dataset(
            f"{IDENT_PREFIX}spotkania",
            "Spotkania Miasta Krakowa z organizacjami pozarządowymi",
            "Meetings of the City of Kraków with non-governmental organisations",
            f"{archive_file('spotkania.json').description} Dane z {ARCHIVE_TITLE}: tytuł, "
            "daty, miejsce, wydziały prowadzące, cykl, program współpracy, dokumenty i "
            "liczba zgłoszonych postulatów.",
            url(reverse(MEETINGS.list_url_name)),
            list_resources(MEETINGS, "spotkania"),
            (Meeting,),
        ),
        Dataset(
            f"{IDENT_PREFIX}postulaty",
            "Postulaty organizacji pozarządowych zgłoszone Miastu Krakowu",
            "Proposals of non-governmental organisations submitted to the City of Kraków",
            f"{archive_file('postulaty.json').description} Każdy postulat z organizacją, "
            "sferą zadań publicznych, wydziałem właściwym i stanowiskami Miasta. Dane z "
            f"{ARCHIVE_TITLE}.",
            url(reverse(POSTULATES.list_url_name)),
            list_resources(POSTULATES, "postulaty"),
            (Postulate, Position),
        ),
        Dataset(
            f"{IDENT_PREFIX}stanowiska",
            "Stanowiska Miasta Krakowa wobec postulatów organizacji pozarządowych",
            "Positions of the City of Kraków on the proposals of non-governmental organisations",
            f"{positions.description} Wszystkie stanowiska są w pliku {positions.name} "
            f"pełnego eksportu i w API, z polami: {field_names(positions.fields)}. Pliki "
            "zobowiązań mają obecne stanowiska z zobowiązaniem Miasta (ich pola i kolumny "
            f"podaje opis każdego pliku). Dane z {ARCHIVE_TITLE}.",
            url(reverse("postulates:commitments")),
            # Every position: the API and the full export's file; then the commitments' lists.
            (api_resource("stanowiska"), archive_zip, *list_files(COMMITMENTS)),
            (Position,),
        ),
        Dataset(
            f"{IDENT_PREFIX}statystyki",
            "Statystyki odpowiedzi Miasta Krakowa na postulaty organizacji pozarządowych",
            "Statistics of the City of Kraków's answers to the proposals of non-governmental organisations",
            "Liczby postulatów i ich rozstrzygnięć (uwzględnione, częściowo uwzględnione, "
            "nieuwzględnione, w toku) według lat, wydziałów, sfer zadań publicznych i "
            f"programów współpracy. Dane z {ARCHIVE_TITLE}.",
            url(reverse("stats:overview")),
            tuple(
                Resource(
                    f"{IDENT_PREFIX}statystyki-{slug}-csv",
                    url(reverse("stats_files:csv", args=[slug])),
                    f"{dimension.title} (CSV)",
                    f"Tabela CSV: liczba postulatów i rozstrzygnięć {dimension.by}. Suma "
                    f"kontrolna SHA-256: {url(reverse('stats_files:csv_sha256', args=[slug]))}.",
                    media_type="text/csv",
                )
                for slug, dimension in DIMENSIONS.items()
            ),
            (Postulate, Position),
        ),
    )


def _text(parent, tag, value):
    element = ElementTree.SubElement(parent, tag)
    element.text = value
    return element


def _polish(parent, tag, value, english=None):
    element = ElementTree.SubElement(parent, tag)
    _text(element, "polish", value)
    if english:
        _text(element, "english", english)


def changed_at(models):
    changed = latest_published_change(*models) if models else None
    return timezone.localtime(changed).isoformat(timespec="seconds") if changed else None


def catalogue_xml(context):
    """The harvest file, as UTF-8 bytes; the same data give the same bytes (and MD5)."""
    root = ElementTree.Element(
        "ns2:datasets",
        {"xmlns:ns2": NAMESPACE, "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance"},
    )
    for dataset in datasets(context):
        changed = changed_at(dataset.models)
        element = ElementTree.SubElement(root, "dataset", status="published")
        _text(element, "extIdent", dataset.ident)
        _polish(element, "title", dataset.title, dataset.title_en)
        _polish(element, "description", dataset.description)
        _text(element, "url", dataset.page_url)
        _text(element, "updateFrequency", UPDATE_FREQUENCY)
        categories = ElementTree.SubElement(element, "categories")
        for category in DATASET_CATEGORIES:
            _text(categories, "category", category)
        conditions = ElementTree.SubElement(element, "conditions")
        _text(conditions, "source", "true")
        _text(conditions, "modification", "true")
        _text(conditions, "dbOrCopyrighted", " ".join(LICENCE_PARAGRAPHS[1:2]))
        _text(conditions, "dbOrCopyrightedLicenseChosen", LICENCE_SHORT_NAME)
        resources = ElementTree.SubElement(element, "resources")
        for resource in dataset.resources:
            item = ElementTree.SubElement(resources, "resource", status="published")
            _text(item, "extIdent", resource.ident)
            _text(item, "url", resource.url)
            _polish(item, "title", resource.title)
            _polish(item, "description", resource.description)
            _text(item, "availability", resource.availability)
            if changed:
                _text(item, "dataDate", changed[:10])
                _text(item, "lastUpdateDate", changed)
        tags = ElementTree.SubElement(element, "tags")
        for language, tag in TAGS:
            _text(tags, "tag", tag).set("lang", language)
        if changed:
            _text(element, "lastUpdateDate", changed)
        _text(element, "hasDynamicData", "false")
        _text(element, "hasHighValueData", "false")
        _text(element, "hasResearchData", "false")
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


def md5_of(content):
    return hashlib.md5(content, usedforsecurity=False).hexdigest()
