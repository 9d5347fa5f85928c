"""Issue #17: queries residents typed on the real archive that found nothing or the wrong
thing, each as the reader's task: the search page asked, the records listed in order."""

import csv
import datetime
import io
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains

from postulates.models import Outcome, Postulate
from search.engine import text_filter
from search.text import query_terms
from tests.factories import (
    ArchiveYearFactory,
    DepartmentChangeFactory,
    DepartmentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    ProgrammeFactory,
    PublicTaskAreaFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def listed(client, query, **filters):
    response = client.get("/szukaj/", {"q": query, **filters})
    assert response.status_code == 200, response.content[:500]
    return [hit.url for hit in response.context["hits"]]


def meeting(title, day, departments=(), participants=(), **fields):
    """A meeting as the admin saves it: its text brought up to date once its days, departments
    and participants are in."""
    record = MeetingFactory(
        title=title,
        year=ArchiveYearFactory(year=day.year),
        dates=[day],
        departments=list(departments) or [DepartmentFactory()],
        **fields,
    )
    record.participants.set(participants)
    record.refresh_search_text()
    return record


def urls(*records):
    return [record.get_absolute_url() for record in records]


def test_a_departments_abbreviation_finds_its_meetings(client):
    mops = DepartmentFactory(
        name="Miejski Ośrodek Pomocy Społecznej w Krakowie", abbreviation="MOPS"
    )
    zis = DepartmentFactory(name="Zarząd Infrastruktury Sportowej w Krakowie", abbreviation="ZIS")
    older = meeting("Spotkanie o pomocy społecznej", datetime.date(2024, 5, 6), [mops])
    newer = meeting("Seniorzy w mieście", datetime.date(2025, 3, 4), [mops])
    sport = meeting("Obiekty sportowe", datetime.date(2025, 4, 1), [zis])

    response = client.get("/szukaj/", {"q": "MOPS"})
    assert [hit.url for hit in response.context["hits"]] == urls(newer, older)
    assertContains(
        response, "Z zapytania wzięliśmy filtr: Miejski Ośrodek Pomocy Społecznej w Krakowie."
    )
    assert listed(client, "zis") == urls(sport)
    assert listed(client, "mops seniorzy") == urls(newer)


def test_the_search_boxs_own_example_finds_premises_for_non_governmental_organisations(client):
    """The header's placeholder "np. lokale dla NGO": the archive's texts (and the sample
    data's) spell out "organizacji pozarządowych", so "NGO" found nothing where no text
    happened to say it."""
    spelled_out = meeting(
        "Lokale dla organizacji pozarządowych", datetime.date(2025, 3, 4), topic="Najem lokali."
    )
    abbreviated = meeting("Lokale dla NGO", datetime.date(2024, 3, 4))
    meeting("Lokale użytkowe", datetime.date(2025, 5, 6), topic="Najem dla firm.")
    header = client.get("/").content.decode()
    assert 'placeholder="np. lokale dla NGO"' in header
    response = client.get("/szukaj/", {"q": "lokale dla NGO"})
    # The record saying "NGO" itself first; both found, the firms' premises not.
    assert [hit.url for hit in response.context["hits"]] == urls(abbreviated, spelled_out)
    assertContains(response, "<mark>pozarządowych</mark>")
    assert listed(client, "ngo") == urls(abbreviated, spelled_out)


def test_a_departments_name_finds_its_records_before_texts_merely_using_its_words(client):
    social = DepartmentFactory(name="Wydział Spraw Społecznych", abbreviation="SS")
    renamed = DepartmentFactory(name="Wydział Polityki Społecznej", abbreviation="PS")
    DepartmentChangeFactory(predecessor=social, successor=renamed, year=2025)
    other = DepartmentFactory(name="Wydział Sportu")
    # Newer, and full of the words, but another department's.
    elsewhere = meeting(
        "Sprawy społeczne w sporcie",
        datetime.date(2026, 5, 6),
        [other],
        topic="Sprawy społeczności lokalnych i spraw społecznych.",
    )
    own = meeting("Spotkanie branżowe", datetime.date(2024, 5, 6), [social])
    successor = meeting("Spotkanie branżowe", datetime.date(2025, 5, 6), [renamed])
    response = client.get("/szukaj/", {"q": "Spraw Społecznych"})
    assert [hit.url for hit in response.context["hits"]] == urls(successor, own)
    assertContains(response, "Z zapytania wzięliśmy filtr: Wydział Spraw Społecznych.")
    # A run of words two departments' names share names neither: the words are searched.
    assert elsewhere.get_absolute_url() in listed(client, "wydzial sportu sprawy")
    assert elsewhere.get_absolute_url() in listed(client, "sprawy spoleczne")


def test_a_renamed_departments_abbreviation_and_former_name_find_its_meetings(client):
    former = DepartmentFactory(
        name="Wydział Kultury i Dziedzictwa Narodowego", abbreviation="WKiDN"
    )
    renamed = DepartmentFactory(name="Wydział Kultury", abbreviation="KU")
    DepartmentChangeFactory(predecessor=former, successor=renamed, year=2025)
    held_2024 = meeting("Spotkanie branżowe", datetime.date(2024, 5, 6), [former])
    held_2025 = meeting("Spotkanie branżowe", datetime.date(2025, 5, 5), [renamed])
    meeting("Spotkanie branżowe", datetime.date(2025, 5, 7))

    # The department's abbreviation today finds its meetings under its former name too.
    response = client.get("/szukaj/", {"q": "KU"})
    assert [hit.url for hit in response.context["hits"]] == urls(held_2025, held_2024)
    assertContains(response, "Z zapytania wzięliśmy filtr: Wydział Kultury.")
    # The former name, as older documents write it, names the same department, as its former
    # abbreviation does: both names' meetings.
    assert listed(client, "dziedzictwa narodowego") == urls(held_2025, held_2024)
    # Its former abbreviation is the same department: both names' meetings.
    assert listed(client, "wkidn") == urls(held_2025, held_2024)


def test_words_without_polish_letters_find_other_forms(client):
    animals = meeting("Ochrona zwierząt w mieście", datetime.date(2025, 6, 2))
    shelters = meeting("Schroniska: zwierzęta bezdomne", datetime.date(2025, 5, 2))
    # Both are forms of the typed word: the later meeting first.
    assert listed(client, "zwierzeta") == urls(animals, shelters)
    assert listed(client, "zwierząt") == urls(animals, shelters)


def test_a_month_name_finds_the_meetings_of_that_month(client):
    june = meeting("Spotkanie branżowe kultury", datetime.date(2025, 6, 17))
    earlier_june = meeting("Spotkanie branżowe sportu", datetime.date(2024, 6, 3))
    meeting("Spotkanie branżowe zdrowia", datetime.date(2025, 5, 30))
    assert listed(client, "czerwiec") == urls(june, earlier_june)
    assert listed(client, "czerwca 2024") == urls(earlier_june)


def test_a_person_named_in_a_rounds_description_finds_its_meetings(client):
    consultations = RoundFactory(
        title="Konsultacje programu współpracy",
        year=ArchiveYearFactory(year=2025),
        description="Spotkania prowadzi pani Agnieszka Wielgosz z Wydziału Polityki Społecznej.",
    )
    first = meeting(
        "Konsultacje: pierwsze spotkanie", datetime.date(2025, 9, 1), round=consultations
    )
    meeting("Inne spotkanie", datetime.date(2025, 9, 2))
    assert listed(client, "wielgosz") == urls(first)


def test_an_organisation_finds_the_meetings_it_attended_and_its_own_page(client):
    foundation = OrganisationFactory(name="Fundacja Pasieka Miejska")
    attended = meeting("Zieleń w dzielnicach", datetime.date(2025, 4, 2), participants=[foundation])
    meeting("Zieleń bez pszczół", datetime.date(2025, 4, 3))
    assert listed(client, "pasieka") == [
        attended.get_absolute_url(),
        foundation.get_absolute_url(),
    ]


def test_a_year_and_a_programme_in_the_query_are_filters(client):
    culture = DepartmentFactory(name="Wydział Kultury i Dziedzictwa Narodowego")
    culture_2024 = meeting("Spotkanie branżowe", datetime.date(2024, 3, 1), [culture])
    culture_2025 = meeting("Spotkanie branżowe", datetime.date(2025, 3, 1), [culture])
    rpw_2026 = ProgrammeFactory(first_year=2026)
    ProgrammeFactory(first_year=2025)
    ProgrammeFactory(
        kind="wieloletni",
        first_year=2024,
        last_year=2027,
        short_name="Program wieloletni 2024–2027",
        title="Wieloletni Program Współpracy na lata 2024-2027",
    )
    preparing_2026 = meeting("Konsultacje programu", datetime.date(2025, 10, 7), programme=rpw_2026)

    response = client.get("/szukaj/", {"q": "kultury 2025"})
    assert [hit.url for hit in response.context["hits"]] == urls(culture_2025)
    assertContains(response, "Z zapytania wzięliśmy filtr: rok 2025.")
    assert culture_2024.get_absolute_url() not in listed(client, "kultury 2025")
    assert listed(client, "RPW 2026") == urls(preparing_2026)
    assert listed(client, "program współpracy 2026") == urls(preparing_2026)
    # A year no archive holds stays a word to find.
    assert listed(client, "kultury 2031") == []


def test_a_typo_is_offered_the_archives_word(client):
    meeting("Turystyka i kultura", datetime.date(2025, 2, 5))
    response = client.get("/szukaj/", {"q": "turysytka"})
    assert response.context["hits"] == []
    assertContains(
        response,
        '<p class="suggestion">Czy chodziło Ci o: <a href="?q=turystyka">turystyka</a>?</p>',
        html=True,
    )
    assert "suggestion" not in client.get("/szukaj/", {"q": "turystyka"}).context


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_on_postgresql_a_typo_is_offered_a_word_of_any_record(client):
    # pg_trgm looks among every word the indexes hold, here a postulate's alone.
    PostulateFactory(content="Wsparcie dla hospicjów domowych.")
    response = client.get("/szukaj/", {"q": "hopsicjow"})
    assert offered(response) == "hospicjów"


def test_a_dropped_letter_is_offered_the_word_it_was_dropped_from(client):
    """On the large sample "edukcja" offered "edycja" (nearer by trigrams: a dropped letter
    breaks as many of them as a changed one) instead of "edukacja"."""
    meeting("Edycja konkursu grantowego", datetime.date(2025, 2, 5))
    meeting("Edukacja ekologiczna w szkołach", datetime.date(2025, 3, 5))
    response = client.get("/szukaj/", {"q": "edukcja"})
    assert response.context["hits"] == []
    assert offered(response) == "edukacja"


def offered(response):
    """The query "Czy chodziło Ci o" offers, checked as its link: it searches that text."""
    suggestion = response.context["suggestion"]
    assertContains(
        response,
        f'<p class="suggestion">Czy chodziło Ci o: <a href="?{urlencode({"q": suggestion})}">'
        f"{suggestion}</a>?</p>",
        html=True,
    )
    return suggestion


def test_a_typo_is_offered_the_word_as_the_archive_writes_it_and_its_link_finds_it(client):
    youth = meeting(
        "Młodzieżowa Rada Krakowa",
        datetime.date(2025, 3, 4),
        topic="Wsparcie dla młodzieży. Młodzieży brakuje miejsc, a Kraków ich nie ma.",
    )
    youth_postulate = PostulateFactory(content="Więcej świetlic dla młodzieży w dzielnicach.")
    # Names write it with a capital more often than the text does: it stays a word.
    club = OrganisationFactory(name="Klub Młodzieży Aktywnej")
    club_postulates = [PostulateFactory(content="Świetlica.", organisation=club) for _ in "ab"]
    tourism = meeting("Turystyka i kultura", datetime.date(2025, 2, 5))

    # Written with its Polish letters, and lower case where only a sentence begins with it.
    response = client.get("/szukaj/", {"q": "mlodzezy"})
    assert response.context["hits"] == []
    assert offered(response) == "młodzieży"
    assert set(listed(client, "młodzieży")) == set(
        urls(youth, youth_postulate, club, *club_postulates)
    )
    # A name keeps its capital; a word typed rightly stays as typed.
    response = client.get("/szukaj/", {"q": "Wsparcie krakwo"})
    assert offered(response) == "Wsparcie Kraków"
    assert listed(client, "Wsparcie Kraków") == urls(youth)
    # Written only at a title's start, it is offered as the word, not as a title.
    response = client.get("/szukaj/", {"q": "turysytka"})
    assert offered(response) == "turystyka"
    assert listed(client, "turystyka") == urls(tourism)


def test_a_word_only_a_draft_holds_is_not_offered(client):
    from tests.factories import DRAFT

    meeting("Turystyka i kultura", datetime.date(2025, 2, 5), **DRAFT)
    response = client.get("/szukaj/", {"q": "turysytka"})
    assert response.status_code == 200
    assert response.context["hits"] == []
    assert "Czy chodziło Ci o" not in response.content.decode()


def test_a_typo_with_nothing_close_gets_no_suggestion_and_no_error(client):
    meeting("Turystyka i kultura", datetime.date(2025, 2, 5))
    response = client.get("/szukaj/", {"q": "xqzvw"})
    assert response.status_code == 200
    assert response.context["hits"] == []
    assert "Czy chodziło Ci o" not in response.content.decode()
    assertContains(response, "Nic nie znaleziono.")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search_word is PostgreSQL's")
def test_on_postgresql_only_the_forms_the_archive_holds_are_asked_for(client):
    from search.engine import held_forms, listed_words

    premises = PostulateFactory(content="Lokale dla organizacji.")
    lacking = PostulateFactory(content="Brak lokali w dzielnicach.")
    local = PostulateFactory(content="Rozwój społeczności lokalnych.")
    # Of the thirty endings word_forms guesses, the two the archive holds; none of a half-typed
    # word, which is found as a prefix.
    assert held_forms(["lokal", "organizac"], listed_words(["lokal", "organizac"])) == {
        "lokal": ["lokale", "lokali"],
        "organizac": [],
    }
    found = listed(client, "lokale", typ="postulaty")
    assert sorted(found[:2]) == sorted(urls(premises, lacking))
    assert found[2:] == urls(local)
    assert listed(client, "organizac", typ="postulaty") == urls(premises)


def test_exact_words_rank_above_prefixes_in_other_words(client):
    premises = meeting("Zasady wynajmu komunalnych lokali", datetime.date(2024, 1, 10))
    typed = meeting("Lokale dla organizacji", datetime.date(2023, 1, 10))
    local = meeting(
        "Rewitalizacja", datetime.date(2025, 5, 5), topic="Rozwój społeczności lokalnych."
    )
    assert listed(client, "lokale") == urls(premises, typed, local)


def test_numbers_and_codes_match_whole(client):
    room = meeting("Spotkanie w sali C 10", datetime.date(2025, 3, 3))
    june = meeting(
        "Spotkanie czerwcowe",
        datetime.date(2025, 6, 10),
        topic="Zbieramy się 10 czerwca w sali 100.",
    )
    meeting("Spotkanie rocznicowe", datetime.date(2025, 6, 11), topic="Od 2010 roku, 105 osób.")
    assert listed(client, "C 10") == urls(room)
    assert listed(client, "100") == urls(june)
    assert listed(client, "10") == urls(room, june)  # in the title first


def test_postulates_found_by_outcome_and_area(client):
    rejected = OutcomeFactory(name="nieuwzględniony", category=Outcome.Category.REJECTED)
    premises = PublicTaskAreaFactory(name="lokale i nieruchomości")
    found = PostulateFactory(content="Tańsze lokale dla organizacji.", area=premises)
    PositionFactory(postulate=found, outcome=rejected)
    accepted = PostulateFactory(content="Lokale w dzielnicach.", area=premises)
    PositionFactory(postulate=accepted)
    PostulateFactory(content="Lokale na strychach.")

    urls_found = listed(
        client, "lokale", typ="postulaty", rozstrzygniecie=rejected.slug, sfera=premises.slug
    )
    assert urls_found == [found.get_absolute_url()]
    response = client.get("/szukaj/", {"q": "lokale", "rozstrzygniecie": "nie-ma-takiego"})
    assert response.status_code == 400


def test_rejected_postulates_about_premises_in_2025_as_a_spreadsheet(client):
    rejected = OutcomeFactory(name="nieuwzględniony", category=Outcome.Category.REJECTED)
    meeting_2025 = meeting("Spotkanie o lokalach", datetime.date(2025, 4, 9))
    meeting_2024 = meeting("Spotkanie dawne", datetime.date(2024, 4, 9))
    wanted = PostulateFactory(meeting=meeting_2025, content="Tańsze lokale dla organizacji.")
    PositionFactory(postulate=wanted, outcome=rejected)
    for other_meeting, content in ((meeting_2024, "Lokale w 2024."), (meeting_2025, "Ławki.")):
        PositionFactory(
            postulate=PostulateFactory(meeting=other_meeting, content=content), outcome=rejected
        )
    filters = {"q": "lokale", "rok": 2025, "rozstrzygniecie": rejected.slug}

    response = client.get("/postulaty/", filters)
    assert [postulate.pk for postulate in response.context["object_list"]] == [wanted.pk]
    assertContains(response, '<input type="text" name="q" value="lokale"', count=1)
    export = client.get("/postulaty/eksport.csv", filters)
    spreadsheet = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(spreadsheet), delimiter=";"))
    assert [row["Treść"] for row in rows] == ["Tańsze lokale dla organizacji."]
    # The search page finds the same with its own outcome filter.
    assert listed(client, "lokale 2025", typ="postulaty", rozstrzygniecie=rejected.slug) == [
        wanted.get_absolute_url()
    ]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_text(client):
    in_title = meeting("Lokale dla organizacji", datetime.date(2023, 1, 10))
    in_topic = meeting("Spotkanie kwartalne", datetime.date(2025, 5, 5), topic="Lokale i granty.")
    prefix_in_topic = meeting(
        "Rewitalizacja", datetime.date(2025, 6, 6), topic="Rozwój społeczności lokalnych."
    )
    assert listed(client, "lokale") == urls(in_title, in_topic, prefix_in_topic)


