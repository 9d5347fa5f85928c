import pytest
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from tests.factories import (
    ArchiveYearFactory,
    DepartmentChangeFactory,
    DepartmentFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


def test_department_page_shows_meetings_held_under_former_names(client, django_assert_num_queries):
    old = DepartmentFactory(name="Wydział Kultury i Dziedzictwa Narodowego", name_used_until=2024)
    new = DepartmentFactory(name="Wydział Kultury", name_used_from=2025)
    DepartmentChangeFactory(predecessor=old, successor=new)
    MeetingFactory(title="Spotkanie 2024", year=ArchiveYearFactory(year=2024), departments=[old])
    MeetingFactory(title="Spotkanie 2025", year=ArchiveYearFactory(year=2025), departments=[new])
    MeetingFactory(title="Spotkanie innego wydziału")

    # With its record card: its register rows; and its postulates waiting for an answer,
    # counted as the postulate list counts them (its filter's department and names, the kept
    # lists' snapshot, then, unbuilt here, the count).
    with django_assert_num_queries(18):
        response = client.get(new.get_absolute_url())

    assertContains(response, "<h1>Wydział Kultury</h1>", html=True)
    assertContains(response, "Historia nazw")
    assertContains(response, f'<a href="{old.get_absolute_url()}">{old.name}</a>', html=True)
    html = response.content.decode()
    assert html.index("Rok 2025") < html.index("Spotkanie 2025") < html.index("Rok 2024")
    assert html.index("Rok 2024") < html.index("Spotkanie 2024")
    assertNotContains(response, "Spotkanie innego wydziału")
    # The old name's page tells the same history.
    assertContains(client.get(old.get_absolute_url()), "Spotkanie 2025")
    for _ in range(5):
        MeetingFactory(year=ArchiveYearFactory(year=2024), departments=[old, new])
    with django_assert_num_queries(18):
        client.get(new.get_absolute_url())


def test_department_list_hides_drafts(client, django_assert_num_queries):
    DepartmentFactory(name="Wydział Sportu")
    DepartmentFactory(name="Wydział w przygotowaniu", status=Status.DRAFT, published_at=None)
    with django_assert_num_queries(2):
        response = client.get("/wydzialy/")
    assertContains(response, "Wydział Sportu")
    assertNotContains(response, "Wydział w przygotowaniu")
    for _ in range(5):
        DepartmentChangeFactory()
    with django_assert_num_queries(2):
        client.get("/wydzialy/")
