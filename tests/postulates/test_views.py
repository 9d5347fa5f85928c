import pytest
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from tests.factories import (
    DepartmentFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    ProgrammeFactory,
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
    # then its record card: its history, its meeting's and year's, its answers', the changes
    # of both recorded as they happened, signatures.
    with django_assert_num_queries(19):
        response = client.get(postulate.get_absolute_url())

    assertContains(response, "Więcej lokali dla organizacji.")
    assertContains(response, "Koci Patrol")
    assertContains(response, postulate.area.name)
    assertContains(response, "Częściowo uwzględniony")
    assertContains(response, "Miasto przeanalizuje zasoby lokalowe.")
    assertNotContains(response, "Szkic")


def test_postulate_list_query_count_is_constant(client, django_assert_num_queries):
    PositionFactory.create_batch(3)
    # The list, its count, the positions, and the seven filters' choices.
    with django_assert_num_queries(10):
        client.get("/postulaty/")
    PositionFactory.create_batch(20)
    with django_assert_num_queries(10):
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
    # The count and the page, then the page's public meetings and postulates, one query each.
    with django_assert_num_queries(4):
        client.get("/organizacje/")
    programme = ProgrammeFactory(first_year=2026)
    PositionFactory.create_batch(4, postulate__programme=programme)
    with django_assert_num_queries(1):
        client.get("/programy/")
    with django_assert_num_queries(4):
        response = client.get("/organizacje/")
    assertContains(response, "1 postulat")


def test_programme_page_query_count_is_constant(client, django_assert_num_queries):
    programme = ProgrammeFactory(first_year=2026)
    PositionFactory(postulate__programme=programme, postulate__meeting__programme=programme)
    with django_assert_num_queries(10):
        client.get(programme.get_absolute_url())
    PositionFactory.create_batch(
        5, postulate__programme=programme, postulate__meeting__programme=programme
    )
    with django_assert_num_queries(10):
        response = client.get(programme.get_absolute_url())
    assertContains(response, "Postulaty dotyczące programu")


def test_accessibility_statement_is_two_queries(client, django_assert_num_queries):
    # The statement, and the counts of published documents read from their files' checks.
    with django_assert_num_queries(2):
        client.get("/deklaracja-dostepnosci/")
