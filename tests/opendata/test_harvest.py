"""The catalogue for dane.gov.pl's harvester, checked against the facts of the portal's
published import schema (xml_import_otwarte_dane, version 1.8), written down here from its
documentation: required elements and their order, lengths, value lists, https addresses;
and its MD5 file."""

import datetime
import hashlib
import re

import pytest
from defusedxml import ElementTree

from core.publishing import Status
from tests.factories import MeetingFactory, PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db

# The 1.8 schema's targetNamespace (as published since the portal's release 2.28.0): the
# harvester picks the schema to validate against by the version in the root's namespace.
NAMESPACE = "urn:otwarte-dane:harvester:1.8"
# Schema 1.8, datasetType and resourceType: every element in the order it declares them
# (True: required, minOccurs 1).
DATASET_ELEMENTS = [
    ("extIdent", True),
    ("intIdent", False),
    ("title", True),
    ("description", True),
    ("url", False),
    ("updateFrequency", True),
    ("categories", True),
    ("conditions", False),
    ("resources", True),
    ("tags", True),
    ("lastUpdateDate", False),
    ("hasDynamicData", False),
    ("hasHighValueData", False),
    ("hasResearchData", False),
    ("supplements", False),
]
RESOURCE_ELEMENTS = [
    ("extIdent", True),
    ("intIdent", False),
    ("url", True),
    ("title", True),
    ("description", True),
    ("availability", False),
    ("dataDate", False),
    ("lastUpdateDate", False),
    ("hasDynamicData", False),
    ("hasHighValueData", False),
    ("hasResearchData", False),
    ("specialSigns", False),
    ("supplements", False),
]
CONDITION_ELEMENTS = [
    "source",
    "modification",
    "responsibilities",
    "dbOrCopyrighted",
    "dbOrCopyrightedLicenseChosen",
    "personalData",
]
UPDATE_FREQUENCIES = {
    "notApplicable",
    "yearly",
    "everyHalfYear",
    "quarterly",
    "monthly",
    "weekly",
    "daily",
}
CATEGORIES = {
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
}
LICENCES = {
    "CC0 1.0",
    "CC BY 4.0",
    "CC BY-SA 4.0",
    "CC BY-NC 4.0",
    "CC BY-NC-SA 4.0",
    "CC BY-ND 4.0",
    "CC BY-NC-ND 4.0",
}
BOOLEANS = {"true", "false"}


@pytest.fixture
def archive():
    meeting = MeetingFactory()
    postulate = PostulateFactory(meeting=meeting)
    PositionFactory(postulate=postulate)
    MeetingFactory(title="Szkic", status=Status.DRAFT, published_at=None)
    return meeting