def test_a_keyword_match_inside_a_subquery_reads_the_subquerys_own_rows():
    wanted = PostulateFactory(content="Tanie lokale dla organizacji")
    PostulateFactory(content="Ścieżki rowerowe")
    matching = text_filter(Postulate.objects.all(), query_terms("lokale"))

    outer = Postulate.objects.filter(pk__in=matching.values("pk"))

    assert list(outer) == [wanted]
    # The subquery's table is renamed: a column named by the table would mean the outer row,
    # and the database would run the subquery once per outer row.
    inner = str(outer.query).split(" IN (", 1)[1]
    assert '"postulates_postulate"."search' not in inner


def test_a_person_named_in_a_years_introduction_finds_the_year_page(client):
    year = ArchiveYearFactory(
        year=2025,
        intro="Spotkania roku koordynowała **Joanna Przybyłek** z Kancelarii Prezydenta.",
    )
    ArchiveYearFactory(year=2024, intro="Rok spotkań branżowych.")
    meeting("Spotkanie branżowe kultury", datetime.date(2025, 3, 3))

    response = client.get("/szukaj/", {"q": "przybylek"})
    assert [hit.url for hit in response.context["hits"]] == ["/2025/"]
    assertContains(
        response,
        '<li class="hit"><p class="meta"><span class="hit-kind">Rok archiwum</span></p>'
        '<h2 class="hit-title"><a href="/2025/">Rok 2025</a></h2>'
        '<p class="snippet">Spotkania roku koordynowała Joanna <mark>Przybyłek</mark> z '
        "Kancelarii Prezydenta.</p></li>",
        html=True,
    )
    # A phrase from it, with the year as a filter, and only that year.
    assert listed(client, "kancelaria prezydenta 2025") == ["/2025/"]
    assert listed(client, "przybylek 2024") == []
    assert listed(client, "przybylek", typ="lata") == ["/2025/"]
    # An editor's change to the introduction is found at once, the old words no more.
    year.intro = "Spotkania roku koordynował Tomasz Wrona."
    year.save()
    assert listed(client, "wrona") == ["/2025/"]
    assert listed(client, "przybylek") == []


