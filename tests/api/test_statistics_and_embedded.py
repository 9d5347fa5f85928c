"""What the API adds to the full export's records: the statistics pages' numbers (from their
own code, equal to their CSV files), a meeting's documents and participating organisations,
and a position's earlier public versions (as the postulate's page shows them)."""

import csv
import datetime
import io

import pytest
from django.core.files.base import ContentFile

from meetings.models import MeetingParticipant
from postulates.models import Outcome
from tests.factories import (
    DRAFT,
    ArchiveYearFactory,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    PublicTaskAreaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    outcomes = [OutcomeFactory(category=category) for category in Outcome.Category.values]
    areas = [PublicTaskAreaFactory(name="Kultura"), PublicTaskAreaFactory(name="Sport")]
    departments = [DepartmentFactory(name=f"Wydział nr {n}") for n in range(3)]
    for index in range(17):
        year = ArchiveYearFactory(year=2024 + index % 2)
        meeting = MeetingFactory(
            year=year,
            departments=[departments[index % 3]],
            dates=[datetime.date(year.year, 6, 1 + index)],
        )
        postulate = PostulateFactory(meeting=meeting, area=areas[index % 2])
        if index % 4:
            PositionFactory(
                postulate=postulate,
                outcome=outcomes[index % len(outcomes)],
                answered_on=datetime.date(year.year, 9, 1 + index % 7),
            )


def csv_table(response):
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return rows[1:]


def as_csv(group):
    """A group of the API as the CSV writes its row (decimal comma, blanks for none)."""

    def cell(value):
        return "" if value is None else str(value).replace(".", ",")

    row = [str(group["postulaty"])]
    for category in group["kategorie"]:
        row += [str(category["liczba"]), f"{category['procent']:.1f}".replace(".", ",")]
    row += [
        cell(group[name])
        for name in (
            "z_odpowiedzia",
            "odpowiedzi_z_datami",
            "mediana_dni",
            "srednia_dni",
            "najdluzej_dni",
            "bez_odpowiedzi",
            "mediana_dni_oczekiwania",
            "najdluzej_bez_odpowiedzi_dni",
        )
    ]
    return row


@pytest.mark.parametrize(
    ("api", "csv_url", "query"),
    [
        ("/api/v1/statystyki/", "/statystyki/lata.csv", {}),
        ("/api/v1/statystyki/wydzialy/", "/statystyki/wydzialy.csv", {}),
        ("/api/v1/statystyki/sfery/", "/statystyki/sfery.csv", {"rok": "2025"}),
        ("/api/v1/statystyki/programy/", "/statystyki/programy.csv", {}),
    ],
)
def test_the_statistics_are_the_numbers_of_the_pages_csv(client, answered, api, csv_url, query):
    response = client.get(api, query)
    assert response.status_code == 200
    body = response.json()
    expected = csv_table(client.get(csv_url, query))
    shown = [[group["nazwa"], *as_csv(group)] for group in body["grupy"]]
    shown.append(["Razem", *as_csv(body["razem"])])
    # Integers print alike; the CSV's whole-number medians have no decimals either.
    normalised = [[cell.removesuffix(",0") for cell in row] for row in shown]
    assert normalised == [[cell.removesuffix(",0") for cell in row] for row in expected]
    assert body["csv"].startswith(f"https://testserver{csv_url}")
    assert body["strona"].startswith("https://testserver/statystyki/")


def test_the_statistics_take_the_pages_filters_and_refuse_others(client, answered):
    body = client.get("/api/v1/statystyki/", {"sfera": "sport"}).json()
    assert body["adres"] == "https://testserver/api/v1/statystyki/?sfera=sport"
    assert body["tytul"].endswith(": Sport")
    assert body["razem"]["postulaty"] == 8
    refused = client.get("/api/v1/statystyki/", {"sfera": "nie-ma"})
    assert refused.status_code == 400
    assert list(refused.json()["parametry"]) == ["sfera"]
    # A dimension's own filter is not offered on its page, nor here.
    assert client.get("/api/v1/statystyki/sfery/", {"sfera": "sport"}).status_code == 400
    index = client.get("/api/v1/").json()["statystyki"]
    assert index["lata"] == "https://testserver/api/v1/statystyki/"
    assert index["wydzialy"] == "https://testserver/api/v1/statystyki/wydzialy/"


@pytest.mark.parametrize("year", ["+2025", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%95"])
def test_a_year_written_otherwise_is_refused_as_the_statistics_page_refuses_it(
    client, answered, year
):
    """The statistics form takes a year only as its page offers it; the API reads the same
    form, so both answer 400 naming `rok` (the lists, whose filter reads the number, take it
    and the API's address names it `rok=2025`)."""
    assert client.get(f"/statystyki/sfery/?rok={year}").status_code == 400
    refused = client.get(f"/api/v1/statystyki/sfery/?rok={year}")
    assert refused.status_code == 400
    assert list(refused.json()["parametry"]) == ["rok"]
    assert client.get("/api/v1/statystyki/sfery/?rok=2025").json()["adres"] == (
        "https://testserver/api/v1/statystyki/sfery/?rok=2025"
    )


def test_a_meeting_embeds_its_public_documents_and_named_organisations(client):
    meeting = MeetingFactory(title="Spotkanie z dokumentami")
    summary = DocumentFactory(meeting=meeting, title="Podsumowanie")
    DocumentFactory(meeting=meeting, title="Szkic", **DRAFT)
    present = OrganisationFactory(name="Fundacja Obecna")
    hidden = OrganisationFactory(name="Organizacja w szkicu", **DRAFT)
    for organisation in (present, hidden):
        MeetingParticipant.objects.create(meeting=meeting, organisation=organisation)
    record = client.get(f"/api/v1/spotkania/{meeting.pk}/").json()["dane"]
    document = client.get(f"/api/v1/dokumenty/{summary.pk}/").json()["dane"]
    assert record["dokumenty"] == [document]
    organisation = client.get(f"/api/v1/organizacje/{present.pk}/").json()["dane"]
    assert record["organizacje"] == [organisation]
    assert record["organizacje_id"] == [present.pk]
    listed = client.get("/api/v1/spotkania/").json()["dane"]
    assert listed == [record]


def test_a_document_links_its_text_version_as_its_page_does(client):
    meeting = MeetingFactory(title="Spotkanie z plikiem")
    with_file = DocumentFactory(meeting=meeting, title="Podsumowanie")
    with_file.file.save("podsumowanie.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    without = DocumentFactory(meeting=meeting, title="Bez pliku", file="")
    record = client.get(f"/api/v1/dokumenty/{with_file.pk}/").json()["dane"]
    assert record["wersja_tekstowa"] == f"https://testserver{with_file.get_text_url()}"
    assert record["wersja_tekstowa"].endswith("/tekst/")
    assert client.get(with_file.get_text_url()).status_code == 200
    assert client.get(f"/api/v1/dokumenty/{without.pk}/").json()["dane"]["wersja_tekstowa"] is None


def test_a_position_lists_its_earlier_public_versions(client):
    position = PositionFactory(
        justification="Pierwsza odpowiedź.", answered_on=datetime.date(2025, 3, 1)
    )
    position.justification = "Odpowiedź poprawiona."
    position.commitment = "Remont sali w 2026."
    position.save()
    record = client.get(f"/api/v1/stanowiska/{position.pk}/").json()["dane"]
    assert record["uzasadnienie"] == "Odpowiedź poprawiona."
    (earlier,) = record["wczesniejsze_wersje"]
    (revision,) = position.revisions.all()
    assert earlier["uzasadnienie"] == "Pierwsza odpowiedź."
    assert earlier["zobowiazanie"] == ""
    assert earlier["data"] == "2025-03-01"
    assert earlier["rozstrzygniecie_id"] == position.outcome_id
    page = position.postulate.get_absolute_url()
    assert earlier["adres"] == f"https://testserver{page}#position-version-{revision.pk}"
    html = client.get(page).content.decode()
    assert f'id="position-version-{revision.pk}"' in html
    assert "Pierwsza odpowiedź." in html
    unchanged = PositionFactory()
    assert (
        client.get(f"/api/v1/stanowiska/{unchanged.pk}/").json()["dane"]["wczesniejsze_wersje"]
        == []
    )


def test_each_category_names_the_outcome_filter_values_it_counts(client, answered):
    """The statistics' category codes told in the lists' vocabulary: the postulates of a
    category are the list filtered by each outcome it names, however many."""
    OutcomeFactory(name="odrzucony w całości", category=Outcome.Category.REJECTED)
    body = client.get("/api/v1/statystyki/").json()
    categories = body["razem"]["kategorie"]
    assert [c["kategoria"] for c in categories] == [*Outcome.Category.values, "bez-odpowiedzi"]
    named = [slug for category in categories for slug in category["rozstrzygniecia"]]
    assert sorted(named) == sorted(Outcome.objects.values_list("slug", flat=True))
    for category in categories[:-1]:  # the last: postulates without an answer
        expected = Outcome.objects.filter(category=category["kategoria"])
        assert category["rozstrzygniecia"] == sorted(expected.values_list("slug", flat=True))
        listed = 0
        for slug in category["rozstrzygniecia"]:
            answer = client.get(f"/api/v1/postulaty/?rozstrzygniecie={slug}&limit=200")
            assert answer.status_code == 200
            listed += len(answer.json()["dane"])
        assert listed == category["liczba"], category["kategoria"]
    assert categories[-1]["rozstrzygniecia"] == []
    # Each group's categories carry the same vocabulary.
    for group in body["grupy"]:
        assert [c["rozstrzygniecia"] for c in group["kategorie"]] == [
            c["rozstrzygniecia"] for c in categories
        ]


def test_the_document_lists_the_category_codes(client):
    document = client.get("/api/v1/openapi.json").json()
    described = document["components"]["schemas"]["CategoryCount"]["properties"]
    for code in [*Outcome.Category.values, "bez-odpowiedzi"]:
        assert code in described["kategoria"]["description"]
    assert "rozstrzygniecie" in described["rozstrzygniecia"]["description"]


def test_a_statistics_category_is_the_value_of_the_postulate_lists_odpowiedz_filter(
    client, answered
):
    document = client.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/postulaty/"]["get"]["parameters"]
    (odpowiedz,) = [p for p in parameters if p["name"] == "odpowiedz"]
    totals = client.get("/api/v1/statystyki/").json()["razem"]
    codes = [category["kategoria"] for category in totals["kategorie"]]
    assert codes == odpowiedz["schema"]["enum"]
    assert codes == [
        "uwzgledniony",
        "czesciowo",
        "nieuwzgledniony",
        "w-toku",
        "informacja",
        "bez-odpowiedzi",
    ]
    # The filter shows exactly the postulates the statistics count in the category.
    for category in totals["kategorie"]:
        listed = client.get(
            "/api/v1/postulaty/", {"odpowiedz": category["kategoria"], "limit": 200}
        )
        assert len(listed.json()["dane"]) == category["liczba"], category["kategoria"]
    described = document["components"]["schemas"]["CategoryCount"]["properties"]["kategoria"]
    assert "To wartości filtru `odpowiedz` listy postulatów" in described["description"]


def test_the_documentation_page_says_so(client):
    page = client.get("/dane/api/").content.decode()
    assert (
        "Kategorie statystyk (pole <code>kategoria</code>: uwzgledniony, czesciowo, "
        "nieuwzgledniony, w-toku, informacja, bez-odpowiedzi) to wartości filtru "
        "<code>odpowiedz</code> listy postulatów"
    ) in page
    assert "<code>odpowiedz</code> (obecne stanowisko (jak w statystykach))" in page
    assert "Te wartości podaje też pole <code>slug</code>" in page
