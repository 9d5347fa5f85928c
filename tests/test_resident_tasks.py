"""Tasks residents failed on the public pages (issue #17), as they tried them: English
visitors reading the accessibility statement and trying the search example, phone users
looking for meetings, people printing a meeting's postulates."""

import datetime
import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from accessibility.models import AccessibilityStatement
from tests.factories import MeetingFactory, OutcomeFactory, PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db

LONG_POSTULATE = " ".join(f"słowo{number}" for number in range(1, 41))


def test_the_english_search_example_finds_records_of_the_real_archive(client, public_pages):
    header = client.get("/en/").content.decode()
    placeholder = re.search(r'id="szukaj-w-naglowku"[^>]*placeholder="([^"]+)"', header)[1]
    assert placeholder == "e.g. “lokale” (Polish)"
    example = re.search(r"“(.+)”", placeholder)[1]
    results = client.get("/en/szukaj/", {"q": example}).content.decode()
    # The city's premises policy meetings are what a person asking about premises wants.
    assert (
        '<a href="/en/2024/spotkania/spotkanie-informacyjno-konsultacyjne-polityka-lokalowa-2024/">'
        "Spotkanie informacyjno-konsultacyjne dla NGO w zakresie polityki <mark>lokalowej</mark> "
        "Miasta wobec trzeciego sektora</a>"
    ) in results


def test_the_english_accessibility_statement_is_in_english(client):
    html = client.get("/en/deklaracja-dostepnosci/").content.decode()
    assert '<span id="a11y-podmiot">The Municipality of Kraków</span>' in html
    assert "Everyone has the right to demand that a website" in html
    assert "Information on the physical accessibility of the City Hall" in html
    assert "People who have permanent or temporary difficulty communicating" in html
    assert "Archival documents from 2023–2026" in html
    assert "based on" not in html
    assert "The statement was prepared on the basis of: <span>a self-assessment" in html
    for polish in ("Każdy ma prawo", "Informacje o dostępności", "Osoby doświadczające"):
        assert polish not in html
    # A unit's name has no translation: it is marked as Polish for screen readers.
    assert '<span lang="pl">Referat ds. Współpracy z Organizacjami Pozarządowymi' in html


def test_a_rewritten_statement_text_is_shown_as_polish_on_the_english_page(client):
    AccessibilityStatement.objects.update(architecture="Budynek przy ul. Reymonta 20 ma windę.")
    html = client.get("/en/deklaracja-dostepnosci/").content.decode()
    assert (
        '<div id="a11y-architektura" lang="pl"><p>Budynek przy ul. Reymonta 20 ma windę.</p>'
        in html
    )
    polish = client.get("/deklaracja-dostepnosci/").content.decode()
    assert '<div id="a11y-architektura"><p>Budynek przy ul. Reymonta 20 ma windę.</p>' in polish


def test_on_the_meeting_list_the_count_and_the_results_come_before_folded_filters(client):
    MeetingFactory.create_batch(3)
    html = client.get("/spotkania/").content.decode()
    count = html.index('<span class="result-count" role="status">3 spotkania</span>')
    skip = html.index('<a href="#wyniki">Przejdź do wyników</a>')
    filters = html.index('<details class="filters-panel">')
    assert count < skip < filters < html.index('<div id="wyniki" tabindex="-1">')
    assert "<summary>Filtruj spotkania</summary>" in html


def test_the_summary_says_when_filters_are_on_and_errors_unfold_the_filters(client):
    meeting = MeetingFactory()
    response = client.get("/spotkania/", {"rok": meeting.year_id})
    assertContains(
        response,
        '<summary>Filtruj spotkania <span class="meta">(filtry są włączone)</span></summary>',
        html=True,
    )
    invalid = client.get("/spotkania/", {"rok": "1999"})
    assert invalid.status_code == 400
    assert '<details class="filters-panel" open>' in invalid.content.decode()


