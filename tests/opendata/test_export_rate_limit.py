"""Filtered exports are built during their request, so one client address may ask for only so
many in a window (ratelimits.counting, the limit the API uses): past it a 429 with
Retry-After, a Polish page for a browser and plain text for a script. The files of the whole
lists are prebuilt and never counted."""

import re

import pytest
from django.core.cache import caches

from ratelimits.models import RequestCount

pytestmark = pytest.mark.django_db

FILTERED = [
    "/postulaty/eksport.json?q=łąk",
    "/postulaty/eksport.csv?q=łąk",
    "/spotkania/eksport.json?rodzaj=szkolenie",
    "/spotkania/eksport.csv?rok=2025",
    "/postulaty/zobowiazania/eksport.csv?rok=2025",
    "/postulaty/zobowiazania/eksport.json?rok=2025",
    "/statystyki/wydzialy.csv?rok=2025",
]


@pytest.fixture
def limited(settings, rate_limit_window):
    settings.EXPORT_RATE_LIMIT = (3, 60)
    caches["default"].clear()
    RequestCount.objects.all().delete()


@pytest.mark.parametrize("address", FILTERED)
def test_a_client_past_the_limit_is_told_when_to_come_back(client, archive, limited, address):
    answers = [client.get(address, REMOTE_ADDR="203.0.113.7") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert re.fullmatch(r"\d+", refused["Retry-After"])
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    text = refused.content.decode()
    assert refused["Content-Type"] == "text/plain; charset=utf-8"
    assert text.startswith(
        "Z tego adresu pobrano w ostatniej chwili zbyt wiele plików z filtrami. "
        f"Spróbuj ponownie za {refused['Retry-After']} s albo pobierz pełny plik bez filtrów."
    )
    assert "Pełny plik bez filtrów: https://testserver/" in text


def test_a_browser_gets_a_polish_page(client, archive, limited):
    for _ in range(3):
        client.get(FILTERED[0], REMOTE_ADDR="203.0.113.7")
    refused = client.get(FILTERED[0], REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT="text/html")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "text/html; charset=utf-8"
    page = refused.content.decode()
    assert "<h1>Zbyt wiele pobrań plików z filtrami</h1>" in page
    assert 'lang="pl"' in page
    assert 'href="/postulaty/eksport.json"' in page  # the full file, which is not limited


def test_the_limit_counts_every_filtered_export_of_one_address_together(client, archive, limited):
    statuses = [client.get(address, REMOTE_ADDR="203.0.113.7").status_code for address in FILTERED]
    assert statuses == [200, 200, 200, 429, 429, 429, 429]
    # Another address is counted apart.
    assert client.get(FILTERED[0], REMOTE_ADDR="203.0.113.8").status_code == 200


def test_full_exports_and_the_lists_are_not_counted(client, archive, limited):
    for _ in range(3):
        client.get(FILTERED[0], REMOTE_ADDR="203.0.113.7")
    for address in (
        "/postulaty/eksport.json",
        "/spotkania/eksport.csv",
        "/postulaty/?q=łąk",
        "/statystyki/wydzialy.csv",
        "/statystyki/?rok=2025",
    ):
        assert client.get(address, REMOTE_ADDR="203.0.113.7").status_code == 200
    assert client.get(FILTERED[0], REMOTE_ADDR="203.0.113.7").status_code == 429


def test_bad_filters_are_refused_before_they_count(client, archive, limited):
    for _ in range(5):
        assert (
            client.get("/postulaty/eksport.json?rok=abc", REMOTE_ADDR="203.0.113.7").status_code
            == 400
        )
    assert client.get(FILTERED[0], REMOTE_ADDR="203.0.113.7").status_code == 200


@pytest.mark.parametrize(
    "address", ["/postulaty/eksport.json?organizacia=x", "/statystyki/wydzialy.csv?roky=2025"]
)
def test_unknown_parameters_are_refused_before_they_count(client, archive, limited, address):
    for _ in range(5):
        assert client.get(address, REMOTE_ADDR="203.0.113.7").status_code == 400
    assert client.get(FILTERED[0], REMOTE_ADDR="203.0.113.7").status_code == 200
