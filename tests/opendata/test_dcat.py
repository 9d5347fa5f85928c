"""The catalogue in DCAT-AP (RDF/XML): the classes and mandatory properties of DCAT-AP for a
catalogue, its datasets and their distributions, and the same datasets and files as the
dane.gov.pl harvest file."""

import datetime

import pytest
from defusedxml import ElementTree

from tests.factories import MeetingFactory, PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
AUTHORITY = "http://publications.europa.eu/resource/authority/"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def one(element, path):
    found = element.findall(path)
    assert len(found) == 1, path
    return found[0]


def uri(element, path):
    return one(element, path).get(f"{{{RDF}}}resource")


@pytest.fixture
def catalogue(client):
    PositionFactory(postulate=PostulateFactory(meeting=MeetingFactory()))
    response = client.get("/dane/katalog.rdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{{{RDF}}}RDF"
    return one(root, f"{{{DCAT}}}Catalog")


def test_the_catalogue_has_dcat_ap_mandatory_properties(catalogue):
    assert catalogue.get(f"{{{RDF}}}about") == "https://testserver/dane/katalog.rdf"
    assert one(catalogue, f"{{{DCT}}}title").get(LANG) == "pl"
    assert one(catalogue, f"{{{DCT}}}description").text
    publisher = one(catalogue, f"{{{DCT}}}publisher/{{{FOAF}}}Agent")
    assert one(publisher, f"{{{FOAF}}}name").text == "Gmina Miejska Kraków"
    assert uri(catalogue, f"{{{DCT}}}license") == f"{AUTHORITY}licence/CC_BY_4_0"
    datasets = catalogue.findall(f"{{{DCAT}}}dataset/{{{DCAT}}}Dataset")
    assert len(datasets) == 4
    for dataset in datasets:
        titles = {t.get(LANG): t.text for t in dataset.findall(f"{{{DCT}}}title")}
        assert set(titles) == {"pl", "en"} and all(titles.values())
        assert one(dataset, f"{{{DCT}}}description").text
        themes = [t.get(f"{{{RDF}}}resource") for t in dataset.findall(f"{{{DCAT}}}theme")]
        assert themes == [f"{AUTHORITY}data-theme/GOVE", f"{AUTHORITY}data-theme/REGI"]
        assert uri(dataset, f"{{{DCT}}}accrualPeriodicity") == f"{AUTHORITY}frequency/MONTHLY"
        assert dataset.findall(f"{{{DCAT}}}keyword")
        datetime.datetime.fromisoformat(one(dataset, f"{{{DCT}}}modified").text)
        distributions = dataset.findall(f"{{{DCAT}}}distribution/{{{DCAT}}}Distribution")
        assert distributions
        for distribution in distributions:
            assert uri(distribution, f"{{{DCAT}}}accessURL").startswith("https://testserver/")
            assert uri(distribution, f"{{{DCT}}}license") == f"{AUTHORITY}licence/CC_BY_4_0"
            assert uri(distribution, f"{{{DCT}}}format").startswith(f"{AUTHORITY}file-type/")


def test_it_describes_what_the_harvest_file_does(client, catalogue):
    harvest = ElementTree.fromstring(client.get("/dane/dane-gov-pl.xml").content)
    expected = {
        dataset.findtext("extIdent"): [r.findtext("url") for r in dataset.find("resources")]
        for dataset in harvest
    }
    described = {
        one(dataset, f"{{{DCT}}}identifier").text: [
            uri(d, f"{{{DCAT}}}accessURL")
            for d in dataset.findall(f"{{{DCAT}}}distribution/{{{DCAT}}}Distribution")
        ]
        for dataset in catalogue.findall(f"{{{DCAT}}}dataset/{{{DCAT}}}Dataset")
    }
    assert described == expected
    formats = {
        uri(d, f"{{{DCAT}}}accessURL"): uri(d, f"{{{DCT}}}format").rsplit("/", 1)[1]
        for d in catalogue.iter(f"{{{DCAT}}}Distribution")
    }
    assert formats["https://testserver/spotkania/eksport.csv"] == "CSV"
    assert formats["https://testserver/dane/archiwum.zip"] == "ZIP"
    assert formats["https://testserver/api/v1/spotkania/"] == "JSON"
    # The commitments' files, as every other list's.
    assert formats["https://testserver/postulaty/zobowiazania/eksport.csv"] == "CSV"
    assert formats["https://testserver/postulaty/zobowiazania/eksport.json"] == "JSON"


SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def test_each_distribution_has_its_media_type_and_a_prebuilt_file_its_size_and_checksum(
    client, catalogue
):
    from opendata.models import ExportFile

    client.get("/postulaty/eksport.csv")  # built now: the archive is small
    stored = ExportFile.objects.get(name="postulaty.csv")
    root = ElementTree.fromstring(client.get("/dane/katalog.rdf").content)
    distributions = {
        uri(d, f"{{{DCAT}}}accessURL"): d for d in root.iter(f"{{{DCAT}}}Distribution")
    }
    media = "http://www.iana.org/assignments/media-types/"
    assert uri(
        distributions["https://testserver/postulaty/eksport.csv"], f"{{{DCAT}}}mediaType"
    ) == (f"{media}text/csv")
    assert uri(distributions["https://testserver/api/v1/spotkania/"], f"{{{DCAT}}}mediaType") == (
        f"{media}application/json"
    )
    assert uri(distributions["https://testserver/dane/archiwum.zip"], f"{{{DCAT}}}mediaType") == (
        f"{media}application/zip"
    )
    csv = distributions["https://testserver/postulaty/eksport.csv"]
    size = one(csv, f"{{{DCAT}}}byteSize")
    assert size.text == str(stored.size)
    assert size.get(f"{{{RDF}}}datatype") == f"{XSD}nonNegativeInteger"
    checksum = one(csv, f"{{{SPDX}}}checksum/{{{SPDX}}}Checksum")
    assert uri(checksum, f"{{{SPDX}}}algorithm") == f"{SPDX}checksumAlgorithm_sha256"
    assert one(checksum, f"{{{SPDX}}}checksumValue").text == stored.sha256
    # The same sum as the file's .sha256 beside it.
    assert client.get("/postulaty/eksport.csv.sha256").content.decode().startswith(stored.sha256)
    # What is computed per request (the API, the statistics) has no size or sum to give.
    api = distributions["https://testserver/api/v1/spotkania/"]
    assert api.find(f"{{{DCAT}}}byteSize") is None
    assert api.find(f"{{{SPDX}}}checksum") is None


VCARD = "http://www.w3.org/2006/vcard/ns#"


def test_the_catalogue_and_each_dataset_name_the_citys_contact_details(client, settings):
    settings.CITY_CONTACT_URL = "https://www.bip.krakow.pl/kontakt"
    PositionFactory(postulate=PostulateFactory(meeting=MeetingFactory()))
    root = ElementTree.fromstring(client.get("/dane/katalog.rdf").content)
    catalogue = one(root, f"{{{DCAT}}}Catalog")
    described = [catalogue, *catalogue.findall(f"{{{DCAT}}}dataset/{{{DCAT}}}Dataset")]
    assert len(described) == 5
    for resource in described:
        contact = one(resource, f"{{{DCAT}}}contactPoint/{{{VCARD}}}Organization")
        assert one(contact, f"{{{VCARD}}}fn").text == "Gmina Miejska Kraków"
        assert uri(contact, f"{{{VCARD}}}hasURL") == "https://www.bip.krakow.pl/kontakt"
        # No address for the data configured: none is made up.
        assert contact.find(f"{{{VCARD}}}hasEmail") is None


def test_the_contact_point_gives_the_configured_address_for_the_data(client, settings):
    settings.OPEN_DATA_CONTACT_EMAIL = "otwartedane@um.krakow.pl"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "dostepnosc@um.krakow.pl"
    PositionFactory(postulate=PostulateFactory(meeting=MeetingFactory()))
    root = ElementTree.fromstring(client.get("/dane/katalog.rdf").content)
    catalogue = one(root, f"{{{DCAT}}}Catalog")
    described = [catalogue, *catalogue.findall(f"{{{DCAT}}}dataset/{{{DCAT}}}Dataset")]
    for resource in described:
        contact = one(resource, f"{{{DCAT}}}contactPoint/{{{VCARD}}}Organization")
        assert uri(contact, f"{{{VCARD}}}hasEmail") == "mailto:otwartedane@um.krakow.pl"
        assert uri(contact, f"{{{VCARD}}}hasURL") == "https://www.bip.krakow.pl/"

    # Without the city's contact page, the address alone is the contact point.
    settings.CITY_CONTACT_URL = ""
    root = ElementTree.fromstring(client.get("/dane/katalog.rdf").content)
    contact = one(root, f"{{{DCAT}}}Catalog/{{{DCAT}}}contactPoint/{{{VCARD}}}Organization")
    assert uri(contact, f"{{{VCARD}}}hasEmail") == "mailto:otwartedane@um.krakow.pl"
    assert contact.find(f"{{{VCARD}}}hasURL") is None


def test_the_catalogue_was_modified_when_its_latest_dataset_was(catalogue):
    modified = datetime.datetime.fromisoformat(one(catalogue, f"{{{DCT}}}modified").text)
    assert one(catalogue, f"{{{DCT}}}modified").get(f"{{{RDF}}}datatype") == f"{XSD}dateTime"
    datasets = catalogue.findall(f"{{{DCAT}}}dataset/{{{DCAT}}}Dataset")
    latest = max(
        datetime.datetime.fromisoformat(one(dataset, f"{{{DCT}}}modified").text)
        for dataset in datasets
    )
    assert modified == latest
