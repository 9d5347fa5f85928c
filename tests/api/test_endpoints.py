"""The read-only JSON API from the outside: every resource, the lists' filters (the public
pages' own), keyset pagination, ids, and the errors a client can cause."""

import pytest
from django.db import connection
from django.utils import timezone

from api.pagination import FREELY_PLANNED_TABLES
from api.resources import RESOURCES
from tests.factories import (
    DRAFT,
    ArchiveYearFactory,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    PositionFactory,
    PostulateFactory,
    PostulateLinkFactory,
    RoundFactory,
    scheduled,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    year = ArchiveYearFactory(year=2025)
    culture = DepartmentFactory(name="Wydział Kultury", slug="wydzial-kultury")
    sport = DepartmentFactory(name="Wydział Sportu", slug="wydzial-sportu")
    organisation = OrganisationFactory(name="Fundacja Jawna")
    round_ = RoundFactory(year=year, title="Cykl jawny", coordinator=culture)
    meeting = MeetingFactory(
        year=year, title="Spotkanie kultury", departments=[culture], round=round_
    )
    other = MeetingFactory(year=year, title="Spotkanie sportu", departments=[sport])
    postulates = [PostulateFactory(meeting=meeting, organisation=organisation) for _ in range(3)]
    sport_postulate = PostulateFactory(meeting=other)
    PositionFactory(postulate=postulates[0], department=culture)
    PostulateLinkFactory(from_postulate=postulates[0], to_postulate=postulates[1])
    DocumentFactory(meeting=meeting, title="Podsumowanie jawne")
    hidden = {
        "draft_meeting": MeetingFactory(year=year, title="Szkic spotkania", **DRAFT),
        "scheduled_postulate": PostulateFactory(meeting=meeting, content="Plan", **scheduled()),
        "draft_postulate": PostulateFactory(meeting=meeting, content="Szkic", **DRAFT),
        "draft_document": DocumentFactory(meeting=meeting, title="Szkic dokumentu", **DRAFT),
    }
    return {
        "meeting": meeting,
        "other": other,
        "postulates": postulates,
        "sport_postulate": sport_postulate,
        "hidden": hidden,
    }


def ids(response):
    return [record.get("id", record.get("rok")) for record in response.json()["dane"]]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_every_resource_lists_its_published_records_and_each_by_id(client, archive, resource):
    response = client.get(f"/api/v1/{resource.name}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["licencja"]["uznanie_autorstwa"] == "Gmina Miejska Kraków"
    assert body["adres"] == f"https://testserver/api/v1/{resource.name}/"
    expected = list(resource.queryset(timezone.now()).values_list("pk", flat=True))
    assert ids(response) == expected
    for record in body["dane"]:
        assert set(record) == {field.name for field in resource.fields}
        key = record.get("id", record.get("rok"))
        detail = client.get(f"/api/v1/{resource.name}/{key}/")
        assert detail.status_code == 200
        assert detail.json()["dane"] == record
        assert detail.json()["adres"] == f"https://testserver/api/v1/{resource.name}/{key}/"


def test_the_records_are_those_of_the_full_export(client, archive):
    meeting = archive["meeting"]
    record = client.get(f"/api/v1/spotkania/{meeting.pk}/").json()["dane"]
    assert record["tytul"] == "Spotkanie kultury"
    assert record["adres"] == f"https://testserver{meeting.get_absolute_url()}"
    assert record["rok"] == 2025
    assert record["daty"] == ["2025-06-10"]
    assert record["wydzialy_id"] == [meeting.departments.get().pk]


def test_drafts_and_scheduled_records_are_nowhere(client, archive):
    hidden = archive["hidden"]
    assert hidden["draft_meeting"].pk not in ids(client.get("/api/v1/spotkania/"))
    listed = ids(client.get("/api/v1/postulaty/"))
    assert hidden["scheduled_postulate"].pk not in listed
    assert hidden["draft_postulate"].pk not in listed
    assert hidden["draft_document"].pk not in ids(client.get("/api/v1/dokumenty/"))
    for address in (
        f"/api/v1/spotkania/{hidden['draft_meeting'].pk}/",
        f"/api/v1/postulaty/{hidden['scheduled_postulate'].pk}/",
        f"/api/v1/postulaty/{hidden['draft_postulate'].pk}/",
        f"/api/v1/dokumenty/{hidden['draft_document'].pk}/",
    ):
        response = client.get(address)
        assert response.status_code == 404
        assert "Nie ma opublikowanego rekordu" in response.json()["blad"]


@pytest.mark.parametrize(
    ("page", "api", "query"),
    [
        ("/postulaty/", "/api/v1/postulaty/", {"wydzial": "wydzial-sportu"}),
        ("/postulaty/", "/api/v1/postulaty/", {"wydzial": "wydzial-kultury", "rok": "2025"}),
        ("/postulaty/", "/api/v1/postulaty/", {"q": "postulatu"}),
        ("/spotkania/", "/api/v1/spotkania/", {"wydzial": "wydzial-kultury"}),
        ("/organizacje/", "/api/v1/organizacje/", {"nazwa": "jawna"}),
    ],
)
def test_a_filter_finds_what_the_public_list_shows(client, archive, page, api, query):
    shown = {record.pk for record in client.get(page, query).context["object_list"]}
    listed = ids(client.get(api, query))
    assert set(listed) == shown
    assert listed  # each case finds something


def test_the_postulate_filter_by_department(client, archive):
    response = client.get("/api/v1/postulaty/", {"wydzial": "wydzial-sportu"})
    assert ids(response) == [archive["sport_postulate"].pk]
    assert response.json()["adres"] == (
        "https://testserver/api/v1/postulaty/?wydzial=wydzial-sportu"
    )


def test_pages_follow_each_other_by_cursor_in_id_order(client, archive):
    every = ids(client.get("/api/v1/postulaty/"))
    assert len(every) == 4
    first = client.get("/api/v1/postulaty/", {"limit": 3})
    assert ids(first) == every[:3]
    following = first.json()["nastepna"]
    assert following == f"https://testserver/api/v1/postulaty/?limit=3&kursor={every[2]}"
    assert first["Link"] == f'<{following}>; rel="next"'
    second = client.get(following)
    assert ids(second) == every[3:]
    assert second.json()["nastepna"] is None
    assert second.json()["adres"] == following


def test_a_page_is_stable_when_records_are_added(client, archive):
    first = client.get("/api/v1/postulaty/", {"limit": 2}).json()
    PostulateFactory(meeting=archive["meeting"])  # published meanwhile
    second = client.get(first["nastepna"]).json()
    seen = [r["id"] for r in first["dane"]] + [r["id"] for r in second["dane"]]
    assert len(seen) == len(set(seen))
    rest = ids(client.get(second["nastepna"])) if second["nastepna"] else []
    assert sorted(seen + rest) == ids(client.get("/api/v1/postulaty/"))


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ({"limit": "0"}, "limit", "Podaj liczbę całkowitą od 1 do 200."),
        ({"limit": "abc"}, "limit", "Podaj liczbę całkowitą od 1 do 200."),
        ({"limit": "201"}, "limit", "Podaj liczbę całkowitą od 1 do 200."),
        ({"kursor": "-1"}, "kursor", "Podaj liczbę całkowitą od 0 do 9223372036854775807."),
        ({"kursor": "9" * 30}, "kursor", "Podaj liczbę całkowitą od 0 do 9223372036854775807."),
        ({"kursor": "١٢"}, "kursor", "Podaj liczbę całkowitą od 0 do 9223372036854775807."),
        ({"rok": "1900"}, "rok", "Wybierz poprawną wartość."),
        ({"wydzial": "nie-ma-takiego"}, "wydzial", "Wybierz poprawną wartość."),
        ({"page": "2"}, "page", "Nieznany parametr. Dozwolone: q, rok, wydzial"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(client, archive, query, parameter, message):
    response = client.get("/api/v1/postulaty/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["blad"] == "Nieprawidłowe parametry zapytania."
    assert list(body["parametry"]) == [parameter]
    assert body["parametry"][parameter][0].startswith(message)


def test_a_detail_takes_no_parameters(client, archive):
    response = client.get(f"/api/v1/spotkania/{archive['meeting'].pk}/", {"x": "1"})
    assert response.status_code == 400
    assert response.json()["parametry"] == {"x": ["Nieznany parametr. Dozwolone: brak."]}


@pytest.mark.parametrize("address", ["/api/v1/openapi.json", "/api/v1/", "/api/"])
def test_the_fixed_documents_take_no_parameters(client, address):
    response = client.get(address, {"x": "1", "format": "yaml"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "blad": "Nieprawidłowe parametry zapytania.",
        "parametry": {
            "format": ["Nieznany parametr. Dozwolone: brak."],
            "x": ["Nieznany parametr. Dozwolone: brak."],
        },
    }
    assert client.get(address).status_code == 200


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/postulaty/0/",
        "/api/v1/postulaty/99999999999999999999999/",
        "/api/v1/postulaty/abc/",
        "/api/v1/nie-ma/",
        "/api/v2/postulaty/",
        "/api/v2/",
    ],
)
def test_unknown_addresses_answer_404_in_json(client, archive, address):
    response = client.get(address)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["blad"]


@pytest.mark.parametrize(
    "value", ["", " ", "\x00", "%", "'; select 1; --", "ą" * 500, "1e9", "[]", "2025.0"]
)
def test_odd_values_never_fail_the_server(client, archive, value):
    for resource in RESOURCES:
        response = client.get(f"/api/v1/{resource.name}/", {"limit": value})
        assert response.status_code in (200, 400), (resource.name, value)
        if resource.filterset_class:
            for name in resource.filterset_class.base_filters:
                response = client.get(f"/api/v1/{resource.name}/", {name: value})
                assert response.status_code in (200, 400), (resource.name, name, value)


def test_list_query_count_does_not_grow_with_the_page(
    client, archive, django_assert_max_num_queries
):
    for _ in range(20):
        PostulateFactory(meeting=archive["meeting"])
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/postulaty/")
    assert len(response.json()["dane"]) == 24
    # With their documents and participating organisations: one query each, whatever the page.
    with django_assert_max_num_queries(10):
        client.get("/api/v1/spotkania/")


def test_detail_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        client.get(f"/api/v1/spotkania/{archive['meeting'].pk}/")


def test_the_api_root_lists_every_resource(client):
    body = client.get("/api/v1/").json()
    assert body["openapi"] == "https://testserver/api/v1/openapi.json"
    assert body["dokumentacja"] == "https://testserver/dane/api/"
    assert body["zasoby"] == {
        resource.name: f"https://testserver/api/v1/{resource.name}/" for resource in RESOURCES
    }
    assert client.get("/api/v1/?x=1").status_code == 400


def test_a_list_of_few_tables_is_one_query_and_only_a_wide_one_fixes_its_join_order(
    client, archive, django_assert_num_queries
):
    # Years, areas, outcomes, programmes: one table each, planned at once; the page is its one
    # SELECT.
    for resource in ("lata", "sfery", "rozstrzygniecia", "programy"):
        with django_assert_num_queries(1) as captured:
            assert client.get(f"/api/v1/{resource}/").status_code == 200
        assert "join_collapse_limit" not in captured.captured_queries[0]["sql"]
    # A page of postulates joins a dozen tables: on PostgreSQL it is planned in the written
    # order, in a transaction of its own (here a savepoint: SAVEPOINT, SET LOCAL, SELECT,
    # RELEASE); elsewhere one SELECT.
    postulates = next(r for r in RESOURCES if r.name == "postulaty")
    assert len(postulates.queryset(timezone.now()).query.alias_map) > FREELY_PLANNED_TABLES
    expected = 4 if connection.vendor == "postgresql" else 1
    with django_assert_num_queries(expected) as captured:
        assert client.get("/api/v1/postulaty/").status_code == 200
    fixed = [q["sql"] for q in captured.captured_queries if "join_collapse_limit" in q["sql"]]
    assert len(fixed) == (1 if connection.vendor == "postgresql" else 0)


@pytest.mark.parametrize(
    "query",
    [
        "rok=+2025",  # "+" in a query string is a space: " 2025"
        "rok=%202025%20",
        "rok=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%95",  # full-width digits "２０２５"
        "rok=2025",
    ],
)
def test_a_year_written_otherwise_is_the_year_and_echoed_in_one_form(client, archive, query):
    """The list page reads these as the year 2025 (the same FilterSet); the API's address
    names it as 2025, so one list has one address."""
    shown = {record.pk for record in client.get(f"/postulaty/?{query}").context["object_list"]}
    response = client.get(f"/api/v1/postulaty/?{query}")
    assert response.status_code == 200
    assert set(ids(response)) == shown
    assert shown
    assert response.json()["adres"] == "https://testserver/api/v1/postulaty/?rok=2025"


def test_other_filters_are_echoed_as_the_list_reads_them(client, archive):
    response = client.get("/api/v1/postulaty/?q=+postulatu+&wydzial=wydzial-kultury&rok=+2025")
    assert response.status_code == 200
    assert response.json()["adres"] == (
        "https://testserver/api/v1/postulaty/?q=postulatu&rok=2025&wydzial=wydzial-kultury"
    )
