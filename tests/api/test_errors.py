"""Every answer under /api/ is JSON, in one error shape ({"blad", "parametry"}): unknown
addresses, methods the read-only API does not take (no HTML CSRF page), a non-canonical record
address (redirected), a bad Host header; and conditional requests per RFC 9110."""

import logging

import pytest
from django.core.cache import caches

from krakow_ngo.log_format import JsonFormatter
from tests.factories import DepartmentFactory, MeetingFactory, PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postulate():
    return PostulateFactory(meeting=MeetingFactory(title="Spotkanie jawne"))


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"blad", "parametry"}
    assert body["blad"]
    return body


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "address", ["/api/v1/postulaty/", "/api/v1/openapi.json", "/api/v1/", "/api/v1/postulaty/1/"]
)
def test_writing_to_an_address_of_the_api_answers_405_with_the_methods_it_takes(
    method, address, postulate
):
    # An enforcing client, as a browser's form would be: no CSRF page, the API writes nothing.
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(address.replace("/1/", f"/{postulate.pk}/"))
    body = assert_problem(response, 405)
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert method.upper() in body["blad"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("address", ["/api/v1/nie-ma/", "/api/nic/", "/api/v1/postulaty/abc/"])
def test_writing_to_an_unknown_address_answers_404(client, address):
    assert_problem(client.post(address), 404)
    assert_problem(client.delete(address), 404)


def test_options_names_the_methods_too(client):
    response = client.options("/api/v1/postulaty/")
    assert response.status_code == 204
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert "Content-Type" not in response


@pytest.mark.parametrize("address", ["/api/v2/", "/api/v1/nieznane/"])
def test_options_at_an_unknown_address_answers_404(client, address):
    assert_problem(client.options(address), 404)


@pytest.mark.parametrize(
    ("address", "moved_to"),
    [
        ("/api/v1/postulaty/{pk}?pola=x", "/api/v1/postulaty/{pk}/?pola=x"),
        ("/api/v1/postulaty?rok=2020", "/api/v1/postulaty/?rok=2020"),
        ("/api/v1", "/api/v1/"),
        ("/api", "/api/"),
        ("/api?a=1", "/api/?a=1"),
    ],
)
def test_an_address_without_its_final_slash_is_moved_to_it_in_json(
    client, postulate, address, moved_to
):
    response = client.get(address.format(pk=postulate.pk))
    assert response.status_code == 301
    # Absolute, on the site's one origin (DJANGO_SITE_URL), like every address the API gives.
    location = "https://testserver" + moved_to.format(pk=postulate.pk)
    assert response["Location"] == location
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"adres": location}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_address_without_its_final_slash_is_not_found(client):
    assert_problem(client.get("/api/v1/nieznane"), 404)


def test_the_api_root_lists_its_versions(client):
    response = client.get("/api/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["wersje"] == {"v1": "https://testserver/api/v1/"}
    assert body["dokumentacja"] == "https://testserver/dane/api/"
    assert client.get(body["wersje"]["v1"]).status_code == 200
    assert_problem(client.get("/api/?x=1"), 400)


def test_a_record_at_a_non_canonical_address_is_moved_to_its_own(client, postulate):
    response = client.get(f"/api/v1/postulaty/0{postulate.pk}/")
    assert response.status_code == 301
    canonical = f"https://testserver/api/v1/postulaty/{postulate.pk}/"
    assert response["Location"] == canonical
    assert response.json() == {"adres": canonical}
    followed = client.get(response["Location"])
    assert followed.json()["adres"] == canonical


def test_a_server_error_under_the_api_is_json(client, postulate, monkeypatch):
    from api import views

    def broken(*args, **kwargs):
        raise RuntimeError("awaria")

    monkeypatch.setattr(views, "serialize", broken)
    client.raise_request_exception = False
    body = assert_problem(client.get(f"/api/v1/postulaty/{postulate.pk}/"), 500)
    assert "awaria" not in body["blad"]


def test_a_bad_host_gets_a_json_400_under_the_api_and_logs_a_warning_without_traceback(
    client, caplog
):
    with caplog.at_level(logging.INFO):
        api_answer = client.get("/api/v1/", HTTP_HOST="zly.example")
        page_answer = client.get("/spotkania/", HTTP_HOST="zly.example")
    assert_problem(api_answer, 400)
    assert page_answer.status_code == 400
    assert "text/html" in page_answer["Content-Type"]
    refusals = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(refusals) == 2
    for record in refusals:
        assert record.levelname == "WARNING"
        assert record.exc_info is None
        assert "zly.example" in record.getMessage()
        assert "Traceback" not in JsonFormatter().format(record)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- Conditional requests (RFC 9110, 13.1.2: If-None-Match compares weakly) -----------------


@pytest.fixture
def cached(settings, postulate):
    settings.PAGE_CACHE_ENABLED = True
    caches["default"].clear()
    return "/api/v1/postulaty/"


def test_the_tag_answers_304_weak_or_strong_alone_or_in_a_list(client, cached):
    etag = client.get(cached)["ETag"]
    assert etag.startswith('W/"')
    strong = etag.removeprefix("W/")
    for header in (etag, strong, f'"inny", {strong}', f'W/"inny", {etag}'):
        response = client.get(cached, HTTP_IF_NONE_MATCH=header)
        assert response.status_code == 304, header
        assert response["ETag"] == etag
    assert client.get(cached, HTTP_IF_NONE_MATCH='"inny"').status_code == 200


def test_any_tag_answers_304_only_where_a_record_exists(client, cached, postulate):
    assert client.get(cached, HTTP_IF_NONE_MATCH="*").status_code == 304
    detail = f"/api/v1/postulaty/{postulate.pk}/"
    assert client.get(detail, HTTP_IF_NONE_MATCH="*").status_code == 304
    missing = client.get("/api/v1/postulaty/999999/", HTTP_IF_NONE_MATCH="*")
    assert_problem(missing, 404)


# --- The positions' list and the list of commitments ---------------------------------------


def test_commitments_only_gives_the_records_of_the_list_of_commitments(client):
    department = DepartmentFactory(name="Wydział Kultury", slug="wydzial-kultury")
    answered = PostulateFactory(meeting=MeetingFactory(departments=[department]))
    earlier = PositionFactory(postulate=answered, commitment="Wcześniej obiecane.")
    earlier.answered_on = "2025-01-10"
    earlier.save()
    current = PositionFactory(postulate=answered, commitment="Remont w 2026.")
    current.answered_on = "2025-03-10"
    current.save()
    without = PositionFactory(postulate=PostulateFactory(meeting=answered.meeting))
    everything = {r["id"] for r in client.get("/api/v1/stanowiska/").json()["dane"]}
    assert everything == {earlier.pk, current.pk, without.pk}
    page = client.get("/postulaty/zobowiazania/")
    shown = {position.pk for position in page.context["object_list"]}
    only = client.get("/api/v1/stanowiska/", {"zobowiazania": "tak"})
    assert {r["id"] for r in only.json()["dane"]} == shown == {current.pk}
    assert only.json()["adres"] == "https://testserver/api/v1/stanowiska/?zobowiazania=tak"
    assert_problem(client.get("/api/v1/stanowiska/", {"zobowiazania": "nie"}), 400)
