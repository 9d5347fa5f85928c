import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from meetings.models import Document
from postulates.models import Postulate
from search.engine import Criteria, full_text_query, search, text_filter
from search.text import query_terms
from tests.factories import (
    ArchiveYearFactory,
    DepartmentChangeFactory,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's full-text index and ranking"
)


def found(client, query, **filters):
    response = client.get("/szukaj/", {"q": query, **filters})
    assert response.status_code == 200, response.content[:500]
    return [hit.url for hit in response.context["hits"]]


@pytest.fixture
def archive():
    environment = DepartmentFactory(name="Wydział Środowiska, Klimatu i Powietrza")
    meeting = MeetingFactory(
        title="Spotkanie w Wydziale Środowiska, Klimatu i Powietrza",
        topic="Ochrona zwierząt i zieleni miejskiej.",
        departments=[environment],
        dates=[datetime.date(2025, 6, 17)],
    )
    document = DocumentFactory(meeting=meeting, title="Zestawienie zgłoszonych postulatów")
    # As if extracted from its file when uploaded (extraction itself is tested elsewhere).
    Document.objects.filter(pk=document.pk).update(
        text="Organizacje proponują budki lęgowe dla jerzyków w parkach."
    )
    document.refresh_from_db()
    document.refresh_search_text()
    postulate = PostulateFactory(
        meeting=meeting,
        content="Zwiększenie liczby lokali dla organizacji pozarządowych.",
        organisation=OrganisationFactory(name="Fundacja Dzikusy Salamandry"),
    )
    position = PositionFactory(
        postulate=postulate,
        outcome=OutcomeFactory(name="częściowo uwzględniony"),
        justification="Miasto przeanalizuje zasoby lokalowe Zarządu Budynków Komunalnych.",
    )
    return {
        "meeting": meeting,
        "document": document,
        "postulate": postulate,
        "position": position,
        "department": environment,
    }


def test_words_typed_without_polish_letters_find_them(client, archive):
    assert archive["meeting"].get_absolute_url() in found(client, "srodowisko")
    assert archive["meeting"].get_absolute_url() in found(client, "ŚRODOWISKA")


def test_inflected_forms_find_each_other(client, archive):
    document_url = archive["document"].get_absolute_url()
    assert document_url in found(client, "postulat")
    assert document_url in found(client, "postulaty")
    assert archive["postulate"].get_absolute_url() in found(client, "lokal organizacja")


def test_every_kind_is_found_by_any_word_of_it(client, archive):
    assert archive["document"].get_absolute_url() in found(client, "jerzyki")  # text of the file
    assert archive["position"].postulate.get_absolute_url() in found(client, "zasobow lokalowych")
    assert "/organizacje/fundacja-dzikusy-salamandry/" in found(client, "salamandry")


def test_all_words_must_match(client, archive):
    assert found(client, "jerzyki lokale") == []


def test_results_show_kind_date_department_and_a_highlighted_snippet(client, archive):
    response = client.get("/szukaj/", {"q": "jerzyki"})
    assertContains(response, "Dokument")
    assertContains(response, '<time datetime="2025-06-17">17 czerwca 2025</time>', html=True)
    assertContains(response, "Wydział Środowiska, Klimatu i Powietrza")
    assertContains(response, "<mark>jerzyków</mark>")


def test_drafts_and_scheduled_records_are_never_found(client, archive):
    MeetingFactory(title="Tajne spotkanie szkic", status=Status.DRAFT, published_at=None)
    MeetingFactory(
        title="Tajne spotkanie zaplanowane",
        published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC),
    )
    hidden = MeetingFactory(title="Szkic", status=Status.DRAFT, published_at=None)
    DocumentFactory(meeting=hidden, title="Tajny dokument")
    assert found(client, "tajne") == []
    assert found(client, "tajny") == []


def test_filters_narrow_the_results_and_follow_renamed_departments(client, archive):
    old_name = DepartmentFactory(name="Wydział Kształtowania Środowiska")
    DepartmentChangeFactory(predecessor=old_name, successor=archive["department"])
    old = MeetingFactory(
        title="Dawne spotkanie o zieleni",
        year=ArchiveYearFactory(year=2024),
        departments=[old_name],
    )
    MeetingFactory(title="Zieleń w innym wydziale", year=ArchiveYearFactory(year=2024))

    department = archive["department"].slug
    assert set(found(client, "zieleni", wydzial=department)) == {
        archive["meeting"].get_absolute_url(),
        old.get_absolute_url(),
    }
    assert found(client, "zieleni", wydzial=department, rok=2024) == [old.get_absolute_url()]
    assert found(client, "postulat", typ="dokumenty") == [archive["document"].get_absolute_url()]


