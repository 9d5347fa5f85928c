"""CSV and JSON of the meeting and postulate lists: what they hold, that they hold exactly what
the list shows for the same parameters, and that they never hold what the public cannot see."""

import re

import pytest

from pagecache import generation
from tests.factories import (
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    PositionFactory,
    PostulateFactory,
)
from tests.opendata.conftest import SECRET, absolute, body, read_csv, read_json

pytestmark = pytest.mark.django_db

EXPORTS = [
    "/spotkania/eksport.csv",
    "/spotkania/eksport.json",
    "/postulaty/eksport.csv",
    "/postulaty/eksport.json",
]


def test_meeting_csv_round_trip(client, archive):
    response = client.get("/spotkania/eksport.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "spotkania.csv" in response["Content-Disposition"]
    rows = {int(row["Identyfikator"]): row for row in read_csv(response)}
    zielen = archive["zielen"]
    row = rows[zielen.pk]
    assert row == {
        "Identyfikator": str(zielen.pk),
        "Adres": absolute(zielen.get_absolute_url()),
        "Tytuł": "Spotkanie o zieleni: żółw, źrebię i łąki",
        "Rok": "2025",
        "Rodzaj": "spotkanie branżowe",
        "Daty": "2025-06-10; 2025-06-11",
        "Miejsce": "Centrum Obywatelskie, ul. Reymonta 20",
        "Online": "nie",
        "Wydziały i jednostki": "Wydział Kultury; Wydział Kształtowania Środowiska",
        "Cykl spotkań": "Spotkania branżowe – czerwiec 2025",
        "Program współpracy": "RPW 2026",
        "Temat": "Zieleń miejska – pszczoły, łąki kwietne",
        "Liczba dokumentów": "1",
        "Liczba postulatów": "2",
    } | {"Wydziały i jednostki": row["Wydziały i jednostki"]}
    assert set(row["Wydziały i jednostki"].split("; ")) == {
        "Wydział Kultury",
        "Wydział Kształtowania Środowiska",
    }
    online = rows[archive["online"].pk]
    assert (online["Online"], online["Daty"], online["Rodzaj"]) == ("tak", "", "szkolenie")
    assert online["Wydziały i jednostki"] == "Wydział Kultury i Dziedzictwa Narodowego"


def test_meeting_json_round_trip(client, archive):
    response = client.get("/spotkania/eksport.json", {"rok": 2025, "page": 3})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = read_json(response)
    assert data["zrodlo"] == absolute("/spotkania/?rok=2025")
    assert data["licencja"]["nazwa"] == "CC BY 4.0"
    assert data["licencja"]["uznanie_autorstwa"] == "Gmina Miejska Kraków"
    assert data["wygenerowano"][:4].isdigit()
    assert data["liczba"] == len(data["dane"])
    zielen, document = archive["zielen"], archive["document"]
    record = next(r for r in data["dane"] if r["id"] == zielen.pk)
    assert record == {
        "id": zielen.pk,
        "adres": absolute(zielen.get_absolute_url()),
        "tytul": "Spotkanie o zieleni: żółw, źrebię i łąki",
        "rok": 2025,
        "rodzaj": "spotkanie branżowe",
        "daty": ["2025-06-10", "2025-06-11"],
        "miejsce": "Centrum Obywatelskie, ul. Reymonta 20",
        "online": False,
        "wydzialy": record["wydzialy"],
        "cykl": "Spotkania branżowe – czerwiec 2025",
        "program": "RPW 2026",
        "temat": "Zieleń miejska – pszczoły, łąki kwietne",
        "dokumenty": [
            {
                "tytul": "Podsumowanie spotkania – źródła",
                "rodzaj": "podsumowanie spotkania",
                "adres": absolute(document.get_absolute_url()),
                "plik": None,
            }
        ],
        "liczba_postulatow": 2,
    }
    assert sorted(record["wydzialy"]) == ["Wydział Kształtowania Środowiska", "Wydział Kultury"]
    assert archive["online"].pk not in {r["id"] for r in data["dane"]}


def test_postulate_csv_round_trip_names_no_private_person(client, archive):
    rows = {
        int(row["Identyfikator"]): row for row in read_csv(client.get("/postulaty/eksport.csv"))
    }
    postulate, zielen = archive["postulate"], archive["zielen"]
    assert rows[postulate.pk] == {
        "Identyfikator": str(postulate.pk),
        "Adres": absolute(f"/postulaty/{postulate.pk}/"),
        "Numer": "1",
        "Rok": "2025",
        "Treść": "Więcej łąk kwietnych przy ulicach; żadnych koszeń w maju.",
        "Organizacja": "Stowarzyszenie „Źródło” – Łódź i Kraków",
        "Sfera zadań publicznych": "Ekologia i ochrona zwierząt oraz dziedzictwa przyrodniczego",
        "Wydział właściwy": "Wydział Kształtowania Środowiska",
        "Program współpracy": "RPW 2026",
        "Spotkanie": zielen.title,
        "Adres spotkania": absolute(zielen.get_absolute_url()),
        "Cykl spotkań": "",
        "Data spotkania": "2025-06-10",
        # The latest published answer; the later draft one stays hidden.
        "Rozstrzygnięcie (ostatnie stanowisko)": "uwzględniony",
        "Uzasadnienie (ostatnie stanowisko)": "Uwzględniono – łąki powstaną w 2026 r.",
        "Data ostatniego stanowiska": "2025-09-01",
        "Liczba stanowisk": "2",
    }
    private = rows[archive["private"].pk]
    assert private["Organizacja"] == ""
    assert private["Treść"] == "Postulat osoby prywatnej: ławki."


def test_postulate_json_round_trip(client, archive):
    data = read_json(client.get("/postulaty/eksport.json"))
    records = {record["id"]: record for record in data["dane"]}
    assert data["liczba"] == len(records) == 3
    record = records[archive["postulate"].pk]
    assert record["organizacja"] == "Stowarzyszenie „Źródło” – Łódź i Kraków"
    assert record["spotkanie"] == {
        "tytul": archive["zielen"].title,
        "adres": absolute(archive["zielen"].get_absolute_url()),
    }
    assert record["cykl"] is None
    assert record["rok"] == 2025
    assert record["data_spotkania"] == "2025-06-10"
    assert record["stanowiska"] == [
        {
            "rozstrzygniecie": "nieuwzględniony",
            "uzasadnienie": "Najpierw: brak środków.",
            "data": "2025-08-01",
            "wydzial": "Wydział Kształtowania Środowiska",
            "zobowiazanie": "",
            "termin_zobowiazania": None,
            "data_wykonania_zobowiazania": None,
        },
        {
            "rozstrzygniecie": "uwzględniony",
            "uzasadnienie": "Uwzględniono – łąki powstaną w 2026 r.",
            "data": "2025-09-01",
            "wydzial": "Wydział Kształtowania Środowiska",
            "zobowiazanie": "",
            "termin_zobowiazania": None,
            "data_wykonania_zobowiazania": None,
        },
    ]
    private = records[archive["private"].pk]
    assert private["organizacja"] is None
    # Its answer came from a department whose record is a draft: the name is left out.
    assert private["stanowiska"][0]["wydzial"] is None


def html_ids(client, url, params):
    """Ids of every record the HTML list shows for `params`, over all its pages."""
    ids, page = [], 1
    while True:
        response = client.get(url, {**params, "page": page})
        assert response.status_code == 200
        page_obj = response.context["page_obj"]
        ids += [record.pk for record in page_obj.object_list]
        if not page_obj.has_next():
            return ids
        page += 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"rok": 2024},
        {"rok": 2025, "wydzial": "wydzial-kultury"},
        {"rok": 2024, "wydzial": "wydzial-kultury"},
        {"wydzial": "wydzial-ksztaltowania-srodowiska"},
        {"rodzaj": "szkolenie"},
        {"organizacja": "stowarzyszenie-zrodlo-lodz-i-krakow"},
        {"rok": 2025, "rozstrzygniecie": "uwzgledniony"},
        {"rok": 2025, "program": "rpw-2026", "page": "2"},
    ],
)
@pytest.mark.parametrize("kind", ["spotkania", "postulaty"])
def test_exports_hold_exactly_what_the_list_shows(client, archive, params, kind):
    # More records than one page, in the department filtered by, to see every page counted.
    for number in range(55):
        MeetingFactory(year=archive["years"][2024], departments=[archive["old_culture"]])
        PostulateFactory(meeting=archive["online"], number=100 + number)
    list_params = {key: value for key, value in params.items() if key != "page"}
    expected = html_ids(client, f"/{kind}/", list_params)
    from_json = [r["id"] for r in read_json(client.get(f"/{kind}/eksport.json", params))["dane"]]
    from_csv = [
        int(r["Identyfikator"]) for r in read_csv(client.get(f"/{kind}/eksport.csv", params))
    ]
    assert from_json == from_csv == expected