def test_a_draft_years_introduction_is_not_found(client):
    ArchiveYearFactory(year=2027, intro="Plan: Joanna Przybyłek.", status="szkic")
    assert listed(client, "przybylek") == []


@pytest.fixture
def small_caps(monkeypatch):
    """The large archive's situation at a test's size: more matches than are ranked (3 of a
    kind)."""
    monkeypatch.setattr("search.engine.COUNT_LIMIT", 3)
    monkeypatch.setattr("search.views.COUNT_LIMIT", 3)


def test_a_common_word_on_a_large_archive_lists_the_latest_meetings_first(client, small_caps):
    # Entered year by year, as the archive grew: the index yields the oldest first.
    premises = [
        meeting("Lokale dla organizacji", datetime.date(year, 3, 1)) for year in range(2019, 2027)
    ]
    response = client.get("/szukaj/", {"q": "lokale"})
    assertContains(response, '<span class="visually-hidden">ponad 3</span>', count=1)
    assert [kind.key for kind, _count, more in response.context["counts"] if more] == ["spotkania"]
    assert [hit.url for hit in response.context["hits"]] == urls(*premises[:-4:-1])


def test_paging_a_common_word_walks_back_through_the_years_to_the_bound(
    client, monkeypatch, django_assert_max_num_queries
):
    """The outside pass at 100,000 postulates: "lokale" showed 2026, then 2015 and 2016 (the
    first the index read) and page 19 started again at 2026; no page showed 2017-2025."""
    monkeypatch.setattr("search.engine.COUNT_LIMIT", 12)
    monkeypatch.setattr("search.views.COUNT_LIMIT", 12)
    monkeypatch.setattr("search.views.RESULTS_PER_PAGE", 4)
    gathering = MeetingFactory(title="Zebranie", year=ArchiveYearFactory(year=2011))
    # Entered out of date order, as postulates are (the key is no guide to the date).
    years = [2018, 2012, 2026, 2015, 2021, 2013, 2024, 2019, 2016, 2023, 2014, 2025, 2017, 2022]
    by_year = {}
    for year in years:
        where = meeting("Zebranie", datetime.date(year, 5, 1))
        by_year[year] = PostulateFactory(meeting=where, content="Lokale dla organizacji.")
    PostulateFactory(meeting=gathering, content="Lokale bez daty.", number=99)

    pages = []
    for number in (1, 2, 3):
        with django_assert_max_num_queries(12):  # the same few queries on every page
            response = client.get("/szukaj/", {"q": "lokale", "page": number})
        pages.append([hit.url for hit in response.context["hits"]])
        assertContains(response, "Znaleziono: ponad 12 wyników")
    # Newest first, every page in turn, no record twice, none skipped, up to the bound of 12.
    newest = sorted(years, reverse=True)[:12]
    assert pages == [
        urls(*(by_year[year] for year in newest[start : start + 4])) for start in (0, 4, 8)
    ]
    assertContains(response, "najwyżej 12 z każdego rodzaju")
    assertContains(response, "Strona 3 z 3")

    # Past the last page: the last one, and the page says so.
    response = client.get("/szukaj/", {"q": "lokale", "page": 61})
    assert [hit.url for hit in response.context["hits"]] == pages[2]
    assertContains(response, "Nie ma strony 61: lista kończy się na stronie 3, którą pokazujemy.")
    # Narrowed by a year, the older ones are found.
    assert listed(client, "lokale 2014") == urls(by_year[2014])


