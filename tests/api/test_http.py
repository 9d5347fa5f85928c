"""The API over HTTP like the pages: cached and revalidated by ETag, open to other sites'
scripts (CORS, read only), limited per client address, described by a valid OpenAPI
document whose every path answers."""

import re

import pytest
from django.core.cache import caches
from openapi_spec_validator import validate

from api.resources import RESOURCES
from meetings.models import Meeting
from tests.factories import MeetingFactory, PostulateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = MeetingFactory(title="Spotkanie jawne")
    PostulateFactory(meeting=meeting)
    return meeting


def test_the_openapi_document_validates_and_names_every_resource(client, meeting):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    for resource in RESOURCES:
        assert f"/api/v1/{resource.name}/" in paths
        assert f"/api/v1/{resource.name}/{{ident}}/" in paths


def test_the_openapi_document_tells_the_public_lists_filters(client, meeting):
    document = client.get("/api/v1/openapi.json").json()
    parameters = {
        parameter["name"]: parameter
        for parameter in document["paths"]["/api/v1/postulaty/"]["get"]["parameters"]
    }
    assert list(parameters) == [
        "q",
        "rok",
        "wydzial",
        "odpowiedzialny",
        "rodzaj",
        "sfera",
        "rozstrzygniecie",
        "organizacja",
        "program",
        "odpowiedz",
        "dotyczy_programu",
        "uwaga",
        "historia",
        "limit",
        "kursor",
    ]
    assert parameters["rodzaj"]["schema"]["enum"] == list(Meeting.Kind.values)
    assert parameters["limit"]["schema"]["maximum"] == 200
    record = document["components"]["schemas"]["Postulaty"]["properties"]
    assert record["tresc"]["description"] == "Treść postulatu."


def test_every_path_of_the_document_answers(client, meeting):
    document = client.get("/api/v1/openapi.json").json()
    for path in document["paths"]:
        if "{ident}" in path:
            listed = client.get(path.split("{ident}")[0]).json()["dane"]
            if not listed:
                continue
            first = listed[0]
            path = path.replace("{ident}", str(first.get("id", first.get("rok"))))
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/json"


