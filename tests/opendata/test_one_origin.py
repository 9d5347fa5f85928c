"""Every absolute address the archive gives out starts with its configured origin
(settings.SITE_URL), however the request reached it: an API answer, the OpenAPI `servers`,
a feed, a filtered export built now and a full export built ahead of requests (by the worker,
without a request) name the same site, so a reuser never finds two addresses for one record."""

import re

import pytest
from django.core.cache import cache

from tests.opendata.conftest import body

pytestmark = pytest.mark.django_db

SITE = "http://archiwum.example.pl:8080"
# The proxy's internal name, over https: what a request-built address would have said.
INTERNAL = "wewnetrzny.example"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [INTERNAL, "archiwum.example.pl"]
    settings.PAGE_CACHE_TOKEN_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def fetch(client, address):
    response = client.get(address, HTTP_HOST=INTERNAL, secure=True)
    assert response.status_code == 200, address
    return body(response) if response.streaming else response.content


def own_addresses(content):
    """Every absolute address in `content` that points at this archive (by either name)."""
    text = content.decode("utf-8")
    return re.findall(
        rf"[a-z]+://(?:{re.escape(INTERNAL)}|archiwum\.example\.pl)[^\s\"'<;,]*", text
    )


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/",
        "/api/v1/spotkania/",
        "/api/v1/postulaty/?limit=1",
        "/api/v1/stanowiska/",
        "/kanaly/nowe.atom",
        "/kanaly-i-kalendarze/",
        "/dane/dane-gov-pl.xml",
        "/dane/katalog.rdf",
        "/dane/schema.json",
        # Filtered: built for this request.
        "/postulaty/eksport.json?q=łąk",
        "/postulaty/eksport.csv?q=łąk",
        "/spotkania/eksport.json?rok=2025",
        # Unfiltered: the prebuilt files of the whole lists (built without a request).
        "/postulaty/eksport.json",
        "/spotkania/eksport.csv",
        "/postulaty/zobowiazania/eksport.json",
    ],
)
def test_every_address_given_out_starts_with_the_sites_origin(client, archive, site, address):
    addresses = own_addresses(fetch(client, address))
    assert addresses, address
    # A calendar subscription is the same address in webcal: (calendar apps subscribe to it).
    subscription = SITE.replace("http://", "webcal://")
    assert [url for url in addresses if not url.startswith((f"{SITE}/", f"{subscription}/"))] == []


def test_the_api_and_the_export_give_one_record_the_same_address(client, archive, site):
    import json

    record = json.loads(fetch(client, "/api/v1/postulaty/?limit=1"))["dane"][0]
    exported = json.loads(fetch(client, "/postulaty/eksport.json"))
    rows = exported["dane"] if isinstance(exported, dict) else exported
    same = next(row for row in rows if row["id"] == record["id"])
    assert same["adres"] == record["adres"]
    assert same["adres"].startswith(f"{SITE}/")


def test_the_openapi_servers_are_the_sites_origin(client, site):
    document = client.get("/api/v1/openapi.json", HTTP_HOST=INTERNAL, secure=True).json()
    assert [server["url"] for server in document["servers"]] == [SITE]
