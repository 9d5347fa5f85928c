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
    assert "<code>curl https://testserver/api/v1/spotkania/?rok=2025</code>" in html


def test_the_page_in_english(client):
    html = client.get("/en/dane/api/").content.decode()
    assert "<h1>Archive API</h1>" in html
    assert "What version v1 promises" in html


def test_the_page_query_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/dane/api/")
