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
from pagecache import generation
from postulates.models import Outcome
from postulates.selectors import OutcomeSummary
from search.engine import uses_full_text_index
from stats import snapshot
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
    # The organisation, its meetings (with dates, departments, documents), the count, the
    # summary (its postulates' ids, then their answers), the page of postulates and answers.
    with django_assert_num_queries(10):
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
    with django_assert_num_queries(10):
        response = client.get(organisation.get_absolute_url())
    assert response.context["summary"].overdue == 12


def test_postulates_come_first_and_meetings_are_grouped_by_year_collapsed(client, organisation):
    """A journalist opening a busy organisation finds its postulates before its meetings, and
    the meetings folded by year with their number."""
    for year, titles in ((2024, ["Spotkanie sportowe"]), (2025, ["Kultura I", "Kultura II"])):
        for title in titles:
            meeting = meeting_in(year)
            meeting.title = title
            meeting.save()
            meeting.participants.add(organisation)
    PostulateFactory(organisation=organisation, content="Więcej lokali dla organizacji.")
    response = client.get(organisation.get_absolute_url())
    page = response.content.decode()
    assert page.index('id="postulaty"') < page.index('id="spotkania"')
    assertContains(
        response,
        '<nav class="page-sections" aria-label="Na tej stronie"><ul>'
        '<li><a href="#postulaty">Zgłoszone postulaty</a> (1)</li>'
        '<li><a href="#spotkania">Udział w spotkaniach</a> (3)</li></ul></nav>',
        html=True,
    )
    summaries = re.findall(r'<details class="year-group">\s*<summary>(.*?)</summary>', page)
    assert summaries == ["Rok 2025: 2 spotkania", "Rok 2024: 1 spotkanie"]
    assert "<details open" not in page
    assert page.index("Kultura I") > page.index("Rok 2025: 2 spotkania")


def test_postulate_page_links_open_at_the_postulates(client, organisation, monkeypatch):
    monkeypatch.setattr(views, "POSTULATES_PER_PAGE", 2)
    for number in range(1, 6):
        PostulateFactory(organisation=organisation, meeting=meeting_in(2025), number=number)
    response = client.get(organisation.get_absolute_url(), {"page": "2"})
    assertContains(response, 'href="?page=1#postulaty" rel="prev"')
    assertContains(response, 'href="?page=3#postulaty" rel="next"')


def test_counts_have_thousands_grouped(client, organisation, monkeypatch):
    """ "12345 postulatów" is hard to read: Polish groups thousands with a non-breaking space
    (and leaves four digits as they are), English with a comma."""
    PostulateFactory(organisation=organisation)
    url = organisation.get_absolute_url()

    def summary_of(count):
        summary = OutcomeSummary(counts=[], unanswered=count, overdue=0, total=count)
        monkeypatch.setattr(views, "outcome_summary", lambda postulates, total: summary)

    summary_of(12345)
    response = client.get(url)
    assertContains(response, "Organizacja zgłosiła 12\u00a0345 opublikowanych postulatów.")
    assertContains(response, "<li>bez stanowiska: <strong>12\u00a0345</strong></li>", html=True)
    assertContains(response, '<a href="#postulaty">Zgłoszone postulaty</a> (12\u00a0345)')
    summary_of(1234)
    assertContains(client.get(url), "<strong>1234</strong>")
    assertContains(client.get(f"/en{url}"), "<strong>1,234</strong>")


def names_listed(response):
    return [organisation.name for organisation in response.context["page_obj"]]


def test_the_organisation_list_filters_by_name_as_people_type_it(client, organisation):
    for named in (
        organisation,
        OrganisationFactory(name="Stowarzyszenie Przyjaciół Zwierząt"),
        OrganisationFactory(name="Fundacja Zielone Miasto"),
    ):
        PostulateFactory(organisation=named)  # listed once a public postulate names it
    url = "/organizacje/"
    # Word beginnings, any case, with or without Polish letters.
    response = client.get(url, {"nazwa": "przyjaciol zwierz"})
    assert names_listed(response) == ["Stowarzyszenie Przyjaciół Zwierząt"]
    assertContains(response, '<p class="result-count" role="status">1 organizacja</p>', html=True)
    response = client.get(url, {"nazwa": "FUNDACJA"})
    assert names_listed(response) == ["Fundacja Dzikusy Salamandry", "Fundacja Zielone Miasto"]
    assertContains(response, 'value="FUNDACJA"')
    response = client.get(url, {"nazwa": "Kółko Graniaste"})
    assert names_listed(response) == []
    assertContains(response, "Żadna opublikowana organizacja nie ma takiej nazwy.")
    assert len(names_listed(client.get(url))) == 3