def test_a_department_filter_finds_what_the_department_owns_by_every_path(client):
    culture, other = DepartmentFactory(), DepartmentFactory()
    own_meeting = MeetingFactory(title="Ogrody społeczne", departments=[culture])
    other_meeting = MeetingFactory(title="Ogrody sąsiedzkie", departments=[other])
    own_round = RoundFactory(coordinator=culture)
    round_document = DocumentFactory(meeting=None, round=own_round, title="Ogrody w cyklu")
    answered_by_culture = PostulateFactory(
        meeting=other_meeting, responsible_department=culture, content="Ogrody na dachach."
    )
    raised_with_culture = PostulateFactory(meeting=own_meeting, content="Ogrody szkolne.")
    # An answer naming no department is where its postulate is; one naming another is not.
    unnamed_answer = PositionFactory(
        postulate=raised_with_culture, department=None, justification="Ogrody powstaną."
    )
    PositionFactory(
        postulate=answered_by_culture, department=other, justification="Ogrody nie powstaną."
    )
    PostulateFactory(meeting=other_meeting, content="Ogrody przy blokach.")

    assert set(found(client, "ogrody", wydzial=culture.slug)) == {
        record.get_absolute_url()
        for record in (
            own_meeting,
            round_document,
            answered_by_culture,
            raised_with_culture,
            unnamed_answer,
        )
    }


def test_filters_alone_list_every_match(client, archive):
    urls = found(client, "", typ="postulaty", rok=2025)
    assert urls == [archive["postulate"].get_absolute_url()]


def test_counts_per_kind_are_shown_for_the_kinds_that_found_something(client, archive):
    response = client.get("/szukaj/", {"q": "organizacji"})
    counts = {str(kind.key): count for kind, count, _more in response.context["counts"]}
    # Kinds that found nothing are left out: on a phone, their "…: 0" pushed the results down.
    assert counts == {"dokumenty": 1, "postulaty": 1}
    assertContains(
        response,
        '<ul class="facet-counts">'
        '<li><a href="?q=organizacji&amp;typ=dokumenty">Dokumenty: 1</a></li>'
        '<li><a href="?q=organizacji&amp;typ=postulaty">Postulaty: 1</a></li></ul>',
        html=True,
    )
    assertNotContains(response, "Spotkania: 0")
    assertContains(response, "Znaleziono: 2 wyniki")


def test_round_documents_are_found_and_filtered_by_year(client):
    round_ = RoundFactory(year=ArchiveYearFactory(year=2023), title="Spotkania branżowe 2023")
    document = DocumentFactory(meeting=None, round=round_, title="Stanowisko Miasta")
    ArchiveYearFactory(year=2025)
    assert found(client, "stanowisko", rok=2023) == [document.get_absolute_url()]
    assert found(client, "stanowisko", rok=2025) == []


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"q": "x" * 3_000}, 400, "Zapytanie może mieć najwyżej 200 znaków"),
        ({"q": "x" * 10_000}, 414, "Adres jest za długi"),
        ({"q": "lokal\x00"}, 400, "niedozwolone znaki"),
        ({"q": "lokal", "wydzial": "nie-ma-takiego"}, 400, "Popraw zaznaczone pola"),
        ({"q": "lokal", "rok": "2999"}, 400, "Popraw zaznaczone pola"),
        ({"q": "lokal", "rok": "dwa tysiące"}, 400, "Popraw zaznaczone pola"),
        ({"q": "lokal", "typ": "hasla"}, 400, "Popraw zaznaczone pola"),
        ({"q": "' OR 1=1; DROP TABLE meetings_meeting; --"}, 200, "Nic nie znaleziono"),
        ({"q": "a"}, 200, "co najmniej 2 litery"),
        ({"q": ""}, 200, "Szukaj w archiwum"),
        ({"q": "lokal", "page": "-1"}, 200, "Znaleziono"),
        ({"q": "lokal", "page": "999999"}, 200, "Znaleziono"),
    ],
)
def test_bad_input_gets_a_clear_answer_never_a_500(client, archive, params, status, message):
    response = client.get("/szukaj/", params)
    assertContains(response, message, status_code=status)


def test_nothing_typed_is_reflected_unescaped(client, archive):
    response = client.get("/szukaj/", {"q": '<script>alert("x")</script> lokale'})
    assertNotContains(response, "<script>alert", status_code=200)
    assertContains(response, "&lt;script&gt;")


def test_repeated_parameters_use_one_value(client, archive):
    response = client.get("/szukaj/?q=jerzyki&q=salamandry")
    assert response.status_code == 200