def test_on_the_search_page_the_query_the_count_and_the_results_come_before_folded_filters(
    client,
):
    MeetingFactory(title="Lokale dla organizacji")
    html = client.get("/szukaj/", {"q": "lokale"}).content.decode()
    query = html.index('<input type="text" name="q" value="lokale" maxlength="200" id="id_q">')
    count = html.index('<span class="result-count" role="status">Znaleziono: 1 wynik</span>')
    skip = html.index('<a href="#wyniki">Przejdź do wyników</a>')
    filters = html.index('<details class="filters-panel">')
    kind = html.index('<select name="typ" id="id_typ">')
    results = html.index('<div id="wyniki" tabindex="-1">')
    assert query < count < skip < filters < kind < results
    assert "<summary>Zawęź wyszukiwanie</summary>" in html
    # No results: the count and the archive's closest word, and no link to results.
    nothing = client.get("/szukaj/", {"q": "lokalle"}).content.decode()
    assert '<span class="result-count" role="status">Znaleziono: 0 wyników</span>' in nothing
    assert "Przejdź do wyników" not in nothing
    assert nothing.index("Czy chodziło Ci o:") < nothing.index('<details class="filters-panel">')


def test_on_the_postulate_list_the_count_and_the_results_come_before_folded_filters(client):
    PositionFactory(postulate=PostulateFactory(content="Tańsze lokale dla organizacji."))
    html = client.get("/postulaty/", {"q": "lokale"}).content.decode()
    count = html.index('<span class="result-count" role="status">1 postulat</span>')
    skip = html.index('<a href="#wyniki">Przejdź do wyników</a>')
    filters = html.index('<details class="filters-panel">')
    assert count < skip < filters < html.index('<div id="wyniki" tabindex="-1">')
    assert (
        '<summary>Filtruj postulaty <span class="meta">(filtry są włączone)</span></summary>'
    ) in html
    invalid = client.get("/postulaty/", {"rok": "1999"})
    assert invalid.status_code == 400
    assert '<details class="filters-panel" open>' in invalid.content.decode()


def test_on_the_commitments_list_the_count_and_the_results_come_before_folded_filters(client):
    PositionFactory(
        commitment="Przegląd zasad najmu lokali",
        commitment_due_on=datetime.date(2099, 6, 30),
    )
    html = client.get("/postulaty/zobowiazania/").content.decode()
    count = html.index('<span class="result-count" role="status">1 zobowiązanie</span>')
    skip = html.index('<a href="#wyniki">Przejdź do wyników</a>')
    filters = html.index('<details class="filters-panel">')
    state = html.index('<select name="stan" id="id_stan">')
    results = html.index('id="wyniki"')
    assert count < skip < filters < state < results
    assert "<summary>Filtruj zobowiązania</summary>" in html
    chosen = client.get("/postulaty/zobowiazania/", {"stan": "w-terminie"}).content.decode()
    assert (
        '<summary>Filtruj zobowiązania <span class="meta">(filtry są włączone)</span></summary>'
    ) in chosen
    invalid = client.get("/postulaty/zobowiazania/", {"rok": "1999"})
    assert invalid.status_code == 400
    assert '<details class="filters-panel" open>' in invalid.content.decode()
    assert "Przejdź do wyników" not in invalid.content.decode()


