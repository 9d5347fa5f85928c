"""A list's address holds its filters and a page number, nothing else (core.views
.list_parameters, read from the list's FilterSet): a download refuses any other parameter by
name, so a typo (?organizacia=) never quietly gives the whole file; the list page shows the
list and names what it ignored, except the tracking parameters that shared links carry."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from meetings.filters import MeetingFilter
from postulates.filters import CommitmentFilter, PostulateFilter

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    ("/spotkania/eksport.csv", MeetingFilter),
    ("/spotkania/eksport.json", MeetingFilter),
    ("/postulaty/eksport.csv", PostulateFilter),
    ("/postulaty/eksport.json", PostulateFilter),
    ("/postulaty/zobowiazania/eksport.csv", CommitmentFilter),
    ("/postulaty/zobowiazania/eksport.json", CommitmentFilter),
]


@pytest.mark.parametrize(("address", "filterset"), DOWNLOADS)
def test_a_download_refuses_an_unknown_parameter_by_name(client, archive, address, filterset):
    response = client.get(f"{address}?organizacia=fundacja&rok=2025")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    allowed = ", ".join(sorted({*filterset.base_filters, "page"}))
    assert response.content.decode() == (
        "Nie można przygotować eksportu: nieznany parametr adresu: organizacia.\n"
        f"Dozwolone parametry: {allowed}.\n"
    )


def test_a_download_refuses_tracking_parameters_too(client, archive):
    response = client.get("/postulaty/eksport.csv?utm_source=x&fbclid=y")
    assert response.status_code == 400
    assert response.content.decode().startswith(
        "Nie można przygotować eksportu: nieznany parametr adresu: fbclid, utm_source.\n"
    )


def test_a_download_takes_the_lists_page_number(client, archive):
    # The list's own download link drops it, but an address copied with it still works.
    assert client.get("/postulaty/eksport.csv?page=2").status_code == 200


def test_the_statistics_file_refuses_an_unknown_parameter_by_name(client, archive):
    response = client.get("/statystyki/wydzialy.csv?roky=2025")
    assert response.status_code == 400
    assert response.content.decode().startswith(
        "Nie można przygotować statystyk: nieznany parametr adresu: roky.\nDozwolone parametry: "
    )
    # The department is the file's dimension, not a filter of it.
    assert client.get("/statystyki/wydzialy.csv?wydzial=x").status_code == 400


@pytest.mark.parametrize(
    "address", ["/spotkania/", "/postulaty/", "/postulaty/zobowiazania/", "/organizacje/"]
)
def test_a_list_page_names_the_parameter_it_ignored(client, archive, address):
    response = client.get(f"{address}?organizacia=fundacja")
    assert response.status_code == 200
    assertContains(
        response,
        '<p class="form-errors" role="status">Pominięto nieznany parametr adresu: organizacia. '
        "Lista pokazuje wyniki bez niego; sprawdź pisownię.</p>",
        html=True,
    )
    several = client.get(f"{address}?b=1&a=2&page=1")
    assertContains(several, "Pominięto nieznane parametry adresu: a, b.")


def test_tracking_parameters_are_ignored_silently(client, archive):
    response = client.get("/postulaty/?utm_source=newsletter&utm_medium=e-mail&fbclid=x&gclid=y")
    assert response.status_code == 200
    assertNotContains(response, "Pominięto")


def test_the_lists_download_links_carry_only_its_filters(client, archive):
    response = client.get("/spotkania/?rok=2025&page=1&utm_source=x&organizacia=y")
    assertContains(response, 'href="/spotkania/eksport.csv?rok=2025"')
    assertContains(response, 'href="/spotkania/eksport.json?rok=2025"')
    assert client.get("/spotkania/eksport.csv?rok=2025").status_code == 200


def test_the_english_list_page_names_it_in_english(client, archive):
    response = client.get("/en/postulaty/?organizacia=fundacja")
    assertContains(
        response,
        "Ignored an unknown parameter of the address: organizacia. The list shows the results "
        "without it; check the spelling.",
    )
