"""Atom feeds of newly published materials: valid, complete, and never showing drafts."""

import datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.publishing import Status
from tests.factories import (
    ArchiveYearFactory,
    DepartmentChangeFactory,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    PostulateFactory,
    PublicTaskAreaFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db

# Served as XML so browsers apply the feed's stylesheet (core.feeds).
ATOM = "application/xml; charset=utf-8"


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == ATOM
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def titles(feed):
    return [entry.title for entry in feed.entries]


def test_latest_feed_lists_published_documents_and_meetings_newest_first(client):
    meeting = MeetingFactory(title="Spotkanie o kulturze", published_at=days_ago(10))
    DocumentFactory(meeting=meeting, title="Podsumowanie", published_at=days_ago(5))
    DocumentFactory(meeting=meeting, title="Lista postulatów", published_at=days_ago(1))

    feed = read_feed(client, "/kanaly/nowe.atom")

    assert titles(feed) == [
        "Lista postulatów – Spotkanie o kulturze",
        "Podsumowanie – Spotkanie o kulturze",
        "Spotkanie o kulturze",
    ]
    assert feed.feed.title.startswith("Nowe materiały")
    assert feed.feed.subtitle
    assert feed.feed.language == "pl"
    assert feed.feed.link == "https://testserver/"


def test_every_entry_has_a_stable_id_a_link_an_update_time_an_author_and_a_summary(client):
    department = DepartmentFactory(name="Wydział Kultury")
    meeting = MeetingFactory(departments=[department], topic="Programy kulturalne")
    document = DocumentFactory(meeting=meeting, published_at=days_ago(2))

    feed = read_feed(client, "/kanaly/nowe.atom")

    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(set(ids)) == 2
    assert all(entry_id.startswith("tag:testserver,2026:") for entry_id in ids)
    by_id = {entry.id: entry for entry in feed.entries}
    document_entry = by_id[f"tag:testserver,2026:dokument-{document.pk}"]
    assert document_entry.link == f"https://testserver{document.get_absolute_url()}"
    assert document_entry.author == "Wydział Kultury"
    assert document_entry.updated_parsed[:6] == document.published_at.utctimetuple()[:6]
    meeting_entry = by_id[f"tag:testserver,2026:spotkanie-{meeting.pk}"]
    assert "Programy kulturalne" in meeting_entry.summary
    assert feed.feed.updated_parsed[:6] == meeting.published_at.utctimetuple()[:6]


def test_an_entry_id_survives_a_rename(client):
    meeting = MeetingFactory(slug="stara-nazwa")
    before = read_feed(client, "/kanaly/nowe.atom").entries[0].id
    meeting.slug = "nowa-nazwa"
    meeting.save()
    after = read_feed(client, "/kanaly/nowe.atom").entries[0]
    assert after.id == before
    assert after.link.endswith("/spotkania/nowa-nazwa/")


def test_without_departments_the_author_is_the_city(client):
    round_ = RoundFactory(coordinator=DepartmentFactory(status=Status.DRAFT))
    DocumentFactory(meeting=None, round=round_)

    feed = read_feed(client, "/kanaly/nowe.atom")

    assert [entry.author for entry in feed.entries] == ["Miasto Kraków"]


def test_markup_in_titles_and_topics_reaches_readers_as_text(client):
    MeetingFactory(title="<b>Pogrubione</b>", topic='<script>alert("x")</script> & więcej')

    response = client.get("/kanaly/nowe.atom")
    entry = feedparser.parse(response.content).entries[0]

    assert b"<script" not in response.content
    assert b"<b>" not in response.content
    assert entry.title == "<b>Pogrubione</b>"
    # The summary is HTML whose text is the topic: markup shows as characters.
    assert "&lt;script&gt;" in entry.summary
    assert "<script" not in entry.summary


def test_drafts_and_scheduled_items_never_appear(client):
    MeetingFactory(title="Widoczne spotkanie")
    MeetingFactory(title="Szkic spotkania", status=Status.DRAFT)
    MeetingFactory(
        title="Zaplanowane spotkanie", published_at=timezone.now() + datetime.timedelta(days=3)
    )
    hidden_meeting = MeetingFactory(title="Spotkanie szkicu", status=Status.DRAFT)
    DocumentFactory(meeting=hidden_meeting, title="Dokument szkicu spotkania")
    DocumentFactory(title="Szkic dokumentu", status=Status.DRAFT)
    DocumentFactory(
        title="Zaplanowany dokument", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    draft_year = ArchiveYearFactory(year=2030, status=Status.DRAFT)
    MeetingFactory(title="Spotkanie w roku szkicu", year=draft_year)

    feed_titles = " | ".join(titles(read_feed(client, "/kanaly/nowe.atom")))

    assert "Widoczne spotkanie" in feed_titles
    for hidden in ("Szkic", "Zaplanowan", "szkicu"):
        assert hidden not in feed_titles


def test_department_feed_includes_its_former_and_later_names(client):
    former = DepartmentFactory(name="Wydział Dawny", slug="wydzial-dawny")
    current = DepartmentFactory(name="Wydział Obecny", slug="wydzial-obecny")
    DepartmentChangeFactory(predecessor=former, successor=current)
    DocumentFactory(meeting=MeetingFactory(title="Pod dawną nazwą", departments=[former]))
    MeetingFactory(title="Pod obecną nazwą", departments=[current])
    DocumentFactory(meeting=None, round=RoundFactory(title="Cykl wydziału", coordinator=current))
    MeetingFactory(title="Innego wydziału", departments=[DepartmentFactory()])

    for slug, name in (("wydzial-obecny", "Wydział Obecny"), ("wydzial-dawny", "Wydział Dawny")):
        feed = read_feed(client, f"/kanaly/wydzialy/{slug}.atom")
        feed_titles = " | ".join(titles(feed))
        assert "Pod dawną nazwą" in feed_titles
        assert "Pod obecną nazwą" in feed_titles
        assert "Cykl wydziału" in feed_titles
        assert "Innego wydziału" not in feed_titles
        assert name in feed.feed.title
        assert feed.feed.link == f"https://testserver/wydzialy/{slug}/"


def test_year_feed_holds_only_that_year(client):
    MeetingFactory(title="Spotkanie 2025", year=ArchiveYearFactory(year=2025))
    DocumentFactory(
        meeting=None, round=RoundFactory(title="Cykl 2025", year=ArchiveYearFactory(year=2025))
    )
    MeetingFactory(title="Spotkanie 2024", year=ArchiveYearFactory(year=2024))

    feed = read_feed(client, "/kanaly/lata/2025.atom")

    feed_titles = " | ".join(titles(feed))
    assert "Spotkanie 2025" in feed_titles
    assert "Cykl 2025" in feed_titles
    assert "Spotkanie 2024" not in feed_titles
    assert "2025" in feed.feed.title


def test_organisation_feed_holds_its_meetings_documents_and_its_postulates(client):
    organisation = OrganisationFactory(name="Fundacja Kocia", slug="fundacja-kocia")
    attended = MeetingFactory(title="Spotkanie z fundacją")
    attended.participants.add(organisation)
    DocumentFactory(meeting=attended, title="Podsumowanie udziału")
    DocumentFactory(title="Cudzy dokument")
    PostulateFactory(organisation=organisation, content="Więcej karmy dla kotów wolno żyjących.")
    PostulateFactory(content="Postulat innej organizacji.")
    PostulateFactory(organisation=organisation, content="Szkic postulatu.", status=Status.DRAFT)

    feed = read_feed(client, "/kanaly/organizacje/fundacja-kocia.atom")

    feed_titles = " | ".join(titles(feed))
    assert "Podsumowanie udziału" in feed_titles
    assert "Więcej karmy" in feed_titles
    assert "Cudzy dokument" not in feed_titles
    assert "innej organizacji" not in feed_titles
    assert "Szkic postulatu" not in feed_titles


@pytest.mark.parametrize(
    "url",
    [
        "/kanaly/wydzialy/nie-ma-takiego.atom",
        "/kanaly/wydzialy/wydzial-w-szkicu.atom",
        "/kanaly/organizacje/nie-ma-takiej.atom",
        "/kanaly/organizacje/organizacja-w-szkicu.atom",
        "/kanaly/lata/1999.atom",
        "/kanaly/lata/2031.atom",
    ],
)
def test_unknown_or_unpublished_subjects_answer_404(client, url):
    DepartmentFactory(slug="wydzial-w-szkicu", status=Status.DRAFT)
    OrganisationFactory(slug="organizacja-w-szkicu", status=Status.DRAFT)
    ArchiveYearFactory(year=2031, published_at=timezone.now() + datetime.timedelta(days=1))

    assert client.get(url).status_code == 404


def test_a_feed_holds_the_newest_fifty(client):
    meeting = MeetingFactory(published_at=days_ago(400))
    DocumentFactory.create_batch(60, meeting=meeting)

    assert len(read_feed(client, "/kanaly/nowe.atom").entries) == 50


FEED_URLS = [
    "/kanaly/nowe.atom",
    "/kanaly/lata/2025.atom",
    "/kanaly/wydzialy/wydzial-kultury.atom",
    "/kanaly/organizacje/fundacja.atom",
]


@pytest.mark.parametrize("url", FEED_URLS)
def test_every_feed_holds_the_newest_entries_the_setting_allows(client, url, settings):
    settings.FEED_ENTRIES = 3
    department = DepartmentFactory(slug="wydzial-kultury")
    organisation = OrganisationFactory(slug="fundacja")
    add_materials(3, department, organisation)
    newest = MeetingFactory(departments=[department], title="Najnowsze spotkanie")
    newest.participants.add(organisation)
    DocumentFactory(meeting=newest, title="Najnowszy dokument")

    feed = read_feed(client, url)

    assert len(feed.entries) == 3
    assert "Najnowszy dokument – Najnowsze spotkanie" in titles(feed)
    updated = [entry.updated_parsed for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)


def test_long_texts_are_cut_so_no_feed_reaches_a_megabyte(client):
    organisation = OrganisationFactory(slug="fundacja")
    meeting = MeetingFactory(title="ż" * 500, topic="ż" * 20_000)
    meeting.participants.add(organisation)
    area = PublicTaskAreaFactory()
    for _ in range(60):
        PostulateFactory(
            meeting=meeting, organisation=organisation, area=area, content="ą" * 20_000
        )

    for url in ("/kanaly/nowe.atom", "/kanaly/organizacje/fundacja.atom"):
        response = client.get(url)
        assert len(response.content) < 1_000_000, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo
        summaries = [entry.summary for entry in feed.entries]
        # At most FEED_SUMMARY_CHARS of a text; the entry's link leads to all of it.
        assert all(len(summary) <= 500 for summary in summaries), url
    postulate_summary = feed.entries[0].summary
    assert postulate_summary == "ą" * 499 + "…"


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_materials(count, department, organisation):
    for _ in range(count):
        meeting = MeetingFactory(departments=[department, DepartmentFactory()])
        meeting.participants.add(organisation)
        DocumentFactory.create_batch(2, meeting=meeting)
        PostulateFactory(meeting=meeting, organisation=organisation)
    DocumentFactory(meeting=None, round=RoundFactory(coordinator=department))


@pytest.mark.parametrize("url", FEED_URLS)
def test_feed_query_count_does_not_grow_with_the_archive(
    client, url, django_assert_max_num_queries
):
    department = DepartmentFactory(slug="wydzial-kultury")
    DepartmentChangeFactory(successor=department)
    organisation = OrganisationFactory(slug="fundacja")
    add_materials(2, department, organisation)
    with_few = count_queries(client, url)

    add_materials(30, department, organisation)
    with django_assert_max_num_queries(with_few):
        read_feed(client, url)
    with django_assert_max_num_queries(10):
        read_feed(client, url)


def test_every_page_announces_the_feed_and_the_calendar(client):
    response = client.get("/")
    html = response.content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Nowe materiały w archiwum spotkań z NGO (Atom)" href="/kanaly/nowe.atom">'
    ) in html
    assert 'type="text/calendar"' in html
    assert 'href="/kanaly/spotkania.ics"' in html


def test_control_characters_stored_earlier_break_no_feed(client):
    """Forms refuse them now, but records saved before (or written around the admin) may hold
    them: every feed listing such a record still answers, with the characters left out."""
    department = DepartmentFactory(name="Wydział Kultury", slug="wydzial-kultury")
    organisation = OrganisationFactory(name="Fundacja Kocia", slug="fundacja-kocia")
    meeting = MeetingFactory(departments=[department], published_at=days_ago(3))
    meeting.participants.add(organisation)
    document = DocumentFactory(meeting=meeting, published_at=days_ago(2))
    postulate = PostulateFactory(meeting=meeting, organisation=organisation, number=4)
    type(meeting).objects.filter(pk=meeting.pk).update(
        title="Spotkanie\x0bkultury\x07", topic="Temat\x1b spotkania"
    )
    type(document).objects.filter(pk=document.pk).update(title="Podsumowanie\x01\x1b")
    type(postulate).objects.filter(pk=postulate.pk).update(content="Więcej lokali\ufffe\x85")
    type(department).objects.filter(pk=department.pk).update(name="Wydział\x0cKultury")
    type(organisation).objects.filter(pk=organisation.pk).update(name="Fundacja\x08 Kocia")

    feeds = {
        url: read_feed(client, url)
        for url in (
            "/kanaly/nowe.atom",
            "/kanaly/lata/2025.atom",
            "/kanaly/wydzialy/wydzial-kultury.atom",
            "/kanaly/organizacje/fundacja-kocia.atom",
        )
    }

    meeting_and_document = ["Podsumowanie – Spotkanie kultury", "Spotkanie kultury"]
    assert titles(feeds["/kanaly/nowe.atom"]) == meeting_and_document
    assert titles(feeds["/kanaly/lata/2025.atom"]) == meeting_and_document
    department_feed = feeds["/kanaly/wydzialy/wydzial-kultury.atom"]
    assert titles(department_feed) == meeting_and_document
    assert department_feed.feed.title.startswith("Nowe materiały: Wydział Kultury – ")
    assert {entry.author for entry in department_feed.entries} == {"Wydział Kultury"}
    assert "Temat spotkania" in department_feed.entries[1].summary
    organisation_feed = feeds["/kanaly/organizacje/fundacja-kocia.atom"]
    assert sorted(titles(organisation_feed)) == [
        "Podsumowanie – Spotkanie kultury",
        "Postulat nr 4: Więcej lokali",
    ]
    assert organisation_feed.feed.title.startswith("Nowe materiały: Fundacja Kocia – ")
