"""A request too big to serve (a request line past REQUEST_LINE_MAX, too many or too long
header fields) is refused by the app in the archive's own words: 414/431 as JSON in the API's
error shape under /api/, a Polish page elsewhere. gunicorn and nginx let more through (their
own tests: tests/deployment/)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def long_query(total):
    """A query string that makes `GET /api/v1/postulaty/?... HTTP/1.1` `total` long."""
    prefix = len("GET ") + len("/api/v1/postulaty/?q=") + len(" HTTP/1.1")
    return "q=" + "a" * (total - prefix)


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert set(body) == {"blad", "parametry"}
    return body["blad"]


def test_a_request_line_past_the_limit_gets_json_414_under_the_api(client):
    at_limit = client.get(f"/api/v1/postulaty/?{long_query(settings.REQUEST_LINE_MAX)}")
    assert at_limit.status_code == 400  # reaches the API, which refuses q's length
    over = client.get(f"/api/v1/postulaty/?{long_query(settings.REQUEST_LINE_MAX + 1)}")
    message = assert_problem(over, 414)
    assert message.startswith(
        f"Adres zapytania jest za długi: archiwum przyjmuje adresy do {settings.REQUEST_LINE_MAX} "
        "znaków."
    )


def test_a_request_line_past_the_limit_gets_a_polish_page_elsewhere(client):
    response = client.get("/postulaty/", {"q": "a" * settings.REQUEST_LINE_MAX})
    assert response.status_code == 414
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert '<html lang="pl">' in html
    assert "<h1>Adres jest za długi</h1>" in html
    assert f"archiwum przyjmuje adresy do {settings.REQUEST_LINE_MAX} znaków" in html


def headers(count, size=10):
    return {f"HTTP_X_NAGLOWEK_{number}": "a" * size for number in range(count)}


def test_too_many_header_fields_get_431(client):
    # The test client sends a Cookie field of its own.
    allowed = settings.REQUEST_HEADER_FIELDS_MAX - 1
    assert client.get("/api/v1/", **headers(allowed)).status_code == 200
    message = assert_problem(client.get("/api/v1/", **headers(allowed + 1)), 431)
    assert "najwyżej 100" in message
    page = client.get("/", **headers(allowed + 1))
    assert page.status_code == 431
    assert "<h1>Nagłówki zapytania są za duże</h1>" in page.content.decode()


def test_a_header_field_too_long_gets_431(client):
    size = settings.REQUEST_HEADER_FIELD_MAX - len("X-Dlugi: ")
    assert client.get("/api/v1/", HTTP_X_DLUGI="a" * size).status_code == 200
    message = assert_problem(client.get("/api/v1/", HTTP_X_DLUGI="a" * (size + 1)), 431)
    assert message == (
        "Nagłówek X-Dlugi jest za długi: archiwum przyjmuje nagłówki do "
        f"{settings.REQUEST_HEADER_FIELD_MAX} znaków."
    )


def test_the_api_document_declares_both_refusals(client):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json()
    validate(document)
    answers = document["paths"]["/api/v1/postulaty/"]["get"]["responses"]
    assert answers["414"] == {"$ref": "#/components/responses/ZaDlugiAdres"}
    assert answers["431"] == {"$ref": "#/components/responses/ZaDuzeNaglowki"}
    refused = client.get(f"/api/v1/postulaty/?{long_query(settings.REQUEST_LINE_MAX + 1)}")
    declared = document["components"]["responses"]["ZaDlugiAdres"]["headers"]
    assert set(declared) <= set(refused.headers)


def test_header_fields_too_long_together_get_431(client):
    # 90 fields of 8 kB each: each within its own limit, together 720 kB.
    many = {f"HTTP_X_NAGLOWEK_{number}": "a" * 8000 for number in range(90)}
    message = assert_problem(client.get("/api/v1/", **many), 431)
    assert message.startswith("Nagłówki zapytania są razem za długie: ")
    assert message.endswith(f"a archiwum przyjmuje najwyżej {settings.REQUEST_HEADERS_TOTAL_MAX}.")
    page = client.get("/", **many)
    assert page.status_code == 431
    assert "<h1>Nagłówki zapytania są za duże</h1>" in page.content.decode()
    # Just within the total: served.
    fitting = {f"HTTP_X_NAGLOWEK_{number}": "a" * 7000 for number in range(4)}
    assert client.get("/api/v1/", **fitting).status_code == 200
