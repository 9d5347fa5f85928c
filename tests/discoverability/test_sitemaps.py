"""/sitemap.xml: an index of sections listing every published page, and no draft."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accessibility.models import DocumentText
from core.publishing import Status
from departments.models import Department
from krakow_ngo.sitemap_sections import SITEMAP_SECTIONS
from meetings.models import ArchiveYear, Document, Meeting, Round
from meetings.sitemaps import MeetingSitemap
from organisations.models import Organisation
from postulates.models import Postulate
from programmes.models import Programme
from tests.accessibility.documents import rtf_bytes
from tests.conftest import PRIVATE_PAGES
from tests.factories import DocumentFactory, MeetingFactory, RoundFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ORIGIN = "https://testserver"


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def section_urls(client):
    index = get_xml(client, "/sitemap.xml")
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]


def sitemap_entries(client):
    """{path: lastmod} of every URL in every section of the index."""
    entries = {}
    for section_url in section_urls(client):
        assert section_url.startswith(ORIGIN)
        urlset = get_xml(client, section_url.removeprefix(ORIGIN))
        for url in urlset.findall("sm:url", NS):
            location = url.find("sm:loc", NS).text
            lastmod = url.find("sm:lastmod", NS)
            assert location.startswith(f"{ORIGIN}/")
            path = urlsplit(location).path
            assert path not in entries, f"{path} is listed twice"
            entries[path] = lastmod.text if lastmod is not None else None
    return entries


def published_paths():
    records = [
        *ArchiveYear.objects.published(),
        *Round.objects.published(),
        *Meeting.objects.published(),
        *Document.objects.published(),
        *Department.objects.published(),
        *Organisation.objects.published(),
        *Programme.objects.published(),
        *Postulate.objects.published(),
    ]
    text_versions = [
        version.get_absolute_url()
        for version in DocumentText.objects.filter(document__in=Document.objects.published())
        if version.document.file
    ]
    return {record.get_absolute_url() for record in records} | set(text_versions)


def test_index_lists_every_section_with_its_last_change(client, public_pages):
    index = get_xml(client, "/sitemap.xml")

    sitemaps = index.findall("sm:sitemap", NS)
    assert [urlsplit(s.find("sm:loc", NS).text).path for s in sitemaps] == [
        f"/sitemap-{section}.xml" for section in SITEMAP_SECTIONS
    ]
    for sitemap in sitemaps:
        lastmod = sitemap.find("sm:lastmod", NS)
        assert lastmod is not None
        datetime.datetime.fromisoformat(lastmod.text)


def test_sections_list_every_published_page_of_the_archive_with_lastmod(client, public_pages):
    entries = sitemap_entries(client)

    static_pages = {
        "/",
        "/spotkania/",
        "/wydzialy/",
        "/organizacje/",
        "/programy/",
        "/postulaty/",
        "/postulaty/zobowiazania/",
        "/deklaracja-dostepnosci/",
        "/kanaly-i-kalendarze/",
        "/rejestr-zmian/",
        "/statystyki/",
        "/statystyki/wydzialy/",
        "/statystyki/sfery/",
        "/statystyki/programy/",
    }
    polish = published_paths() | static_pages
    # Every page also in English (the same page under /en/, its interface translated).
    assert set(entries) == polish | {f"/en{path}" for path in polish}
    # Every page type the site tests walk, except filtered lists, search results and the 404.
    indexable = {
        url
        for name, url in public_pages.items()
        if "?" not in url
        and not url.startswith("/szukaj/")
        and name != "not-found"
        and name not in PRIVATE_PAGES
        # Documentation of the data, like /dane/ itself, is not an archive page.
        and name != "api-docs"
    }
    assert not {public_pages[name] for name in PRIVATE_PAGES} & set(entries)
    assert indexable <= set(entries)
    assert all(entries.values()), [path for path, lastmod in entries.items() if not lastmod]
    for path, lastmod in entries.items():
        datetime.date.fromisoformat(lastmod)
        assert client.get(path).status_code == 200, path


def test_drafts_and_scheduled_records_are_never_listed(client, public_pages):
    draft = MeetingFactory(title="Szkic spotkania", status=Status.DRAFT)
    scheduled = MeetingFactory(
        title="Zaplanowane", published_at=timezone.now() + datetime.timedelta(days=2)
    )
    under_draft = DocumentFactory(meeting=draft)
    draft_document = DocumentFactory(status=Status.DRAFT)

    entries = sitemap_entries(client)

    for record in (draft, scheduled, under_draft, draft_document):
        assert record.get_absolute_url() not in entries
    assert draft_document.meeting.get_absolute_url() in entries


def test_a_year_is_dated_by_its_latest_published_meeting(client, public_pages):
    later = timezone.now() + datetime.timedelta(days=30)
    meeting = Meeting.objects.published().filter(year=2025).first()
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=later)
    ArchiveYear.objects.filter(year=2025).update(updated_at=later - datetime.timedelta(days=60))
    # A draft's change does not count: the public page did not change.
    draft = MeetingFactory(status=Status.DRAFT, year=meeting.year)
    Meeting.objects.filter(pk=draft.pk).update(updated_at=later + datetime.timedelta(days=5))

    entries = sitemap_entries(client)

    assert entries["/2025/"] == timezone.localdate(later).isoformat()


def test_sections_are_paged_small_enough_to_cache_and_the_index_lists_every_page(
    client, public_pages, monkeypatch
):
    # Well under the protocol's 50,000: a page of 500 URLs with alternates is ~170 kB, which
    # the page cache keeps (MAX_CACHED_BYTES), and is written in tens of milliseconds.
    for sitemap in SITEMAP_SECTIONS.values():
        assert sitemap().limit == 500
    monkeypatch.setattr(MeetingSitemap, "limit", 10)
    # Each meeting in Polish and in English: 5 ids a page, from the lowest.
    ids = Meeting.objects.published().values_list("pk", flat=True)
    pages = (max(ids) - min(ids)) // 5 + 1

    listed = [urlsplit(url) for url in section_urls(client)]

    meeting_pages = [url for url in listed if url.path == "/sitemap-spotkania.xml"]
    assert len(meeting_pages) == pages > 1
    assert meeting_pages[1].query == "p=2"
    assert client.get(f"/sitemap-spotkania.xml?p={pages}").status_code == 200
    assert client.get(f"/sitemap-spotkania.xml?p={pages + 1}").status_code == 404


def test_a_section_is_paged_by_ranges_of_ids_so_no_page_counts_or_skips_the_others(
    client, monkeypatch
):
    monkeypatch.setattr(MeetingSitemap, "limit", 6)  # 3 meetings a page, in two languages
    meetings = [MeetingFactory() for _ in range(7)]
    drafts = [meetings[1].pk, meetings[2].pk]
    Meeting.objects.filter(pk__in=drafts).update(status=Status.DRAFT)
    # Pages hold the next 3 ids from the lowest: drafts thin a page instead of moving the
    # following meetings onto it.
    pages = (meetings[-1].pk - meetings[0].pk) // 3 + 1

    listed = [urlsplit(url) for url in section_urls(client)]

    assert [url.query for url in listed if url.path == "/sitemap-spotkania.xml"] == [
        "",
        *(f"p={page}" for page in range(2, pages + 1)),
    ]
    found = []
    for page in range(1, pages + 1):
        urlset = get_xml(client, f"/sitemap-spotkania.xml?p={page}")
        paths = [urlsplit(loc.text).path for loc in urlset.findall("sm:url/sm:loc", NS)]
        assert len(paths) <= 6
        found += paths
    public = [meeting for meeting in meetings if meeting.pk not in drafts]
    assert found == [
        path
        for meeting in public
        for path in (meeting.get_absolute_url(), f"/en{meeting.get_absolute_url()}")
    ]
    assert client.get(f"/sitemap-spotkania.xml?p={pages + 1}").status_code == 404


def test_the_index_costs_the_same_queries_however_many_records(client, django_assert_num_queries):
    for _ in range(3):
        DocumentFactory()
    with CaptureQueriesContext(connection) as few:
        client.get("/sitemap.xml")
    for _ in range(30):
        DocumentFactory()
    with django_assert_num_queries(len(few)):
        client.get("/sitemap.xml")


@pytest.mark.parametrize("debug", [False, True])
def test_sitemap_urls_use_the_sites_address_whatever_the_request_came_to(client, settings, debug):
    MeetingFactory()
    settings.DEBUG = debug
    settings.SITE_URL = "http://archiwum.example.pl:8080"
    settings.ALLOWED_HOSTS = ["archiwum.example.pl", "10.0.0.5"]

    section = client.get("/sitemap-spotkania.xml", HTTP_HOST="10.0.0.5", secure=True)
    index = client.get("/sitemap.xml", HTTP_HOST="10.0.0.5", secure=True)

    assert b"<loc>http://archiwum.example.pl:8080/2025/spotkania/" in section.content
    assert b"10.0.0.5" not in section.content
    assert b"<loc>http://archiwum.example.pl:8080/sitemap-" in index.content
    assert b"10.0.0.5" not in index.content


def test_a_section_costs_the_same_queries_however_many_records(
    client, django_assert_max_num_queries
):
    for _ in range(3):
        DocumentFactory()
    with django_assert_max_num_queries(3):
        client.get("/sitemap-dokumenty.xml")
    round_ = RoundFactory()
    for _ in range(30):
        DocumentFactory(meeting=None, round=round_)
    with django_assert_max_num_queries(3):
        assert client.get("/sitemap-dokumenty.xml").content.count(b"<url>") == 66


def test_text_versions_are_listed_dated_by_their_last_correction(client):
    document = DocumentFactory()
    document.file.save("notatka.rtf", ContentFile(rtf_bytes()))
    draft = DocumentFactory(status=Status.DRAFT)
    draft.file.save("szkic.rtf", ContentFile(rtf_bytes()))
    version = document.html_version
    DocumentText.objects.filter(pk=version.pk).update(
        updated_at=document.updated_at + datetime.timedelta(days=40)
    )

    urlset = get_xml(client, "/sitemap-wersje-tekstowe.xml")

    found = {
        urlsplit(url.find("sm:loc", NS).text).path: url.find("sm:lastmod", NS).text
        for url in urlset.findall("sm:url", NS)
    }
    day = timezone.localtime(document.updated_at + datetime.timedelta(days=40)).date()
    path = document.get_text_url()
    assert found == {path: day.isoformat(), f"/en{path}": day.isoformat()}


def test_each_entry_names_its_other_language_and_the_default(client):
    meeting = MeetingFactory()
    content = client.get("/sitemap-spotkania.xml").content.decode()
    path = meeting.get_absolute_url()
    for language, url in (("pl", path), ("en", f"/en{path}"), ("x-default", path)):
        assert (
            f'<xhtml:link rel="alternate" hreflang="{language}" href="https://testserver{url}"/>'
            in content
        ), language


def test_the_index_is_one_statement_and_a_section_page_two(
    client, public_pages, django_assert_num_queries
):
    # Every section's latest change and number of pages in one SELECT of subqueries.
    with django_assert_num_queries(1):
        index = client.get("/sitemap.xml")
    assert index.status_code == 200
    # Its latest change, lowest and highest id in one; its page of records in another.
    with django_assert_num_queries(2):
        assert client.get("/sitemap-spotkania.xml").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/sitemap-strony.xml").status_code == 200
