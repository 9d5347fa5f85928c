import datetime

import pytest
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from core.publishing import Status
from stats import snapshot
from tests.factories import (
    DepartmentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    ProgrammeFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def test_postulate_page_shows_submitter_area_and_each_position(client, django_assert_num_queries):
    postulate = PostulateFactory(
        content="Więcej lokali dla organizacji.",
        organisation=OrganisationFactory(name="Koci Patrol"),
        responsible_department=DepartmentFactory(name="Wydział Polityki Społecznej"),
    )
    PositionFactory(
        postulate=postulate,
        outcome=OutcomeFactory(name="częściowo uwzględniony"),
        justification="Miasto przeanalizuje zasoby lokalowe.",
    )
    PositionFactory(
        postulate=postulate, justification="Szkic", status=Status.DRAFT, published_at=None
    )

    # The postulate, its thread of linked postulates, their answers, earlier versions, links;
    # then its record card and its answers' (their rows), the departments publishing it.
    with django_assert_num_queries(11):
        response = client.get(postulate.get_absolute_url())

    assertContains(response, "Więcej lokali dla organizacji.")
    assertContains(response, "Koci Patrol")
    assertContains(response, postulate.area.name)
    assertContains(response, "Częściowo uwzględniony")
    assertContains(response, "Miasto przeanalizuje zasoby lokalowe.")
    assertNotContains(response, "Szkic")


def test_postulate_list_query_count_is_constant(client, django_assert_num_queries):
    PositionFactory.create_batch(3)
    # The list, its count, the positions, the filters' choices, and the kept order's snapshot.
    with django_assert_num_queries(12):
        client.get("/postulaty/")
    PositionFactory.create_batch(20)
    with django_assert_num_queries(12):
        response = client.get("/postulaty/")
    assert len(response.context["page_obj"]) == 23
    assertContains(response, "23 postulaty")


def test_programme_page_lists_postulates_that_fed_it(client):
    programme = ProgrammeFactory(first_year=2027)
    PostulateFactory(programme=programme, content="Postulat do RPW 2027.")
    PostulateFactory(content="Postulat do innego programu.")
    response = client.get(programme.get_absolute_url())
    assertContains(response, "Postulat do RPW 2027.")
    assertNotContains(response, "Postulat do innego programu.")


def test_organisation_page_lists_its_meetings_and_postulates(client, django_assert_num_queries):
    organisation = OrganisationFactory(name="Fundacja Dzikusy Salamandry")
    postulate = PostulateFactory(organisation=organisation, content="Budki lęgowe w parkach.")
    postulate.meeting.participants.add(organisation)
    PostulateFactory(content="Cudzy postulat.")
    with django_assert_num_queries(10):
        response = client.get(organisation.get_absolute_url())
    assertContains(response, "Budki lęgowe w parkach.")
    assertContains(response, postulate.meeting.title)
    assertNotContains(response, "Cudzy postulat.")
    for _ in range(5):
        PositionFactory(postulate__organisation=organisation).postulate.meeting.participants.add(
            organisation
        )
    with django_assert_num_queries(10):
        client.get(organisation.get_absolute_url())


def test_programme_and_organisation_lists_keep_a_constant_query_count(
    client, django_assert_num_queries
):
    PostulateFactory(programme=ProgrammeFactory(first_year=2025))
    with django_assert_num_queries(1):
        client.get("/programy/")
    # The count and the page, then the page's public meetings and postulates, one query each,
    # and the kept lists' snapshot (not built: the postulates are counted).
    with django_assert_num_queries(5):
        client.get("/organizacje/")
    programme = ProgrammeFactory(first_year=2026)
    PositionFactory.create_batch(4, postulate__programme=programme)
    with django_assert_num_queries(1):
        client.get("/programy/")
    with django_assert_num_queries(5):
        response = client.get("/organizacje/")
    assertContains(response, "1 postulat")


def test_programme_page_query_count_is_constant(client, django_assert_num_queries, settings):
    settings.PAGE_CACHE_TOKEN_SECONDS = 0  # the generation read on every request, not remembered
    programme = ProgrammeFactory(first_year=2026)
    PositionFactory(postulate__programme=programme, postulate__meeting__programme=programme)
    # The kept lists' snapshot (not built: the postulates are counted and sorted live).
    with django_assert_num_queries(11):
        client.get(programme.get_absolute_url())
    PositionFactory.create_batch(
        5, postulate__programme=programme, postulate__meeting__programme=programme
    )
    with django_assert_num_queries(11):
        response = client.get(programme.get_absolute_url())
    assertContains(response, "Postulaty dotyczące programu")
    # Built: the count comes with the snapshot (and the generation it is checked against),
    # and only the shown postulates are read.
    assert snapshot.rebuild()
    with django_assert_num_queries(11):
        response = client.get(programme.get_absolute_url())
    assert response.context["postulate_count"] == 6
    assert len(response.context["postulates"]) == 6


def test_accessibility_statement_is_two_queries(client, django_assert_num_queries):
    # The statement, and the counts of published documents read from their files' checks.
    with django_assert_num_queries(2):
        client.get("/deklaracja-dostepnosci/")


def test_each_listed_postulate_names_its_meeting_and_date_without_a_query_per_row(
    client, django_assert_num_queries
):
    meeting = MeetingFactory(title="Forum seniorów", dates=[datetime.date(2025, 6, 12)])
    PostulateFactory(meeting=meeting, content="Ławki przy przystankach.")
    PostulateFactory(meeting=None, round=RoundFactory(title="Konsultacje programu"))
    with django_assert_num_queries(12):  # as for a list without the column
        response = client.get("/postulaty/")
    assertInHTML(
        f'<td data-label="Gdzie i kiedy zgłoszony"><a href="{meeting.get_absolute_url()}">'
        'Forum seniorów</a><br><time class="meta" datetime="2025-06-12">12 czerwca 2025</time></td>',
        response.content.decode(),
    )
    assertContains(response, ">Konsultacje programu</a></td>")
    for number in range(20):
        PostulateFactory(meeting=MeetingFactory(dates=[datetime.date(2024, 1, 1 + number)]))
    with django_assert_num_queries(12):
        response = client.get("/postulaty/")
    assertContains(response, 'datetime="2024-01-20"')


def test_the_postulate_lists_count_has_its_thousands_grouped(client, monkeypatch):
    """The outside pass read "100000 postulatów" on the large sample data: Polish groups
    thousands with a non-breaking space, English with a comma (the count as the kept list
    order gives it at that size)."""
    from stats.snapshot import ListOrder

    monkeypatch.setattr("postulates.views.current_list_order", lambda at: ListOrder(100_000))
    assertContains(
        client.get("/postulaty/"),
        '<span class="result-count" role="status">100\u00a0000 postulatów</span>',
        html=True,
    )
    assertContains(
        client.get("/en/postulaty/"),
        '<span class="result-count" role="status">100,000 postulates</span>',
        html=True,
    )
