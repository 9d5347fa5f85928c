"""The API's documentation page: every address it names exists, in both languages."""

import pytest

from api.resources import RESOURCES
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_page_names_every_resource_its_filters_and_the_openapi_document(client):
    MeetingFactory()
    response = client.get("/dane/api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>API archiwum</h1>" in html
    assert '<a href="https://testserver/api/v1/openapi.json">' in html
    for resource in RESOURCES:
        assert f"<code>/api/v1/{resource.name}/</code>" in html
        assert client.get(f"/api/v1/{resource.name}/").status_code == 200
    assert "<code>wydzial</code> (wydział związany z postulatem)" in html
    assert "curl 'https://testserver/api/v1/postulaty/?rok=2025&amp;limit=100'" in html


def test_the_open_data_page_leads_to_the_api(client):
    html = client.get("/dane/").content.decode()
    assert '<a href="/dane/api/">dokumentacja API</a>' in html
    assert "<code>curl 'https://testserver/api/v1/spotkania/?rok=2025'</code>" in html


def test_the_page_in_english(client):
    html = client.get("/en/dane/api/").content.decode()
    assert "<h1>Archive API</h1>" in html
    assert "What version v1 promises" in html


def test_the_page_query_count(client, django_assert_max_num_queries):
    # The page's session and the example of a department's slug.
    with django_assert_max_num_queries(3):
        client.get("/dane/api/")


def test_the_examples_name_a_department_the_filter_accepts(client):
    from tests.factories import DepartmentFactory, PostulateFactory

    department = DepartmentFactory(name="Wydział Sportu")
    PostulateFactory(responsible_department=department)
    html = client.get("/dane/api/").content.decode()
    assert f"Na przykład <code>wydzial={department.slug}</code>." in html
    document = client.get("/api/v1/openapi.json").json()
    parameters = {
        parameter["name"]: parameter
        for parameter in document["paths"]["/api/v1/postulaty/"]["get"]["parameters"]
    }
    assert parameters["wydzial"]["example"] == department.slug
    answer = client.get(f"/api/v1/postulaty/?wydzial={parameters['wydzial']['example']}")
    assert answer.status_code == 200
    assert len(answer.json()["dane"]) == 1


def test_without_departments_no_example_is_made_up(client):
    html = client.get("/dane/api/").content.decode()
    assert "Na przykład <code>wydzial=" not in html
    assert "identyfikatorem słownym z adresu ich strony." in html


def test_the_search_words_limit_is_told_and_kept(client):
    from search.forms import MAX_QUERY_LENGTH

    MeetingFactory()
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/postulaty/", "/api/v1/spotkania/", "/api/v1/organizacje/"):
        parameters = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        if "q" in parameters:
            assert parameters["q"]["schema"] == {"type": "string", "maxLength": MAX_QUERY_LENGTH}
    assert "q" in {p["name"] for p in document["paths"]["/api/v1/postulaty/"]["get"]["parameters"]}
    html = client.get("/dane/api/").content.decode()
    assert f"<code>q</code> (szukane słowa, najwyżej {MAX_QUERY_LENGTH} znaków)" in html
    assert client.get(f"/api/v1/postulaty/?q={'a' * MAX_QUERY_LENGTH}").status_code == 200
    too_long = client.get(f"/api/v1/postulaty/?q={'a' * (MAX_QUERY_LENGTH + 1)}")
    assert too_long.status_code == 400
    assert set(too_long.json()["parametry"]) == {"q"}