def test_search_page_query_count_does_not_grow(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        client.get("/szukaj/", {"q": "organizacji"})
    for number in range(20):
        PostulateFactory(meeting=archive["meeting"], content=f"Lokale dla organizacji nr {number}.")
    with django_assert_max_num_queries(16):
        response = client.get("/szukaj/", {"q": "organizacji"})
    assert response.context["total"] == 22


@on_postgresql
def test_postgresql_ranks_the_better_match_first(archive):
    weak = PostulateFactory(content="Park. " + "Inne sprawy. " * 40)
    strong = PostulateFactory(content="Park, park i jeszcze raz park: parki miejskie.")
    results = search(Criteria(terms=query_terms("park"), kinds=["postulaty"]), 0, 10)
    assert results.page == [("postulaty", strong.pk), ("postulaty", weak.pk)]


@on_postgresql
def test_postgresql_uses_the_full_text_index(archive):
    records = text_filter(Postulate.objects.all(), query_terms("lokale"))
    # The test table is tiny, so make every other access path look expensive (the benchmark
    # shows the plan at full size); what is checked is that the GIN index fits the query.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = records.explain()
    assert "Bitmap Index Scan on postulate_fulltext" in plan


def test_words_inside_an_uploaded_file_are_found(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(title="Stanowisko Wydziału")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
        '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>Miasto rozważy dofinansowanie schronisk dla zwierząt.</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", body)
    document.file.save("stanowisko.docx", ContentFile(buffer.getvalue()))

    assert document.get_absolute_url() in found(client, "schronisko zwierzat")


def test_counting_stops_at_the_limit_and_says_so(client, archive, monkeypatch):
    monkeypatch.setattr("search.engine.COUNT_LIMIT", 2)
    monkeypatch.setattr("search.views.COUNT_LIMIT", 2)
    for number in range(4):
        PostulateFactory(meeting=archive["meeting"], content=f"Dotacje dla organizacji {number}.")
    response = client.get("/szukaj/", {"q": "dotacje"})
    assertContains(response, "Znaleziono: ponad 2 wyniki")
    # Shown short ("2+"), read out whole.
    assertContains(
        response,
        '<a href="?q=dotacje&amp;typ=postulaty">Postulaty: <span aria-hidden="true">2+</span>'
        '<span class="visually-hidden">ponad 2</span></a>',
        html=True,
    )
    assertContains(response, "najwyżej 2 z każdego rodzaju")
    MeetingFactory(title="Dotacje na 2026 rok", topic="Dotacje.")
    response = client.get("/szukaj/", {"q": "dotacje"})
    # Two postulates counted (of four) and the meeting: more than three in all.
    assertContains(response, "Znaleziono: ponad 3 wyniki")
    assert len(response.context["hits"]) == 3


def test_every_kind_of_hit_costs_the_same_queries_however_many(client, django_assert_num_queries):
    """Records of all five kinds on one page, documents of meetings and of rounds, each with
    what its hit shows: the page's queries are fixed, so nothing a hit reads is deferred."""
    department = DepartmentFactory(name="Wydział Kultury")

    def add_one_of_each(number):
        meeting = MeetingFactory(
            title=f"Kultura {number}", topic="Kultura.", departments=[department]
        )
        DocumentFactory(meeting=meeting, title=f"Kultura, dokument {number}")
        DocumentFactory(
            meeting=None,
            round=RoundFactory(title=f"Cykl {number}", coordinator=department),
            title=f"Kultura, cykl {number}",
        )
        postulate = PostulateFactory(
            meeting=meeting,
            content="Kultura.",
            responsible_department=department,
            organisation=OrganisationFactory(name=f"Stowarzyszenie Kultura {number}"),
        )
        PositionFactory(postulate=postulate, department=department, justification="Kultura.")

    add_one_of_each(0)
    client.get("/szukaj/", {"q": "kultura"})  # the first request reads the session machinery
    # Form choices (years, departments, outcomes, areas), the departments' abbreviations the
    # query may name, the search (on PostgreSQL after the words its prefixes begin), one
    # query per kind, the departments of the meetings and documents' meetings, and the
    # persons of the documents' meetings named only by role (a file's text naming one is not
    # shown: Document.file_text_withheld).
    queries = 13 + (connection.vendor == "postgresql")
    with django_assert_num_queries(queries):
        response = client.get("/szukaj/", {"q": "kultura"})
    assert len(response.context["hits"]) == 6
    for number in range(1, 3):  # 18 hits: all on the first page
        add_one_of_each(number)
    with django_assert_num_queries(queries):
        response = client.get("/szukaj/", {"q": "kultura"})
    assert len(response.context["hits"]) == 18
    kinds = {hit.kind for hit in response.context["hits"]}
    assert kinds == {"Spotkanie", "Dokument", "Postulat", "Stanowisko", "Organizacja"}


def test_pages_of_results_split_the_order_and_overflow_goes_to_the_last_page(
    client, archive, monkeypatch
):
    monkeypatch.setattr("search.views.RESULTS_PER_PAGE", 2)
    for number in range(3):  # with the archive's own, four postulates about premises
        PostulateFactory(meeting=archive["meeting"], content=f"Lokale nr {number}.")

    def page(number):
        response = client.get("/szukaj/", {"q": "lokale", "typ": "postulaty", "page": number})
        assert response.status_code == 200
        return response.context["page_obj"].number, [hit.url for hit in response.context["hits"]]

    first, second = page(1), page(2)
    assert first[0] == 1 and second[0] == 2
    assert len(first[1]) == len(second[1]) == 2
    assert len(set(first[1] + second[1])) == 4  # each postulate on exactly one page
    assert page(3) == second  # past the end: the last page, as on every list
    assert page("9" * 400) == second
    assert page("abc") == first
    assert page("0") == first


@on_postgresql
def test_prefixes_become_the_words_they_begin_and_find_the_same_records(archive, monkeypatch):
    """A typed word matches any word it begins: as the exact words search_word lists, or, past
    EXPANSION_LIMIT words, as a prefix. Both find the same records in the same order."""
    for content in ("Park kieszonkowy.", "Parki miejskie i parkingi.", "Parkowanie rowerów."):
        PostulateFactory(meeting=archive["meeting"], content=content)
    criteria = Criteria(terms=query_terms("park"), kinds=["postulaty"])
    # "parkach" is in the archive's document.
    assert full_text_query(criteria.terms) == (
        "('park' | 'parkach' | 'parki' | 'parkingi' | 'parkowanie')"
    )
    expanded = search(criteria, 0, 20)
    monkeypatch.setattr("search.engine.EXPANSION_LIMIT", 1)
    assert full_text_query(criteria.terms) == "park:*"
    assert search(criteria, 0, 20) == expanded
    assert expanded.counts == {"postulaty": 3}


@on_postgresql
def test_words_written_past_the_orm_are_listed_too(archive):
    """Triggers keep search_word: a bulk insert or an update() that bypasses save() cannot
    leave a word out and hide its record from the search."""
    postulate = archive["postulate"]
    Postulate.objects.filter(pk=postulate.pk).update(search_text=" hulajnogi elektryczne ")
    created = Postulate.objects.bulk_create(
        [Postulate(meeting=archive["meeting"], number=99, content="x", search_text=" rowery ")]
    )
    Postulate.objects.filter(pk=created[0].pk).update(
        status=Status.PUBLISHED, published_at=postulate.published_at
    )
    for query, expected in (("hulajnoga", postulate.pk), ("rowerami", created[0].pk)):
        results = search(Criteria(terms=query_terms(query), kinds=["postulaty"]), 0, 20)
        assert results.page == [("postulaty", expected)], query


@on_postgresql
def test_a_word_that_begins_no_word_ends_the_search_at_once(
    client, archive, django_assert_num_queries
):
    client.get("/szukaj/", {"q": "lokale"})
    # Form choices, the departments (abbreviations and names), the look-up of the words, and
    # for each word the archive's closest word to offer: no ranking query at all.
    with django_assert_num_queries(8):
        response = client.get("/szukaj/", {"q": "lokale xyzzyq"})
    assertContains(response, "Znaleziono: 0 wyników")


@on_postgresql
def test_the_listed_words_find_exactly_what_the_prefixes_find(archive, monkeypatch):
    for content in (
        "Budżet obywatelski 2025 dla dzielnic.",
        "Obywatelskie inicjatywy lokalne.",
        "Lokalne centra aktywności i ich lokale.",
        "Aktywni seniorzy w klubach seniora.",
        "Kluby sportowe i budżety dzielnic.",
    ):
        PostulateFactory(meeting=archive["meeting"], content=content)
    queries = ("bu", "budzet", "obywat", "lok", "lokali", "aktyw", "klub", "senior", "2025")
    for query in (*queries, "ob ini", "klu sen", "dzielnic budz", "lokal xyz"):
        criteria = Criteria(terms=query_terms(query))
        monkeypatch.setattr("search.engine.EXPANSION_LIMIT", 64)
        listed = search(criteria, 0, 100)
        monkeypatch.setattr("search.engine.EXPANSION_LIMIT", 0)  # every term stays a prefix
        prefixed = search(criteria, 0, 100)
        assert listed.counts == prefixed.counts, query
        assert set(listed.page) == set(prefixed.page), query


@on_postgresql
def test_listed_words_are_quoted_and_taken_once(archive):
    """A word listed twice (two saves at once) or holding a quote (written past the folding)
    still gives a valid query."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_word (word) VALUES ('lokali'), ('lokal''s\\x')")
    assert full_text_query(["lokal"]) == "('lokal''s\\\\x' | 'lokali' | 'lokalowe')"
    results = search(Criteria(terms=["lokal"], kinds=["postulaty"]), 0, 20)
    assert results.page == [("postulaty", archive["postulate"].pk)]
