"""An organisation's page: every published postulate it submitted, year by year, with the
city's current answer, and a summary of the outcomes."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from meetings.models import Meeting
from organisations import views
from postulates.models import Outcome
from tests.factories import (
    ArchiveYearFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Fundacja Dzikusy Salamandry")


def meeting_in(year):
    return MeetingFactory(year=ArchiveYearFactory(year=year), dates=[datetime.date(year, 6, 10)])


def headings(response):
    return re.findall(r"<h3>(.*?)</h3>", response.content.decode())


def test_postulates_are_grouped_by_year_newest_first_with_their_current_answer(
    client, organisation
):
    old = PostulateFactory(organisation=organisation, meeting=meeting_in(2023), content="Budki.")
    PositionFactory(
        postulate=old,
        outcome=OutcomeFactory(name="do dalszej analizy", category=Outcome.Category.PENDING),
        answered_on=datetime.date(2023, 9, 1),
    )
    PositionFactory(
        postulate=old,
        outcome=OutcomeFactory(name="uwzględniony"),
        answered_on=datetime.date(2024, 2, 1),
    )
    PostulateFactory(
        organisation=organisation,
        meeting=None,
        round=RoundFactory(year=ArchiveYearFactory(year=2025)),
        content="Lokale w cyklu.",
    )
    response = client.get(organisation.get_absolute_url())
    assert headings(response) == ["Rok 2025", "Rok 2023"]
    assertContains(response, "Lokale w cyklu.")
    # The later answer is the current one; the earlier is not listed as current.
    assertContains(
        response,
        '<span class="outcome outcome-uwzgledniony">uwzględniony</span>',
        html=True,
    )
    assertNotContains(response, "do dalszej analizy")
    assertContains(response, "brak stanowiska")


def test_the_summary_counts_current_outcomes_and_overdue_commitments(client, organisation):
    accepted = OutcomeFactory(name="uwzględniony", category=Outcome.Category.ACCEPTED)
    rejected = OutcomeFactory(name="nieuwzględniony", category=Outcome.Category.REJECTED)
    for _ in range(2):
        PositionFactory(postulate__organisation=organisation, outcome=accepted)
    PositionFactory(
        postulate__organisation=organisation,
        outcome=accepted,
        commitment="Konkurs na lokale.",
        commitment_due_on=datetime.date(2030, 6, 30),
    )
    PositionFactory(postulate__organisation=organisation, outcome=rejected)
    PostulateFactory(organisation=organisation)
    PositionFactory(outcome=rejected)  # another organisation's

    with time_machine.travel(datetime.datetime(2030, 7, 1, 9, tzinfo=ZoneInfo("Europe/Warsaw"))):
        response = client.get(organisation.get_absolute_url())
    summary = response.context["summary"]
    assert summary.counts == [("uwzględniony", 3), ("nieuwzględniony", 1)]
    assert (summary.unanswered, summary.overdue, summary.total) == (1, 1, 5)
    assertContains(response, "Organizacja zgłosiła 5 opublikowanych postulatów.")
    assertContains(response, "<li>uwzględniony: <strong>3</strong></li>", html=True)
    assertContains(response, "<li>bez stanowiska: <strong>1</strong></li>", html=True)
    assertContains(response, "1 zobowiązanie Miasta po terminie")
    assertContains(response, "zobowiązanie po terminie</strong> (termin")


def test_drafts_are_neither_listed_nor_counted(client, organisation):
    PostulateFactory(organisation=organisation, content="Opublikowany postulat.")
    PostulateFactory(organisation=organisation, content="Szkic postulatu.", status=Status.DRAFT)
    in_draft_meeting = PostulateFactory(organisation=organisation, content="Z ukrytego spotkania.")
    Meeting.objects.filter(pk=in_draft_meeting.meeting_id).update(status=Status.DRAFT)
    PositionFactory(
        postulate__organisation=organisation,
        postulate__content="Z odpowiedzią w szkicu.",
        outcome=OutcomeFactory(name="szkic odpowiedzi"),
        status=Status.DRAFT,
    )
    response = client.get(organisation.get_absolute_url())
    assertContains(response, "Opublikowany postulat.")
    assertNotContains(response, "Szkic postulatu.")
    assertNotContains(response, "Z ukrytego spotkania.")
    assertNotContains(response, "szkic odpowiedzi")
    assert response.context["summary"].total == 2
    assert response.context["summary"].unanswered == 2


def test_a_long_list_is_paginated_and_a_bad_page_number_is_harmless(
    client, organisation, monkeypatch
):
    monkeypatch.setattr(views, "POSTULATES_PER_PAGE", 3)
    meeting = meeting_in(2025)
    for number in range(1, 8):
        PostulateFactory(organisation=organisation, meeting=meeting, number=number)
    first = client.get(organisation.get_absolute_url())
    assert [p.number for p in first.context["page_obj"]] == [1, 2, 3]
    assertContains(first, "Strona 1 z 3")
    last = client.get(organisation.get_absolute_url(), {"page": "3"})
    assert [p.number for p in last.context["page_obj"]] == [7]
    assert last.context["summary"].total == 7  # the summary covers every page
    assert client.get(organisation.get_absolute_url(), {"page": "x"}).status_code == 200


def test_an_organisation_without_postulates_says_so(client, organisation):
    MeetingFactory().participants.add(organisation)  # took part, submitted nothing
    response = client.get(organisation.get_absolute_url())
    assertContains(response, "Archiwum nie zawiera postulatów zgłoszonych przez tę organizację.")


def test_the_organisation_page_costs_the_same_queries_with_many_postulates(
    client, organisation, django_assert_num_queries
):
    PositionFactory(postulate__organisation=organisation).postulate.meeting.participants.add(
        organisation
    )
    # The organisation, its meetings (with dates, departments, documents), the summary,
    # the count, the page of postulates and their answers.
    with django_assert_num_queries(9):
        client.get(organisation.get_absolute_url())
    for year in (2023, 2024, 2025):
        meeting = meeting_in(year)
        meeting.participants.add(organisation)
        for _ in range(4):
            PositionFactory(
                postulate__organisation=organisation,
                postulate__meeting=meeting,
                commitment="Zrobimy to.",
                commitment_due_on=datetime.date(2020, 1, 1),
            )
    with django_assert_num_queries(9):
        response = client.get(organisation.get_absolute_url())
    assert response.context["summary"].overdue == 12
