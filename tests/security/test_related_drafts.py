"""A published record pointing at a draft must not name it: the security review's visitor
findings, replayed as a visitor's requests."""

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from tests.factories import (
    DRAFT,
    ArchiveYearFactory,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    PositionFactory,
    PostulateFactory,
    RoundFactory,
    scheduled,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", [DRAFT, "scheduled"])
def test_a_positions_unpublished_document_is_not_shown(client, state):
    state = scheduled() if state == "scheduled" else state
    draft_document = DocumentFactory(title="Projekt stanowiska XQZ", **state)
    position = PositionFactory(
        postulate=PostulateFactory(meeting=draft_document.meeting), document=draft_document
    )
    page = client.get(position.postulate.get_absolute_url())
    assert page.status_code == 200
    assertNotContains(page, "XQZ")
    assertNotContains(page, draft_document.get_absolute_url())


def test_a_positions_document_under_a_draft_meeting_is_not_shown(client):
    draft_meeting = MeetingFactory(**DRAFT)
    document = DocumentFactory(meeting=draft_meeting, title="Dokument ukrytego spotkania XQZ")
    position = PositionFactory(document=document)
    assertNotContains(client.get(position.postulate.get_absolute_url()), "XQZ")


def test_published_document_of_a_position_is_still_linked(client):
    document = DocumentFactory(title="Stanowisko Wydziału XQZ")
    position = PositionFactory(
        postulate=PostulateFactory(meeting=document.meeting), document=document
    )
    assertContains(client.get(position.postulate.get_absolute_url()), "Stanowisko Wydziału XQZ")


@pytest.fixture
def draft_names():
    """Published records whose related department or organisation is still a draft."""
    department = DepartmentFactory(name="Wydział Tajny Zmianowy", **DRAFT)
    organisation = OrganisationFactory(name="Fundacja Niejawna Kwiatowa", **DRAFT)
    round_ = RoundFactory(title="Cykl jawny", coordinator=department)
    meeting = MeetingFactory(title="Jawne spotkanie plenarne", departments=[department])
    postulate = PostulateFactory(
        meeting=meeting,
        content="Jawny postulat o parkach",
        organisation=organisation,
        responsible_department=department,
    )
    PositionFactory(postulate=postulate, department=department, justification="Jawna odpowiedź")
    DocumentFactory(meeting=None, round=round_, title="Jawne stanowisko cyklu")
    return {"round": round_, "meeting": meeting, "department": department, "org": organisation}


def test_search_hits_do_not_name_draft_departments(client, draft_names):
    for query in ("jawny postulat", "jawna odpowiedz", "jawne stanowisko cyklu", "jawne spotkanie"):
        page = client.get("/szukaj/", {"q": query})
        assert page.status_code == 200
        assert page.context["hits"], query
        assertNotContains(page, "Tajny Zmianowy")


def test_searching_a_draft_name_finds_nothing(client, draft_names):
    for name in ("Tajny Zmianowy", "Niejawna Kwiatowa"):
        page = client.get("/szukaj/", {"q": name})
        assert page.context["hits"] == [], name


def test_a_published_name_becomes_searchable_at_once(client, draft_names):
    department = draft_names["department"]
    department.status, department.published_at = Status.PUBLISHED, timezone.now()
    department.save()
    organisation = draft_names["org"]
    organisation.status, organisation.published_at = Status.PUBLISHED, timezone.now()
    organisation.save()
    found = {hit.title for hit in client.get("/szukaj/", {"q": "Tajny Zmianowy"}).context["hits"]}
    assert "Jawne spotkanie plenarne" in found
    found = client.get("/szukaj/", {"q": "Niejawna Kwiatowa"}).context["hits"]
    assert any("Jawne spotkanie plenarne" in hit.title for hit in found)


def test_a_round_page_does_not_name_a_draft_coordinator(client, draft_names):
    page = client.get(draft_names["round"].get_absolute_url())
    assert page.status_code == 200
    assertNotContains(page, "Tajny Zmianowy")


def test_a_draft_years_round_is_not_shown_on_another_years_meeting(client):
    draft_year = ArchiveYearFactory(year=2031, **DRAFT)
    hidden_round = RoundFactory(year=draft_year, title="Cykl roku w przygotowaniu")
    meeting = MeetingFactory(year=ArchiveYearFactory(year=2025), round=hidden_round)
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assertNotContains(page, "Cykl roku w przygotowaniu")
    assertNotContains(page, hidden_round.get_absolute_url())
    year_page = client.get("/2025/")
    assertNotContains(year_page, "Cykl roku w przygotowaniu")


def test_a_year_page_has_one_other_meetings_group(client):
    year = ArchiveYearFactory(year=2025)
    draft_round = RoundFactory(year=year, title="Cykl w szkicu", **DRAFT)
    MeetingFactory(year=year, round=draft_round, title="Spotkanie z cyklu w szkicu")
    MeetingFactory(year=year, title="Spotkanie bez cyklu")
    public_round = RoundFactory(year=year, title="Cykl jawny")
    MeetingFactory(year=year, round=public_round, title="Spotkanie z cyklu jawnego")
    page = client.get("/2025/")
    content = page.content.decode()
    assert content.count("Pozostałe spotkania") == 1
    assertNotContains(page, "Cykl w szkicu")
    assertContains(page, '<h3 class="group-title">Cykl jawny</h3>', html=True)
    # The public round's group first, then the others together.
    assert content.index("Spotkanie z cyklu jawnego") < content.index("Pozostałe spotkania")
