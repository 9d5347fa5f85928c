"""The same catalogue as the dane.gov.pl harvest file (opendata/harvest.py), in DCAT-AP
(the Polish profile, DCAT-AP PL, follows DCAT-AP 2): RDF/XML with a dcat:Catalog, its
dcat:Dataset entries and their dcat:Distribution files, using the EU vocabularies for themes,
frequencies, file types and the licence. Generated from the harvest's datasets, so the two
descriptions cannot disagree."""

from xml.etree import ElementTree

from django.conf import settings
from django.urls import reverse

from opendata.harvest import (
    DATASET_CATEGORIES,
    TAGS,
    UPDATE_FREQUENCY,
    changed_at,
    datasets,
)
from opendata.licence import ATTRIBUTION, LICENCE_LEGAL_CODE_URL
from opendata.models import ExportFile

NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
MEDIA_TYPES = "http://www.iana.org/assignments/media-types"
AUTHORITY = "http://publications.europa.eu/resource/authority"
FREQUENCIES = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "everyHalfYear": "ANNUAL_2",
    "yearly": "ANNUAL",
    "notApplicable": "UNKNOWN",
}
FILE_TYPES = {".csv": "CSV", ".json": "JSON", ".zip": "ZIP", ".xml": "XML"}
LICENCE = f"{AUTHORITY}/licence/CC_BY_4_0"
CATALOGUE_TITLE = "Archiwum spotkań Miasta Krakowa z organizacjami pozarządowymi"


def q(name):
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def _literal(parent, name, text, language="pl", datatype=None):
    element = ElementTree.SubElement(parent, q(name))
    element.text = text
    if datatype:
        element.set(q("rdf:datatype"), f"{NAMESPACES['xsd']}{datatype}")
    elif language:
        element.set("xml:lang", language)
    return element


def _resource(parent, name, uri):
    ElementTree.SubElement(parent, q(name), {q("rdf:resource"): uri})


def _contact_point(parent):
    """Where to ask about the data: the city, which publishes them, at its own contact
    details (CITY_CONTACT_URL, where the accessibility statement also sends residents) and
    the address configured for questions about the data (OPEN_DATA_CONTACT_EMAIL), which
    DCAT-AP recommends. Not the data protection officer (DATA_PROTECTION_OFFICER_EMAIL), who
    answers for personal data under the GDPR, nor the accessibility contact, for documents
    in an accessible form."""
    email = settings.OPEN_DATA_CONTACT_EMAIL
    if not (settings.CITY_CONTACT_URL or email):
        return
    holder = ElementTree.SubElement(parent, q("dcat:contactPoint"))
    organisation = ElementTree.SubElement(holder, q("vcard:Organization"))
    _literal(organisation, "vcard:fn", ATTRIBUTION)
    if email:
        _resource(organisation, "vcard:hasEmail", f"mailto:{email}")
    if settings.CITY_CONTACT_URL:
        _resource(organisation, "vcard:hasURL", settings.CITY_CONTACT_URL)


def file_type(url):
    path = url.split("?")[0]
    for suffix, code in FILE_TYPES.items():
        if path.endswith(suffix):
            return code
    return "JSON"  # the API