def test_the_count_past_the_bound_reads_as_polish(client, monkeypatch):
    monkeypatch.setattr("search.engine.COUNT_LIMIT", 2)
    monkeypatch.setattr("search.views.COUNT_LIMIT", 2)
    for year in (2024, 2025, 2026):
        meeting("Zebranie", datetime.date(year, 5, 1), topic="Lokale dla organizacji.")
        PostulateFactory(meeting__year=ArchiveYearFactory(year=year), content="Lokale miejskie.")
    response = client.get("/szukaj/", {"q": "lokale"})
    # Two of each kind are shown: "ponad 4 wyniki", not "ponad 4 wyników".
    assertContains(response, "Znaleziono: ponad 4 wyniki")


def test_on_a_large_archive_exact_words_come_before_newer_other_words(client, small_caps):
    premises = [
        meeting("Lokale dla organizacji", datetime.date(year, 3, 1)) for year in range(2019, 2023)
    ]
    for year in range(2023, 2027):
        meeting("Rewitalizacja", datetime.date(year, 3, 1), topic="Rozwój społeczności lokalnych.")
    assert listed(client, "lokale") == urls(*premises[:-4:-1])


def test_a_word_held_only_in_its_own_forms_is_read_once_per_kind(client, small_caps):
    """ "zieleni" matches the words beginning "zielen", and every such word of this archive
    ("zieleni", "zieleń") is a form of it, so the records holding its forms are the records
    matching it: the page is the same (newest first, up to the bound) and, on PostgreSQL,
    each kind is read once."""
    greenery = [
        meeting("Zieleń w dzielnicach", datetime.date(year, 3, 1), topic="Brak zieleni.")
        for year in range(2019, 2027)
    ]
    with CaptureQueriesContext(connection) as queries:
        found = listed(client, "zieleni")
    assert found == urls(*greenery[:-4:-1])
    if connection.vendor == "postgresql":
        (search_query,) = [query["sql"] for query in queries if "nth_of_kind" in query["sql"]]
        assert "all_" in search_query
        assert "forms_" not in search_query
        # A longer word it begins ("zieleniec") is no form: the second read is needed again.
        meeting("Zieleniec przy Plantach", datetime.date(2018, 3, 1))
        with CaptureQueriesContext(connection) as queries:
            assert listed(client, "zieleni") == urls(*greenery[:-4:-1])
        (search_query,) = [query["sql"] for query in queries if "nth_of_kind" in query["sql"]]
        assert "forms_" in search_query