def test_on_the_search_page_the_email_alerts_follow_the_results_and_empty_kinds_are_left_out(
    client,
):
    MeetingFactory(title="Lokale dla organizacji")
    PostulateFactory(content="Tańsze lokale dla organizacji.")
    html = client.get("/szukaj/", {"q": "lokale"}).content.decode()
    counts = re.search(r'<ul class="facet-counts">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r">([^<>]+: \d+)</a>", counts) == ["Spotkania: 1", "Postulaty: 1"]
    assert ": 0<" not in html
    last_result = html.rindex('<li class="hit">')
    alerts = html.index('<p class="email-alerts">')
    assert html.index('<div id="wyniki" tabindex="-1">') < last_result < alerts
    assert "Powiadamiaj mnie e-mailem" in html[alerts:]


def test_the_search_summary_says_when_filters_are_on_and_their_errors_unfold_them(client):
    meeting = MeetingFactory(title="Lokale dla organizacji")
    response = client.get("/szukaj/", {"q": "lokale", "rok": meeting.year_id})
    assertContains(
        response,
        '<summary>Zawęź wyszukiwanie <span class="meta">(filtry są włączone)</span></summary>',
        html=True,
    )
    assertContains(response, '<details class="filters-panel">')
    invalid = client.get("/szukaj/", {"q": "lokale", "rok": "1999"})
    assert invalid.status_code == 400
    assertContains(invalid, '<details class="filters-panel" open>', status_code=400)
    assertContains(invalid, "<summary>Zawęź wyszukiwanie</summary>", status_code=400, html=True)
    # An error in the query box, which is always in view, leaves the filters folded.
    too_long = client.get("/szukaj/", {"q": "x" * 300})
    assertContains(too_long, '<details class="filters-panel">', status_code=400)


def test_a_person_named_in_a_years_introduction_of_the_real_archive_finds_it(client, public_pages):
    # The 2025 introduction names the city's animal welfare spokeswoman.
    response = client.get("/szukaj/", {"q": "Janeczko"})
    assert [hit.url for hit in response.context["hits"]] == ["/2025/"]
    assertContains(
        response, "Krakowskiej Rzeczniczki ds. Zwierząt Pani Sabiny <mark>Janeczko</mark>"
    )


def test_the_outcome_filter_of_the_meeting_list_says_what_it_does(client):
    html = client.get("/spotkania/").content.decode()
    assert '<label for="id_rozstrzygniecie">Odpowiedź Miasta na postulat</label>' in html
    assert (
        '<p class="field-help" id="id_rozstrzygniecie_helptext"><strong>Odpowiedź Miasta na '
        "postulat:</strong> Spotkania, na których zgłoszono choć jeden postulat z taką odpowiedzią Miasta, np. „nieuwzględniony”.</p>"
    ) in html
    assert 'aria-describedby="id_rozstrzygniecie_helptext"' in html


def test_the_organisation_filter_of_the_meeting_list_says_it_is_the_organisation_pages(client):
    # Its count is the organisation page's, and it says where the postulates are.
    html = client.get("/spotkania/").content.decode()
    assert (
        '<p class="field-help" id="id_organizacja_helptext"><strong>Organizacja:</strong> '
        "Spotkania, w których organizacja uczestniczyła, jak na jej stronie. Jej postulaty, "
        "także z innych spotkań, pokazuje wykaz postulatów.</p>"
    ) in html


def test_a_printed_meeting_has_whole_postulates_the_justification_and_its_address(client):
    meeting = MeetingFactory()
    postulate = PostulateFactory(meeting=meeting, number=1, content=LONG_POSTULATE)
    PositionFactory(
        postulate=postulate,
        outcome=OutcomeFactory(name="nieuwzględniony"),
        justification="Brak środków w budżecie na 2026 r.",
        answered_on=datetime.date(2025, 9, 1),
    )
    response = client.get(meeting.get_absolute_url())
    html = response.content.decode()
    # On screen the table shortens the postulate; the printout has all of it.
    assert f'<span class="screen-only">{" ".join(LONG_POSTULATE.split()[:30])} …</span>' in html
    assert f'<span class="print-only">{LONG_POSTULATE}</span>' in html
    assertContains(
        response,
        '<div class="print-only justification"><p>Brak środków w budżecie na 2026 r.</p></div>',
        html=True,
    )
    assert (
        '<p class="print-only page-address">Adres tej strony: '
        f"https://testserver{meeting.get_absolute_url()}</p>"
    ) in html


def test_a_short_postulate_is_written_once(client):
    meeting = MeetingFactory()
    PostulateFactory(meeting=meeting, number=1, content="Więcej ławek w parkach.")
    response = client.get(meeting.get_absolute_url())
    assertContains(response, "Więcej ławek w parkach.", count=1)
    assertNotContains(response, '<span class="screen-only">')