def catalogue_rdf(context):
    for prefix, uri in NAMESPACES.items():
        ElementTree.register_namespace(prefix, uri)
    root = ElementTree.Element(q("rdf:RDF"))
    catalogue_uri = context.url(reverse("opendata:dcat"))
    catalogue = ElementTree.SubElement(root, q("dcat:Catalog"), {q("rdf:about"): catalogue_uri})
    _literal(catalogue, "dct:title", CATALOGUE_TITLE)
    _literal(
        catalogue,
        "dct:description",
        "Opublikowane dane archiwum: spotkania wydziałów Miasta Krakowa z organizacjami "
        "pozarządowymi, postulaty, stanowiska Miasta i statystyki.",
    )
    publisher = ElementTree.SubElement(catalogue, q("dct:publisher"))
    agent = ElementTree.SubElement(publisher, q("foaf:Agent"))
    _literal(agent, "foaf:name", ATTRIBUTION)
    _resource(catalogue, "foaf:homepage", context.url(reverse("opendata_page:index")))
    _resource(catalogue, "dct:license", LICENCE)
    _resource(catalogue, "dct:language", f"{AUTHORITY}/language/POL")
    _contact_point(catalogue)
    described = datasets(context)
    # The catalogue changed when any of its datasets last did.
    every_model = list(dict.fromkeys(model for dataset in described for model in dataset.models))
    if modified := changed_at(every_model):
        _literal(catalogue, "dct:modified", modified, datatype="dateTime")
    # The prebuilt files as last built: what their addresses serve (and their .sha256 tell).
    built = {file.name: file for file in ExportFile.objects.only("name", "size", "sha256")}
    for dataset in described:
        changed = changed_at(dataset.models)
        holder = ElementTree.SubElement(catalogue, q("dcat:dataset"))
        element = ElementTree.SubElement(
            holder, q("dcat:Dataset"), {q("rdf:about"): f"{catalogue_uri}#{dataset.ident}"}
        )
        _literal(element, "dct:identifier", dataset.ident, language=None)
        _literal(element, "dct:title", dataset.title)
        _literal(element, "dct:title", dataset.title_en, language="en")
        _literal(element, "dct:description", dataset.description)
        publisher = ElementTree.SubElement(element, q("dct:publisher"))
        _literal(ElementTree.SubElement(publisher, q("foaf:Agent")), "foaf:name", ATTRIBUTION)
        _contact_point(element)
        for category in DATASET_CATEGORIES:
            _resource(element, "dcat:theme", f"{AUTHORITY}/data-theme/{category}")
        for language, tag in TAGS:
            _literal(element, "dcat:keyword", tag, language=language)
        _resource(
            element,
            "dct:accrualPeriodicity",
            f"{AUTHORITY}/frequency/{FREQUENCIES[UPDATE_FREQUENCY]}",
        )
        _resource(element, "dcat:landingPage", dataset.page_url)
        if changed:
            _literal(element, "dct:modified", changed, datatype="dateTime")
        for resource in dataset.resources:
            holder = ElementTree.SubElement(element, q("dcat:distribution"))
            distribution = ElementTree.SubElement(
                holder,
                q("dcat:Distribution"),
                {q("rdf:about"): f"{catalogue_uri}#{resource.ident}"},
            )
            _literal(distribution, "dct:title", resource.title)
            _literal(distribution, "dct:description", resource.description)
            _resource(distribution, "dcat:accessURL", resource.url)
            if resource.availability == "local":
                _resource(distribution, "dcat:downloadURL", resource.url)
            _resource(
                distribution, "dct:format", f"{AUTHORITY}/file-type/{file_type(resource.url)}"
            )
            _resource(distribution, "dcat:mediaType", f"{MEDIA_TYPES}/{resource.media_type}")
            if file := built.get(resource.prebuilt):
                _literal(
                    distribution,
                    "dcat:byteSize",
                    str(file.size),
                    datatype="nonNegativeInteger",
                )
                holder = ElementTree.SubElement(distribution, q("spdx:checksum"))
                checksum = ElementTree.SubElement(holder, q("spdx:Checksum"))
                _resource(
                    checksum, "spdx:algorithm", f"{NAMESPACES['spdx']}checksumAlgorithm_sha256"
                )
                _literal(checksum, "spdx:checksumValue", file.sha256, datatype="hexBinary")
            _resource(distribution, "dct:license", LICENCE)
            _resource(distribution, "dct:rights", LICENCE_LEGAL_CODE_URL)
            if changed:
                _literal(distribution, "dct:modified", changed, datatype="dateTime")
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()
