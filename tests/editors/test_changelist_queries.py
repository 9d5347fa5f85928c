"""The admin's big lists cost the same number of queries whatever the number of rows, and
its search finds words typed without Polish letters, as the public search does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MeetingFactory, PositionFactory, PostulateFactory

LISTS = [
    "/admin/postulates/postulate/",
    "/admin/postulates/postulate/?odpowiedz=bez",
    "/admin/postulates/position/",
    "/admin/meetings/meeting/",
]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_rows(department, count):
    for index in range(count):
        meeting = MeetingFactory(title=f"Spotkanie {index}", departments=[department])
        PositionFactory(postulate=PostulateFactory(meeting=meeting, number=2000 + index))


@pytest.mark.parametrize("username", ["koordynator", "kultura"])
@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow_with_rows(world, login, username, url):
    client = login(username)
    few = queries_for(client, url)
    add_rows(world["culture"], 5)
    assert queries_for(client, url) == few


def test_list_counts_rows_once_and_offers_no_facets(world, login):
    client = login("koordynator")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/postulates/postulate/?_facets=True")
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(")]
    assert len(counts) == 1
    assert "FILTER (WHERE" not in " ".join(q["sql"] for q in queries)
    assert response.context["cl"].result_count == 2


@pytest.mark.parametrize(
    ("username", "offered"),
    [("kultura", ["Wydział Kultury"]), ("koordynator", ["Wydział Kultury", "Wydział Sportu"])],
)
def test_department_filter_offers_departments_of_listed_postulates(world, login, username, offered):
    for key, department in (("own", "culture"), ("other", "sport")):
        postulate = world[key]["postulate"]
        postulate.responsible_department = world[department]
        postulate.save()
    response = login(username).get("/admin/postulates/postulate/")
    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "responsible_department"
    )
    assert [label for _pk, label in spec.lookup_choices] == offered


@pytest.mark.parametrize("typed", ["seniorow", "Seniorów", "SENIOROW", "seniorów"])
def test_admin_search_finds_words_typed_without_polish_letters(world, login, typed):
    MeetingFactory(title="Rada seniorów Podgórza", departments=[world["culture"]])
    response = login("koordynator").get("/admin/meetings/meeting/", {"q": typed})
    titles = [meeting.title for meeting in response.context["cl"].result_list]
    assert titles == ["Rada seniorów Podgórza"]


def test_editor_search_stays_within_department(world, login):
    MeetingFactory(title="Rada seniorów Podgórza", departments=[world["sport"]])
    response = login("kultura").get("/admin/meetings/meeting/", {"q": "seniorow"})
    assert list(response.context["cl"].result_list) == []