def test_list_pages_link_to_their_exports_without_the_page_number(client, archive):
    response = client.get("/spotkania/", {"rok": 2025, "wydzial": "wydzial-kultury", "page": 1})
    html = response.content.decode()
    assert 'href="/spotkania/eksport.csv?rok=2025&amp;wydzial=wydzial-kultury"' in html
    assert 'href="/spotkania/eksport.json?rok=2025&amp;wydzial=wydzial-kultury"' in html
    assert "Pobierz wyniki:" in html
    html = client.get("/postulaty/").content.decode()
    assert 'href="/postulaty/eksport.csv"' in html
    assert 'href="/postulaty/eksport.json"' in html
    # No links to an export that would answer 400.
    assert "Pobierz wyniki" not in client.get("/postulaty/", {"rok": "abc"}).content.decode()


@pytest.mark.parametrize("url", EXPORTS)
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"rok": 2025},
        {"wydzial": "wydzial-kultury"},
        {"organizacja": "stowarzyszenie-zrodlo-lodz-i-krakow"},
    ],
)
def test_no_export_holds_anything_unpublished(client, archive, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    text = body(response).decode("utf-8")
    assert SECRET not in text
    # Nothing of the draft year: no address whose first segment is 2023 (a record's id may be
    # 2023, as in /postulaty/2023/, and a sequence may print it elsewhere).
    assert not re.search(r"//[^/\s\"]+/2023/|[^\w/.:]/2023/", text)


@pytest.mark.parametrize("url", EXPORTS)
@pytest.mark.parametrize(
    "params",
    [
        {"rok": "abc"},
        {"rok": "2031"},
        {"wydzial": "nie-ma-takiego"},
        {"rodzaj": "piknik"},
        {"organizacja": "x" * 3000},  # longer addresses: 414 (tests/test_request_limits.py)
        {"sfera": "kultura\x00"},
        {"rok": "2025", "program": "rpw-1999"},
    ],
)
def test_bad_parameters_answer_400_in_plain_polish(client, archive, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Nie można przygotować eksportu: popraw parametry filtrów.")
    assert SECRET not in text


def test_a_page_number_is_ignored_even_when_malformed(client, archive):
    response = client.get("/spotkania/eksport.json", {"page": "abc"})
    assert response.status_code == 200
    assert read_json(response)["liczba"] == 3


def build(count):
    department = DepartmentFactory()
    for _ in range(count):
        meeting = MeetingFactory(departments=[department, DepartmentFactory()])
        DocumentFactory(meeting=meeting)
        PositionFactory(postulate=PostulateFactory(meeting=meeting))


@pytest.mark.parametrize("url", EXPORTS)
def test_query_count_does_not_grow_with_the_rows(client, url, django_assert_max_num_queries):
    client.get(url)  # the first build records the file; later ones replace it
    counts = []
    for size in (5, 45):  # 5, then 50 in all
        build(size)
        generation.invalidate()  # changed data: the whole list's file is built anew
        # The build's own: the data's generation, the stored file, the size check, saving it.
        with django_assert_max_num_queries(28) as captured:
            response = client.get(url)
            rows = body(response)
        assert response.status_code == 200
        assert rows.count(b"Spotkanie bran") >= 5
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://zly.example")', '\'=HYPERLINK("http://zly.example")'),
        ("+48 12 616 00 00", "'+48 12 616 00 00"),
        ("-5 lokali", "'-5 lokali"),
        ("@SUMA(A1)", "'@SUMA(A1)"),
        ("\tukryte", "'\tukryte"),
        ("Zwykły tekst = bez formuły", "Zwykły tekst = bez formuły"),
        (-5, "-5"),
    ],
)
def test_text_a_spreadsheet_would_run_as_a_formula_is_neutralised(value, cell):
    from core.streaming import csv_value

    assert csv_value(value) == cell