def test_a_too_long_name_is_a_clear_error_not_a_500(client, organisation):
    response = client.get("/organizacje/", {"nazwa": "x" * 201})
    assert response.status_code == 400
    assertContains(response, "Nie można zastosować filtrów", status_code=400)
    assert names_listed(response) == []


def test_the_list_counts_each_organisations_public_meetings_and_postulates(client, organisation):
    PostulateFactory.create_batch(2, organisation=organisation)
    PostulateFactory(organisation=organisation, status=Status.DRAFT)
    in_draft_meeting = PostulateFactory(organisation=organisation)
    Meeting.objects.filter(pk=in_draft_meeting.meeting_id).update(status=Status.DRAFT)
    MeetingFactory().participants.add(organisation)
    MeetingFactory(status=Status.DRAFT).participants.add(organisation)
    MeetingFactory(year=ArchiveYearFactory(year=2031, status=Status.DRAFT)).participants.add(
        organisation
    )
    only_present = OrganisationFactory(name="Koło Gospodyń Wiejskich")
    MeetingFactory().participants.add(only_present)

    response = client.get("/organizacje/")

    assert [(o.name, o.meeting_count, o.postulate_count) for o in response.context["page_obj"]] == [
        ("Fundacja Dzikusy Salamandry", 1, 2),
        ("Koło Gospodyń Wiejskich", 1, 0),
    ]
    assertContains(response, "– 1 spotkanie, 2 postulaty")
    assertContains(response, "– 1 spotkanie, 0 postulatów")


@pytest.mark.parametrize("built", [False, True])
def test_the_filtered_organisation_list_costs_the_same_queries(
    client, organisation, built, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_TOKEN_SECONDS = 0  # the generation read on every request
    PostulateFactory(organisation=organisation)
    if built:
        snapshot.rebuild()
    # The page's count and its rows, then the page's organisations' meetings counted in one
    # grouped query, and their postulates: the kept lists' snapshot, then, when it is built
    # for the current generation (read), their last ranks, else one grouped count; on
    # PostgreSQL first the indexed words the name's beginnings stand for (search.engine).
    queries = (5 if uses_full_text_index() else 4) + (2 if built else 1)
    with django_assert_num_queries(queries):
        client.get("/organizacje/", {"nazwa": "salamandry"})
    for _ in range(5):
        other = OrganisationFactory(name="Fundacja Salamandry Plamistej")
        PostulateFactory(organisation=other).meeting.participants.add(other)
    PostulateFactory(organisation=organisation)
    generation.invalidate()
    if built:
        snapshot.rebuild()
    with django_assert_num_queries(queries):
        response = client.get("/organizacje/", {"nazwa": "salamandry"})
    assert len(names_listed(response)) == 6
    assertContains(
        response, 'Fundacja Dzikusy Salamandry</a> <span class="meta">– 0 spotkań, 2 postulaty'
    )


def test_the_pages_meeting_count_is_the_meeting_lists_filtered_by_the_organisation(client):
    """A journalist compared "Udział w spotkaniach (2)" with /spotkania/?organizacja=, which
    also listed the meetings where the organisation only submitted postulates: one
    definition (meetings.selectors.organisation_meetings) gives both the same meetings."""
    organisation = OrganisationFactory(name="Fundacja Dzikusy Salamandry")
    took_part = [meeting_in(2024), meeting_in(2025)]
    for meeting in took_part:
        meeting.participants.add(organisation)
    PostulateFactory(organisation=organisation, meeting=took_part[0])
    PostulateFactory(organisation=organisation, meeting=meeting_in(2023))  # sent, not there
    hidden = meeting_in(2025)
    hidden.participants.add(organisation)
    Meeting.objects.filter(pk=hidden.pk).update(status=Status.DRAFT)

    page = client.get(organisation.get_absolute_url())
    listed = client.get("/spotkania/", {"organizacja": organisation.slug})

    assertContains(page, '<a href="#spotkania">Udział w spotkaniach</a> (2)', html=True)
    assertContains(listed, '<span class="result-count" role="status">2 spotkania</span>')
    assert (
        {m.pk for m in page.context["meetings"]}
        == {m.pk for m in listed.context["page_obj"]}
        == {m.pk for m in took_part}
    )
