"""An API request has one meaning and one answer for everyone: a parameter given twice is
refused (400 naming it), and the cookies of an editor's browser (session, CSRF) change
nothing: the answer stays public and cacheable, sets no cookie and does not vary by Cookie."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches

from tests.factories import DepartmentFactory, MeetingFactory, PostulateFactory

pytestmark = pytest.mark.django_db

REPEATED = "Parametr podano więcej niż raz; podaj jedną wartość."


@pytest.fixture
def postulate():
    return PostulateFactory(meeting=MeetingFactory(title="Spotkanie jawne"))


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("limit=10&limit=20", ["limit"]),
        ("limit=10&limit=10", ["limit"]),
        ("kursor=1&kursor=2", ["kursor"]),
        ("wydzial=a&wydzial=b&limit=5", ["wydzial"]),
        ("q=ab&limit=1&q=cd&limit=2", ["limit", "q"]),
    ],
)
def test_a_parameter_given_twice_is_refused_by_name(client, postulate, query, named):
    response = client.get(f"/api/v1/postulaty/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "blad": "Nieprawidłowe parametry zapytania.",
        "parametry": {name: [REPEATED] for name in named},
    }


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/postulaty/{pk}/?x=1&x=2",
        "/api/v1/?a=&a=",
        "/api/v1/statystyki/wydzialy/?rok=1&rok=2",
    ],
)
def test_every_address_refuses_a_repeated_parameter(client, postulate, address):
    response = client.get(address.format(pk=postulate.pk))
    assert response.status_code == 400
    assert set(response.json()["parametry"]) == {address.rsplit("=", 1)[0].rsplit("&", 1)[1]}


def test_a_repeated_parameter_is_refused_to_head_too(client, postulate):
    response = client.head("/api/v1/postulaty/?limit=1&limit=2")
    assert response.status_code == 400
    assert response.content == b""


def test_a_parameter_given_once_with_others_is_fine(client, postulate):
    department = DepartmentFactory()
    response = client.get(f"/api/v1/postulaty/?limit=1&wydzial={department.slug}")
    assert response.status_code == 200


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_user("redaktor", password="x", is_staff=True)
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    return client


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/",
        "/api/v1/postulaty/",
        "/api/v1/postulaty/?limit=1",
        "/api/v1/openapi.json",
        "/api/v1/statystyki/wydzialy/",
    ],
)
def test_an_editors_cookies_leave_the_answer_public_and_the_session_untouched(
    editor_client, postulate, settings, address
):
    settings.PAGE_CACHE_ENABLED = True
    caches["default"].clear()
    anonymous = editor_client.__class__().get(address)
    for _ in range(2):
        response = editor_client.get(address)
        assert response.status_code == 200
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")
        assert response["Cache-Control"] == anonymous["Cache-Control"]
        assert "public" in response["Cache-Control"]
        assert response.content == anonymous.content
    assert response["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    "address", ["/api/v1/postulaty/?limit=0", "/api/v1/nie-ma/", "/api/v1/postulaty/999999/"]
)
def test_an_error_answer_sets_no_cookie_either(editor_client, postulate, address):
    response = editor_client.get(address)
    assert response.status_code in (400, 404)
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_a_stale_session_cookie_is_not_deleted_by_the_api(client, postulate):
    # Django's session middleware answers an empty session's cookie with a deleting
    # Set-Cookie and Vary: Cookie; the API never hears of the cookie.
    client.cookies[settings.SESSION_COOKIE_NAME] = "x"
    response = client.get("/api/v1/postulaty/")
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    # The site still ends it, as before.
    page = client.get("/")
    assert page.cookies[settings.SESSION_COOKIE_NAME].value == ""


def test_the_editor_is_still_signed_in_on_the_site(editor_client, postulate):
    editor_client.get("/api/v1/postulaty/")
    assert editor_client.get(f"/{settings.ADMIN_URL}").status_code == 200


@pytest.mark.parametrize("address", ["/api", "/api?x=1", "/api/", "/api/v1"])
def test_the_api_root_with_or_without_its_slash_sets_no_cookie(client, address):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x"
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    response = client.get(address)
    assert response.status_code in (200, 301)
    assert response["Content-Type"] == "application/json"
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
