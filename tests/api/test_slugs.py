"""The lookup resources carry the readable identifier (`slug`) that every list filter takes,
so a client need not cut it out of the record's `adres`."""

import pytest

from tests.factories import (
    DepartmentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    ProgrammeFactory,
    PublicTaskAreaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def postulate():
    department = DepartmentFactory(name="Wydział Kultury i Promocji Miasta")
    programme = ProgrammeFactory()
    postulate = PostulateFactory(
        meeting=MeetingFactory(departments=[department], programme=programme),
        organisation=OrganisationFactory(name="Fundacja Łąki Miejskie"),
        area=PublicTaskAreaFactory(name="Kultura i sztuka"),
        responsible_department=department,
        programme=programme,
    )
    PositionFactory(postulate=postulate, outcome=OutcomeFactory(name="Uwzględniony w całości"))
    PostulateFactory(meeting=MeetingFactory(title="Inne spotkanie"))  # matches no filter
    return postulate


@pytest.mark.parametrize(
    ("resource", "filter_name", "record_of"),
    [
        ("wydzialy", "wydzial", lambda p: p.responsible_department),
        ("organizacje", "organizacja", lambda p: p.organisation),
        ("programy", "program", lambda p: p.programme),
        ("sfery", "sfera", lambda p: p.area),
        ("rozstrzygniecia", "rozstrzygniecie", lambda p: p.positions.get().outcome),
    ],
)
def test_each_lookup_record_has_the_slug_its_filter_takes(
    client, postulate, resource, filter_name, record_of
):
    record = record_of(postulate)
    served = client.get(f"/api/v1/{resource}/{record.pk}/").json()["dane"]
    assert served["slug"] == record.slug
    assert served["adres"].rstrip("/").endswith(record.slug) or resource in (
        "sfery",
        "rozstrzygniecia",
    )
    listed = client.get("/api/v1/postulaty/", {filter_name: served["slug"]}).json()["dane"]
    assert [item["id"] for item in listed] == [postulate.pk]


def test_the_slug_is_described_in_the_openapi_document_and_schema_json(client, postulate):
    document = client.get("/api/v1/openapi.json").json()
    slug = document["components"]["schemas"]["Wydzialy"]["properties"]["slug"]
    assert slug["type"] == "string"
    assert slug["description"].startswith(
        "Identyfikator słowny wydziału lub jednostki: wartość filtru „wydzial” list archiwum i API"
    )
    schema = client.get("/dane/schema.json").json()
    (areas,) = [file for file in schema["pliki"] if file["plik"] == "sfery.json"]
    assert [field["nazwa"] for field in areas["pola"]][:2] == ["id", "slug"]
