"""Properties every public page shares, checked across all page types."""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings
from django.urls import path
from pytest_django.asserts import assertContains

from meetings.models import Document, Meeting

pytestmark = pytest.mark.django_db


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/"):
            self.links.append(href.split("#")[0])


def links_on(client, url):
    response = client.get(url)
    if response.streaming:  # a download (CSV, ZIP, file), not a page with links
        return []
    collector = LinkCollector()
    collector.feed(response.content.decode())
    return collector.links


def test_every_item_of_the_seed_is_at_most_three_clicks_from_home(client, public_pages):
    reached, frontier = {"/"}, ["/"]
    for _ in range(3):
        frontier = [
            link for url in frontier for link in links_on(client, url) if link not in reached
        ]
        reached.update(frontier)
    items = [m.get_absolute_url() for m in Meeting.objects.all()]
    items += [d.get_absolute_url() for d in Document.objects.all()]
    assert [url for url in items if url not in reached] == []


def test_every_page_links_the_accessibility_statement(client, public_pages):
    for name, url in public_pages.items():
        response = client.get(url)
        assertContains(
            response,
            '<a href="/deklaracja-dostepnosci/">Deklaracja dostępności</a>',
            html=True,
            status_code=response.status_code,
        )
        assertContains(
            response,
            '<meta name="deklaracja-dostępności" '
            'content="https://testserver/deklaracja-dostepnosci/">',
            html=True,
            status_code=response.status_code,
        )
        assert b'<html lang="pl">' in response.content, name


def test_accessibility_statement_has_the_required_structure(client):
    html = client.get("/deklaracja-dostepnosci/").content.decode()
    ids = Counter(re.findall(r'id="(a11y-[a-z-]+)"', html))
    required = [
        "a11y-wstep",
        "a11y-podmiot",
        "a11y-zakres",
        "a11y-url",
        "a11y-data-publikacja",
        "a11y-data-aktualizacja",
        "a11y-status",
        "a11y-kontakt",
        "a11y-email",
        "a11y-telefon",
        "a11y-procedura",
        "a11y-data-sporzadzenie",
        "a11y-architektura",
        "a11y-komunikacja",
    ]
    assert {name: ids[name] for name in required} == dict.fromkeys(required, 1)
    for date_id in ("a11y-data-publikacja", "a11y-data-aktualizacja", "a11y-data-sporzadzenie"):
        assert re.search(rf'<time id="{date_id}" datetime="\d{{4}}-\d{{2}}-\d{{2}}">', html)
    assert "częściowo zgodna" in html


def test_unknown_page_answers_a_polish_404(client):
    response = client.get("/2025/spotkania/nie-ma-takiego-spotkania/")
    assertContains(response, "<h1>Nie znaleziono strony</h1>", html=True, status_code=404)


def broken_view(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("zepsute/", broken_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_answers_a_polish_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/zepsute/")
    assert response.status_code == 500
    assert "Przepraszamy, wystąpił błąd serwera" in response.content.decode()
    assert '<html lang="pl">' in response.content.decode()


def test_urls_are_readable_polish_slugs(public_pages):
    for url in public_pages.values():
        assert re.fullmatch(r"/([a-z0-9-]+/)*(\?[a-z0-9=&+-]+)?", url), url


@pytest.mark.parametrize("method", ["post", "put", "delete"])
@pytest.mark.parametrize("address", ["/", "/postulaty/", "/en/spotkania/", "/statystyki/"])
def test_writing_to_a_page_that_only_reads_answers_405_not_the_csrf_page(method, address):
    # An enforcing client, as a browser's form (or a bot) posting without a token would be.
    response = getattr(Client(enforce_csrf_checks=True), method)(address)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert not response.cookies