def test_answers_are_open_to_other_sites_scripts(client, meeting):
    response = client.get("/api/v1/spotkania/")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    error = client.get("/api/v1/spotkania/?x=1")
    assert error["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/spotkania/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_the_pages_only_answer_reading(client, meeting):
    assert client.post("/api/v1/spotkania/").status_code == 405


def test_answers_are_cached_and_revalidated_like_pages(client, meeting, settings):
    settings.PAGE_CACHE_ENABLED = True
    # Read the generation on every request: a token another test left in this process,
    # trusted for a second, would change between two slow requests (a flaky 200 for the 304).
    settings.PAGE_CACHE_TOKEN_SECONDS = 0
    caches["default"].clear()
    first = client.get("/api/v1/postulaty/?limit=10")
    assert first.status_code == 200
    etag = first["ETag"]
    assert "public" in first["Cache-Control"]
    again = client.get("/api/v1/postulaty/?limit=10", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    hit = client.get("/api/v1/postulaty/?limit=10")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Access-Control-Allow-Origin"] == "*"
    assert hit.json() == first.json()
    # An error is never stored.
    bad = client.get("/api/v1/postulaty/?limit=0")
    assert bad.status_code == 400
    assert bad["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("cdn_max_age", "cache_control"),
    [(0, {"public", "no-cache"}), (120, {"public", "max-age=0", "s-maxage=120"})],
)
def test_answers_tell_shared_caches_what_the_pages_tell_them_and_vary_by_encoding_only(
    client, meeting, settings, cdn_max_age, cache_control
):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_TOKEN_SECONDS = 0
    settings.PAGE_CACHE_MAX_AGE = cdn_max_age  # DJANGO_CDN_MAX_AGE
    caches["default"].clear()
    page = client.get("/spotkania/")
    assert set(page["Cache-Control"].split(", ")) == cache_control
    # A page still varies by the reader's language.
    assert page["Vary"] == "Accept-Language, Accept-Encoding"
    for address in ("/api/v1/spotkania/?limit=5", "/api/v1/openapi.json", "/api/v1/", "/api/"):
        polish = client.get(address)
        english = client.get(address, HTTP_ACCEPT_LANGUAGE="en")
        assert english.content == polish.content, address
        for answer in (polish, english):
            assert set(answer["Cache-Control"].split(", ")) == cache_control, address
            assert answer["Vary"] == "Accept-Encoding", address
        not_modified = client.get(address, HTTP_IF_NONE_MATCH=polish["ETag"])
        assert not_modified.status_code == 304
        assert not_modified["Vary"] == "Accept-Encoding"
        assert set(not_modified["Cache-Control"].split(", ")) == cache_control


def test_a_client_past_the_rate_limit_is_told_when_to_come_back(
    client, meeting, settings, rate_limit_window
):
    settings.API_RATE_LIMIT = (3, 60)
    caches["default"].clear()
    answers = [client.get("/api/v1/spotkania/", REMOTE_ADDR="203.0.113.7") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json()["blad"] == (
        "Zbyt wiele zapytań z tego adresu. Spróbuj ponownie za chwilę."
    )
    assert re.fullmatch(r"\d+", refused["Retry-After"])
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Access-Control-Allow-Origin"] == "*"
    # Another address is counted apart; the pages are not limited.
    assert client.get("/api/v1/spotkania/", REMOTE_ADDR="203.0.113.8").status_code == 200
    assert client.get("/spotkania/", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_head_answers_like_get_without_the_body(client, meeting):
    full = client.get("/api/v1/spotkania/")
    head = client.head("/api/v1/spotkania/")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(full.content))
    assert head["Access-Control-Allow-Origin"] == "*"


def declared_headers(document, answer):
    answer = resolved(document, answer)
    return set(answer.get("headers", {}))


def resolved(document, item):
    while "$ref" in item:
        *_, kind, name = item["$ref"].split("/")
        item = document["components"][kind][name]
    return item


def test_the_document_declares_every_answer_and_header_the_api_sends(client, meeting, settings):
    """Each status a client can cause, caused for real: declared, with the headers it has."""
    settings.PAGE_CACHE_ENABLED = True
    settings.API_RATE_LIMIT = (5, 60)
    caches["default"].clear()
    document = client.get("/api/v1/openapi.json", REMOTE_ADDR="198.51.100.1").json()
    validate(document)
    assert document["servers"] == [
        {"url": "https://testserver", "description": document["servers"][0]["description"]}
    ]
    listing = document["paths"]["/api/v1/postulaty/"]["get"]["responses"]
    detail = document["paths"]["/api/v1/postulaty/{ident}/"]["get"]["responses"]
    postulate = meeting.postulates.get()
    PostulateFactory(meeting=meeting)  # so the first page of one has a next one (Link)
    addresses = iter(range(10, 100))

    def ask(method, url, **headers):
        # Each from an address of its own, under the limit, but for the last ones.
        address = headers.pop("REMOTE_ADDR", f"198.51.100.{next(addresses)}")
        return getattr(client, method)(url, REMOTE_ADDR=address, **headers)

    first = ask("get", "/api/v1/postulaty/?limit=1")
    answers = [
        (listing, first),
        (listing, ask("get", "/api/v1/postulaty/?limit=1", HTTP_IF_NONE_MATCH=first["ETag"])),
        (listing, ask("get", "/api/v1/postulaty/?limit=x")),
        (listing, ask("post", "/api/v1/postulaty/")),
        (detail, ask("get", f"/api/v1/postulaty/{postulate.pk}/")),
        (detail, ask("get", f"/api/v1/postulaty/0{postulate.pk}/")),
        (detail, ask("get", "/api/v1/postulaty/999999/")),
    ]
    answers += [
        (listing, ask("get", "/api/v1/postulaty/", REMOTE_ADDR="198.51.100.200")) for _ in range(6)
    ]
    statuses = set()
    for declared, response in answers:
        status = str(response.status_code)
        statuses.add(status)
        assert status in declared, status
        expected = declared_headers(document, declared[status])
        if status == "200" and not response.json().get("nastepna"):
            expected.discard("Link")  # only when a next page exists
        sent = {name for name in expected if name in response}
        assert sent == expected, (status, sent)
    assert statuses == {"200", "301", "304", "400", "404", "405", "429"}
