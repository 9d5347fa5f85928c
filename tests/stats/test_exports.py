import csv
import datetime
import io

import pytest
from pytest_django.asserts import assertContains

from postulates.models import Outcome
from tests.factories import (
    ArchiveYearFactory,
    DepartmentFactory,
    MeetingFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    ProgrammeFactory,
    PublicTaskAreaFactory,
)
from tests.stats.pages import outcome_rows, waiting_rows

pytestmark = pytest.mark.django_db

CATEGORIES = [*Outcome.Category.values, "bez-odpowiedzi"]


@pytest.fixture
def archive():
    outcomes = [OutcomeFactory(category=category) for category in Outcome.Category.values]
    areas = [PublicTaskAreaFactory(name="Kultura"), PublicTaskAreaFactory(name="Sport")]
    programme = ProgrammeFactory(first_year=2026)
    departments = [DepartmentFactory(name=f"Wydział nr {n}") for n in range(3)]
    for index in range(23):
        year = ArchiveYearFactory(year=2024 + index % 2)
        meeting = MeetingFactory(
            year=year,
            departments=[departments[index % 3]],
            dates=[datetime.date(year.year, 6, 1 + index)],
        )
        postulate = PostulateFactory(
            meeting=meeting, area=areas[index % 2], programme=programme if index % 4 else None
        )
        if index % 5:
            PositionFactory(
                postulate=postulate,
                outcome=outcomes[index % len(outcomes)],
                answered_on=datetime.date(year.year, 9, 1 + index % 7),
            )


def in_polish(number):
    """A number as the page's table shows it ("12.5" as read by tests.stats.pages) as the CSV
    writes it for a Polish spreadsheet ("12,5")."""
    return number.replace(".", ",")


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")  # spreadsheets then read it as UTF-8
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))


@pytest.mark.parametrize(
    ("page", "file"),
    [
        ("/statystyki/", "/statystyki/lata.csv"),
        ("/statystyki/wydzialy/", "/statystyki/wydzialy.csv"),
        ("/statystyki/sfery/?rok=2025", "/statystyki/sfery.csv?rok=2025"),
        ("/statystyki/programy/", "/statystyki/programy.csv"),
    ],
)
def test_csv_has_the_same_numbers_as_the_page(client, archive, page, file):
    html = client.get(page).content.decode()
    header, *rows = csv_rows(client.get(file))

    outcomes, waits = outcome_rows(html), waiting_rows(html)
    assert [row[0] for row in rows] == list(outcomes)
    for row in rows:
        postulates, shares = outcomes[row[0]]
        expected = [str(postulates)]
        for category in CATEGORIES:
            count, percent = shares[category]
            expected += [str(count), in_polish(percent)]
        expected += [
            "" if day in ("brak danych", "wszystkie z odpowiedzią") else in_polish(day)
            for day in waits[row[0]]
        ]
        assert row[1:] == expected, row[0]
    assert header[:4] == [header[0], "Postulaty", "uwzględnione (liczba)", "uwzględnione (%)"]
    assert header[-8:] == [
        "Postulaty z odpowiedzią",
        "Odpowiedzi z datami",
        "Mediana dni do odpowiedzi",
        "Średnia dni do odpowiedzi",
        "Najdłużej (dni)",
        "Postulaty bez odpowiedzi",
        "Mediana dni oczekiwania bez odpowiedzi",
        "Najdłużej bez odpowiedzi (dni)",
    ]


def test_csv_is_a_named_download_with_one_address(client, archive):
    response = client.get("/statystyki/wydzialy.csv?rok=2025")
    assert response["Content-Disposition"] == 'attachment; filename="statystyki-wydzialy-2025.csv"'
    assert response["X-Robots-Tag"] == "noindex"
    assert client.get("/en/statystyki/wydzialy.csv").status_code == 404
    # The English page links the same file.
    english = client.get("/en/statystyki/wydzialy/?rok=2025")
    assertContains(english, 'href="/statystyki/wydzialy.csv?rok=2025"')
    header, *_rows = csv_rows(client.get("/statystyki/lata.csv", HTTP_ACCEPT_LANGUAGE="en"))
    assert header[0] == "Rok"  # files stay Polish whatever the browser's language


def test_a_polish_spreadsheet_reads_shares_and_days_as_numbers(client, archive):
    """Semicolon-separated, so fractions have a decimal comma: Polish Excel reads "8,7" as a
    number, "8.7" as a date."""
    header, *rows = csv_rows(client.get("/statystyki/lata.csv"))
    total = dict(zip(header, rows[-1], strict=True))
    assert total["Rok"] == "Razem"
    assert (total["Postulaty"], total["nieuwzględnione (liczba)"]) == ("23", "5")
    assert total["nieuwzględnione (%)"] == "21,7"
    assert total["w toku (%)"] == "17,4"
    assert total["Mediana dni do odpowiedzi"] == "85"
    assert total["Średnia dni do odpowiedzi"] == "83,4"
    assert total["Postulaty bez odpowiedzi"] == "5"
    assert not any("." in value for value in total.values())


@pytest.mark.parametrize("dimension", ["lata", "wydzialy", "sfery", "programy"])
def test_each_statistics_file_has_its_sha256_beside_it(client, archive, dimension):
    import hashlib

    body = client.get(f"/statystyki/{dimension}.csv").content
    response = client.get(f"/statystyki/{dimension}.csv.sha256")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        f"{hashlib.sha256(body).hexdigest()}  statystyki-{dimension}.csv\n"
    )


def test_the_statistics_checksum_takes_no_parameters(client, archive):
    response = client.get("/statystyki/wydzialy.csv.sha256?rok=2025")
    assert response.status_code == 400
    assert response.content.decode() == (
        "Nie można przygotować sumy kontrolnej: nieznany parametr adresu: rok.\n"
        "Ten adres nie przyjmuje parametrów.\n"
    )


def test_the_harvest_file_gives_the_statistics_checksums(client, archive):
    harvest = client.get("/dane/dane-gov-pl.xml").content.decode()
    assert "Suma kontrolna SHA-256: https://testserver/statystyki/sfery.csv.sha256." in harvest