def test_among_as_good_matches_the_newest_come_first_and_undated_ones_last(client):
    """The outside pass's "lokale": after a 2026 meeting came 2015 and 2016 ones, which said
    the word more often (a slightly higher ts_rank), and an undated organisation before them."""
    tenants = OrganisationFactory(name="Stowarzyszenie Lokale Obywatelskie")
    years = {
        2015: "Lokale, lokale i jeszcze raz lokale: zasady najmu.",
        2016: "Lokale miejskie; lokale użytkowe.",
        2019: "Lokale dla organizacji.",
        2023: "Przegląd zasad: lokale w dzielnicach.",
        2026: "Nowe lokale na Zabłociu.",
    }
    found = {
        year: meeting("Spotkanie kwartalne", datetime.date(year, 3, 1), topic=topic)
        for year, topic in years.items()
    }
    attended = meeting("Spotkanie informacyjne", datetime.date(2017, 6, 1), participants=[tenants])
    assert listed(client, "lokale") == [
        *urls(found[2026], found[2023], found[2019], attended, found[2016], found[2015]),
        tenants.get_absolute_url(),
    ]


def test_the_postulate_list_keeps_the_typed_words_forms_not_longer_words(client):
    """The outside pass: "lokale" on the postulate list also listed "społeczności lokalnych"
    (35% of a filtered list), "zwierzęta" a park in Zwierzyniec. The list shows every match
    unranked, so it keeps the typed word's forms; the search page ranks the others below."""
    premises = PostulateFactory(content="Tańsze lokale dla organizacji.")
    lacking = PostulateFactory(content="Brakuje lokali w dzielnicach.")
    local = PostulateFactory(content="Wsparcie społeczności lokalnych.")
    animals = PostulateFactory(content="Opieka nad bezdomnymi zwierzętami.")
    shelters = PostulateFactory(content="Schroniska dla zwierząt.")
    park = PostulateFactory(content="Park na Zwierzyńcu.")

    def listed_postulates(query):
        response = client.get("/postulaty/", {"q": query})
        assert response.status_code == 200
        return {postulate.pk for postulate in response.context["object_list"]}

    assert listed_postulates("lokale") == {premises.pk, lacking.pk}
    assert listed_postulates("zwierzęta") == {animals.pk, shelters.pk}
    assert listed_postulates("zwierzeta lokali") == set()
    # A word still being typed, whose forms no postulate holds, finds the words it begins.
    assert listed_postulates("lokaln") == {local.pk}
    assert listed_postulates("zwierzyn") == {park.pk}
    # The search page finds them all, the typed word's forms first.
    found = listed(client, "zwierzeta", typ="postulaty")
    assert set(found[:2]) == {animals.get_absolute_url(), shelters.get_absolute_url()}
    assert found[2:] == [park.get_absolute_url()]