def harvest(client):
    response = client.get("/dane/dane-gov-pl.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return response.content


def tags_of(element):
    return [child.tag for child in element]


def in_schema_order(tags, declared):
    names = [name for name, _required in declared]
    assert all(tag in names for tag in tags), tags
    positions = [names.index(tag) for tag in tags]
    return positions == sorted(positions) and len(set(tags)) == len(tags)


def bilingual(element, tag, longest):
    (child,) = element.findall(tag)
    assert tags_of(child) in (["polish"], ["polish", "english"])
    for text in child:
        assert 1 <= len(text.text) <= longest, (tag, text.text)


def test_the_catalogue_follows_the_portal_schema(client, archive):
    root = ElementTree.fromstring(harvest(client))
    assert root.tag == f"{{{NAMESPACE}}}datasets"
    datasets = list(root)
    assert datasets
    idents = set()
    for dataset in datasets:
        assert dataset.tag == "dataset"  # unqualified: elementFormDefault="unqualified"
        assert dataset.get("status") in ("published", "draft")
        tags = tags_of(dataset)
        assert in_schema_order(tags, DATASET_ELEMENTS), tags
        assert {name for name, required in DATASET_ELEMENTS if required} <= set(tags)
        ident = dataset.findtext("extIdent")
        assert 1 <= len(ident) <= 36
        idents.add(ident)
        bilingual(dataset, "title", 300)
        assert dataset.findtext("title/english")  # the portal's English version shows it
        bilingual(dataset, "description", 1000)
        assert len(dataset.findtext("url")) <= 1000
        assert dataset.findtext("updateFrequency") in UPDATE_FREQUENCIES
        categories = dataset.find("categories")
        assert len(categories) >= 1
        assert all(c.tag == "category" and c.text in CATEGORIES for c in categories)
        conditions = dataset.find("conditions")
        assert [c.tag for c in conditions] == [
            tag for tag in CONDITION_ELEMENTS if conditions.find(tag) is not None
        ]
        assert conditions.findtext("source") in BOOLEANS
        assert conditions.findtext("modification") in BOOLEANS
        assert conditions.findtext("dbOrCopyrightedLicenseChosen") in LICENCES
        assert len(conditions.findtext("dbOrCopyrighted")) <= 4000
        tags_element = dataset.find("tags")
        assert len(tags_element) >= 1
        assert all(t.tag == "tag" and t.get("lang") in ("pl", "en") for t in tags_element)
        assert {t.get("lang") for t in tags_element} == {"pl", "en"}
        datetime.datetime.fromisoformat(dataset.findtext("lastUpdateDate"))
        for flag in ("hasDynamicData", "hasHighValueData", "hasResearchData"):
            assert dataset.findtext(flag) in BOOLEANS
        resources = dataset.find("resources")
        assert len(resources) >= 1
        for resource in resources:
            assert resource.tag == "resource"
            assert resource.get("status") in ("published", "draft")
            tags = tags_of(resource)
            assert in_schema_order(tags, RESOURCE_ELEMENTS), tags
            assert {name for name, required in RESOURCE_ELEMENTS if required} <= set(tags)
            ident = resource.findtext("extIdent")
            assert 1 <= len(ident) <= 36, ident
            idents.add(ident)
            url = resource.findtext("url")
            assert re.fullmatch(r"https://.*", url) and len(url) <= 2000
            bilingual(resource, "title", 300)
            bilingual(resource, "description", 1000)
            assert resource.findtext("availability") in ("local", "remote")
            datetime.date.fromisoformat(resource.findtext("dataDate"))
            datetime.datetime.fromisoformat(resource.findtext("lastUpdateDate"))
    assert len(idents) == sum(1 + len(d.find("resources")) for d in datasets)


def test_the_catalogue_names_the_archive_datasets_and_their_files(client, archive):
    root = ElementTree.fromstring(harvest(client))
    by_ident = {d.findtext("extIdent"): d for d in root}
    assert list(by_ident) == [
        "krakow-ngo-spotkania",
        "krakow-ngo-postulaty",
        "krakow-ngo-stanowiska",
        "krakow-ngo-statystyki",
    ]
    meetings = by_ident["krakow-ngo-spotkania"]
    urls = [r.findtext("url") for r in meetings.find("resources")]
    assert urls == [
        "https://testserver/spotkania/eksport.csv",
        "https://testserver/spotkania/eksport.json",
        "https://testserver/api/v1/spotkania/",
    ]
    csv, json_file = meetings.find("resources")[:2]
    # The columns and fields come from the export's own definitions, each format's own.
    assert "Kolumny: Identyfikator, Adres, Tytuł, Rok, Rodzaj" in csv.findtext("description/polish")
    assert "Pola rekordu: id, adres, tytul, rok, rodzaj" in json_file.findtext("description/polish")
    assert meetings.find("conditions").findtext("dbOrCopyrightedLicenseChosen") == "CC BY 4.0"
    assert "Gmina Miejska Kraków" in meetings.find("conditions").findtext("dbOrCopyrighted")
    statistics = by_ident["krakow-ngo-statystyki"]
    assert [r.findtext("url") for r in statistics.find("resources")] == [
        "https://testserver/statystyki/lata.csv",
        "https://testserver/statystyki/wydzialy.csv",
        "https://testserver/statystyki/sfery.csv",
        "https://testserver/statystyki/programy.csv",
    ]
    for dataset in root:
        for resource in dataset.find("resources"):
            answer = client.get(resource.findtext("url").removeprefix("https://testserver"))
            assert answer.status_code == 200, resource.findtext("url")
    assert b"Szkic" not in harvest(client)


def test_the_last_update_is_the_latest_published_change(client, archive):
    root = ElementTree.fromstring(harvest(client))
    meetings = root[0]
    stamp = datetime.datetime.fromisoformat(meetings.findtext("lastUpdateDate"))
    assert abs(stamp - archive.updated_at) < datetime.timedelta(seconds=1)


def test_the_md5_beside_it_matches(client, archive):
    content = harvest(client)
    # Where the portal's harvester asks for it (the catalogue's extension replaced by
    # ".md5", mcod-backend's get_remote_xml_hash), and at the address first published.
    for address in ("/dane/dane-gov-pl.md5", "/dane/dane-gov-pl.xml.md5"):
        response = client.get(address)
        assert response.status_code == 200, address
        assert response.content.decode() == hashlib.md5(content).hexdigest()
    # Unchanged data, unchanged file: the harvester imports nothing new.
    assert harvest(client) == content


def test_the_positions_dataset_has_every_positions_files_then_the_commitments(client, archive):
    root = ElementTree.fromstring(harvest(client))
    positions = next(d for d in root if d.findtext("extIdent") == "krakow-ngo-stanowiska")
    resources = positions.find("resources")
    assert [r.findtext("url") for r in resources] == [
        "https://testserver/api/v1/stanowiska/",
        "https://testserver/dane/archiwum.zip",
        "https://testserver/postulaty/zobowiazania/eksport.csv",
        "https://testserver/postulaty/zobowiazania/eksport.json",
    ]
    # Each file names its own columns or fields, as it writes them: the commitments' CSV has
    # no justification column, their JSON records have the field.
    csv_described = resources[2].findtext("description/polish")
    assert "Kolumny: Identyfikator postulatu, Adres postulatu, " in csv_described
    assert "zasadnienie" not in csv_described
    assert csv_described.endswith(
        "Suma kontrolna SHA-256: https://testserver/postulaty/zobowiazania/eksport.csv.sha256."
    )
    json_described = resources[3].findtext("description/polish")
    assert "rozstrzygniecie, uzasadnienie, data, wydzial, zobowiazanie" in json_described
    csv_resource = resources[2]
    assert csv_resource.findtext("extIdent") == "krakow-ngo-zobowiazania-csv"
    assert csv_resource.findtext("title/polish") == "Zobowiązania Miasta: wszystkie rekordy (CSV)"
    for resource in resources:
        path = resource.findtext("url").removeprefix("https://testserver")
        assert client.get(path).status_code == 200
