import datetime
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from meetings.models import Meeting
from pagecache import generation
from tests.admin_forms import form_data
from tests.conftest import PRIVATE_PAGES
from tests.factories import DepartmentFactory, MeetingFactory

pytestmark = pytest.mark.django_db

WARSAW = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SHARED = False
    settings.PAGE_CACHE_TOKEN_SECONDS = 0  # read the token on every request, as counted below
    from django.core.cache import cache

    cache.clear()
    generation.invalidate()
    return settings


@pytest.fixture
def meeting(django_capture_on_commit_callbacks):
    # Run the creation's invalidation now, as a real commit would.
    with django_capture_on_commit_callbacks(execute=True):
        return MeetingFactory(title="Spotkanie o lokalach dla organizacji")


def test_a_second_visit_is_served_from_the_cache_with_one_cheap_query(
    client, page_cache, meeting, django_assert_num_queries
):
    url = meeting.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    # The generation's token is one primary-key read; the page itself costs nothing.
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "pl"


def test_with_a_shared_cache_a_hit_runs_no_sql_at_all(
    client, page_cache, meeting, django_assert_num_queries
):
    page_cache.PAGE_CACHE_SHARED = True
    url = meeting.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_conditional_request_for_an_unchanged_page_is_a_304_without_rendering(
    client, page_cache, meeting, django_assert_num_queries
):
    url = meeting.get_absolute_url()
    etag = client.get(url)["ETag"]
    assert etag.startswith('W/"')
    from django.core.cache import cache

    cache.clear()  # not even the stored page is needed: the token decides
    page_cache.PAGE_CACHE_SHARED = False
    generation.invalidate()
    fresh_etag = client.get(url)["ETag"]
    with django_assert_num_queries(1):
        response = client.get(url, headers={"if-none-match": fresh_etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == fresh_etag
    # A stale ETag gets the page.
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize(
    ("address", "vary"),
    [
        ("meeting", "Accept-Language, Accept-Encoding"),
        ("/spotkania/?rok=2025", "Accept-Language, Accept-Encoding"),
        ("/en/spotkania/", "Accept-Encoding"),  # the language is in the address
        ("/api/v1/spotkania/", "Accept-Encoding"),  # in one language whatever the reader's
        ("/dane/katalog.rdf", "Accept-Encoding"),  # a data file, the same in every language
    ],
)
def test_a_304_carries_the_vary_of_the_page_it_stands_for(
    client, page_cache, meeting, address, vary
):
    url = meeting.get_absolute_url() if address == "meeting" else address
    page = client.get(url)
    assert page["Vary"] == vary
    not_modified = client.get(url, headers={"if-none-match": page["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified["Vary"] == vary
    # Whether or not this process remembers the page (another process rendered it).
    from django.core.cache import cache

    cache.clear()
    not_modified = client.get(url, headers={"if-none-match": page["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified["Vary"] == vary
    # And for If-None-Match: *, any current page.
    assert client.get(url, headers={"if-none-match": "*"})["Vary"] == vary


def test_public_pages_tell_shared_caches_to_revalidate(client, page_cache, meeting):
    response = client.get(meeting.get_absolute_url())
    assert set(response["Cache-Control"].split(", ")) == {"public", "no-cache"}
    page_cache.PAGE_CACHE_MAX_AGE = 120
    generation.invalidate()
    response = client.get(meeting.get_absolute_url())
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=0", "s-maxage=120"}


def test_every_page_type_is_cached_and_has_an_etag(client, page_cache, public_pages):
    for name, url in public_pages.items():
        if name == "not-found":
            continue
        client.get(url)
        response = client.get(url)
        assert response.status_code == 200, name
        if name in PRIVATE_PAGES:
            assert "X-Page-Cache" not in response, name
            assert "no-store" in response["Cache-Control"], name
            continue
        assert response["X-Page-Cache"] == "hit", name
        assert response.has_header("ETag"), name
        assert "Cookie" not in response.get("Vary", ""), name
        # The security headers are outside the cache: a hit carries them too.
        assert response.has_header("Content-Security-Policy"), name
        assert response["X-Frame-Options"] == "DENY", name


def test_an_editors_save_in_the_admin_is_visible_at_once(
    client, admin_client, page_cache, meeting, django_capture_on_commit_callbacks
):
    url = meeting.get_absolute_url()
    assert b"Spotkanie o lokalach" in client.get(url).content
    etag = client.get(url)["ETag"]

    change_url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(
        admin_client.get(change_url), "meeting_form", title="Spotkanie o lokalach – poprawione"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url, data)
    assert response.status_code == 302

    fresh = client.get(url, headers={"if-none-match": etag})
    assert fresh.status_code == 200
    assert fresh["X-Page-Cache"] == "miss"
    assert "Spotkanie o lokalach – poprawione" in fresh.content.decode()


def test_unpublishing_removes_the_page_from_the_cache(
    client, page_cache, meeting, django_capture_on_commit_callbacks
):
    url = meeting.get_absolute_url()
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        meeting.status = Status.DRAFT
        meeting.save()
    assert client.get(url).status_code == 404


def test_changes_that_bypass_model_signals_in_the_admin_still_invalidate(
    client, admin_client, page_cache, meeting, django_capture_on_commit_callbacks
):
    url = meeting.get_absolute_url()
    client.get(url)
    Meeting.objects.filter(pk=meeting.pk).update(title="Zmienione bez sygnału")
    assert b"Zmienione bez sygna" not in client.get(url).content  # nothing told the cache
    # (In a transaction of its own, as in production, where the request is not inside a test.)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        admin_client.post(reverse("admin:meetings_meeting_changelist"), {"action": "none"})
    assert "Zmienione bez sygnału" in client.get(url).content.decode()


def test_a_scheduled_publication_appears_on_time_without_anyone_saving(client, page_cache):
    now = timezone.now()
    MeetingFactory(title="Opublikowane wcześniej")
    later = MeetingFactory(
        title="Zaplanowane spotkanie", published_at=now + datetime.timedelta(hours=2)
    )
    home = reverse("meetings:list")
    assert b"Zaplanowane spotkanie" not in client.get(home).content
    assert client.get(home)["X-Page-Cache"] == "hit"
    with time_machine.travel(later.published_at + datetime.timedelta(seconds=1), tick=False):
        response = client.get(home)
    assert response["X-Page-Cache"] == "miss"
    assert b"Zaplanowane spotkanie" in response.content


def test_a_generation_ends_at_local_midnight(page_cache):
    evening = datetime.datetime(2026, 11, 30, 23, 59, tzinfo=WARSAW)
    with time_machine.travel(evening, tick=False):
        before = generation.current_generation()
        assert before.valid_until == datetime.datetime(2026, 12, 1, tzinfo=WARSAW)
    with time_machine.travel(evening + datetime.timedelta(minutes=2), tick=False):
        after = generation.current_generation()
    assert after.token != before.token


def test_editors_and_previews_are_never_served_from_the_cache(
    client, admin_client, page_cache, meeting
):
    url = meeting.get_absolute_url()
    client.get(url)
    response = admin_client.get(url)
    assert not response.has_header("X-Page-Cache")
    draft = MeetingFactory(title="Szkic spotkania", status=Status.DRAFT)
    preview = admin_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert preview["Cache-Control"] == "private, no-store"
    # The anonymous visitor never gets the preview, cached or not.
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_errors_and_redirects_are_not_cached(client, page_cache):
    client.get("/nie-ma-takiej-strony/")
    assert not client.get("/nie-ma-takiej-strony/").has_header("X-Page-Cache")


def test_with_the_database_down_cached_pages_are_still_served(
    client, page_cache, meeting, monkeypatch
):
    url = meeting.get_absolute_url()
    client.get(url)
    from django.db import OperationalError

    def down(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(generation.DatabaseStore, "read", down)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_pages_are_kept_compressed_for_clients_that_accept_it(client, page_cache, meeting):
    import gzip

    url = meeting.get_absolute_url()
    plain = client.get(url)
    client.get(url, headers={"accept-encoding": "gzip"})
    compressed = client.get(url, headers={"accept-encoding": "gzip"})
    assert compressed["X-Page-Cache"] == "hit"
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    again_plain = client.get(url)
    assert again_plain["X-Page-Cache"] == "hit"
    assert not again_plain.has_header("Content-Encoding")
    assert again_plain.content == plain.content


def test_within_a_second_a_hit_reads_nothing_and_a_save_elsewhere_shows_after_it(
    client, page_cache, meeting, monkeypatch, django_assert_num_queries
):
    page_cache.PAGE_CACHE_TOKEN_SECONDS = 1
    clock = [1000.0]
    monkeypatch.setattr(generation.time, "monotonic", lambda: clock[0])
    url = meeting.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"

    # Another app server's save: the shared token changes behind this process's back.
    Meeting.objects.filter(pk=meeting.pk).update(title="Zmienione na innym serwerze")
    generation.DatabaseStore().replace_token("nowy-token")
    assert client.get(url)["X-Page-Cache"] == "hit"  # still within the second
    clock[0] += 1.5
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Zmienione na innym serwerze" in fresh.content.decode()


def test_a_save_in_this_process_is_seen_at_once_even_within_the_second(
    client, page_cache, meeting, monkeypatch, django_capture_on_commit_callbacks
):
    page_cache.PAGE_CACHE_TOKEN_SECONDS = 1
    monkeypatch.setattr(generation.time, "monotonic", lambda: 1000.0)
    url = meeting.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        meeting.title = "Poprawione tutaj"
        meeting.save()
    assert "Poprawione tutaj" in client.get(url).content.decode()


def test_a_reader_working_out_the_end_never_undoes_a_save_made_meanwhile(page_cache, monkeypatch):
    """A reader reads the token, then computes when the clock ends it; a save on another server
    replaces the token in between. The save must win."""
    store = generation.DatabaseStore()
    store.replace_token("przed-zapisem")
    real_end_of = generation._end_of

    def end_of_with_a_save_meanwhile(now):
        store.replace_token("po-zapisie")  # another server's save, during the computation
        return real_end_of(now)

    monkeypatch.setattr(generation, "_end_of", end_of_with_a_save_meanwhile)
    first = generation.current_generation()
    assert first.token.startswith("przed-zapisem.")
    monkeypatch.setattr(generation, "_end_of", real_end_of)
    assert generation.current_generation().token.startswith("po-zapisie.")


def test_with_redis_too_a_reader_never_undoes_a_save_made_meanwhile(page_cache, monkeypatch):
    page_cache.PAGE_CACHE_SHARED = True
    store = generation.CacheStore()
    store.replace_token("przed-zapisem")
    real_end_of = generation._end_of

    def end_of_with_a_save_meanwhile(now):
        store.replace_token("po-zapisie")
        return real_end_of(now)

    monkeypatch.setattr(generation, "_end_of", end_of_with_a_save_meanwhile)
    generation.current_generation()
    monkeypatch.setattr(generation, "_end_of", real_end_of)
    assert generation.current_generation().token.startswith("po-zapisie.")


def test_a_failed_login_does_not_empty_the_cache(
    client, page_cache, meeting, django_capture_on_commit_callbacks
):
    url = meeting.get_absolute_url()
    client.get(url)
    bot = type(client)()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        bot.post(reverse("admin:login"), {"username": "admin", "password": "zgadywane"})
    assert client.get(url)["X-Page-Cache"] == "hit"


# --- What a visitor can add to a URL cannot fill the cache ------------------------------------


def stored_pages():
    """The pages in this process's cache (the tests' LocMemCache), whatever their URL."""
    from django.core.cache import cache

    return [key for key in cache._cache if "pagecache:page:" in key]


def test_made_up_query_parameters_never_create_cache_entries(client, page_cache, meeting):
    url = meeting.get_absolute_url()
    for number in [*range(50), 0, 1]:  # the last two again: still not stored
        response = client.get(url, {"utm_source": number})
        assert response.status_code == 200
        assert "Spotkanie o lokalach dla organizacji" in response.content.decode()
        assert response["X-Page-Cache"] == "miss"
    assert stored_pages() == []
    # Still a public page that a CDN revalidates cheaply.
    etag = response["ETag"]
    assert client.get(url, {"utm_source": 1}, headers={"if-none-match": etag}).status_code == 304
    # Added to a real filter, an unknown parameter is not stored either.
    client.get("/spotkania/", {"rok": 2025, "fbclid": "abc"})
    assert stored_pages() == []
    # The page itself is cached as before: one entry, then hits.
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert len(stored_pages()) == 1


def test_pages_with_real_filters_are_cached_and_each_keeps_its_own_content(
    client, page_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        culture = DepartmentFactory(name="Wydział Kultury")
        sport = DepartmentFactory(name="Wydział Sportu")
        MeetingFactory(title="Spotkanie o teatrach", departments=[culture])
        MeetingFactory(title="Spotkanie o boiskach", departments=[sport])
    for slug, shown, hidden in [
        (culture.slug, "Spotkanie o teatrach", "Spotkanie o boiskach"),
        (sport.slug, "Spotkanie o boiskach", "Spotkanie o teatrach"),
    ]:
        first = client.get("/spotkania/", {"rok": 2025, "wydzial": slug})
        again = client.get("/spotkania/", {"rok": 2025, "wydzial": slug})
        assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit"), slug
        for response in (first, again):
            assertContains(response, shown)
            assertNotContains(response, hidden)
    # So are search results and page numbers.
    client.get("/szukaj/", {"q": "teatrach"})
    assert client.get("/szukaj/", {"q": "teatrach"})["X-Page-Cache"] == "hit"
    client.get("/spotkania/", {"page": 1})
    assert client.get("/spotkania/", {"page": 1})["X-Page-Cache"] == "hit"


def test_made_up_values_of_real_parameters_take_a_bounded_share(
    client, page_cache, meeting, monkeypatch
):
    from pagecache import middleware

    monkeypatch.setattr(middleware, "MAX_QUERY_VARIANTS", 5)
    for number in range(1, 21):
        response = client.get("/spotkania/", {"page": number})
        assert response.status_code == 200
        assert "Spotkanie o lokalach dla organizacji" in response.content.decode()
    assert len(stored_pages()) == 5
    # The first five are served from the cache, the others rendered each time.
    assert client.get("/spotkania/", {"page": 1})["X-Page-Cache"] == "hit"
    assert client.get("/spotkania/", {"page": 20})["X-Page-Cache"] == "miss"
    # Pages without a query string are always stored.
    assert client.get("/spotkania/")["X-Page-Cache"] == "miss"
    assert client.get("/spotkania/")["X-Page-Cache"] == "hit"


class _QueryNames(HTMLParser):
    """Names of query parameters a page links to or its GET forms submit."""

    def __init__(self):
        super().__init__()
        self.names, self._in_get_form = set(), False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = attrs.get("method", "get").lower() == "get"
        elif tag in ("input", "select") and self._in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])
        href = attrs.get("href") or ""
        if tag == "a" and href.startswith("/") and "?" in href:
            self.names.update(parse_qs(urlsplit(href).query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def test_every_parameter_the_site_itself_uses_is_one_the_cache_keeps(
    client, public_pages, settings
):
    from django.utils.module_loading import import_string

    known = import_string(settings.PAGE_CACHE_QUERY_PARAMETERS)
    pages = [*public_pages.values(), "/spotkania/?page=2", "/postulaty/", "/sitemap.xml"]
    for url in pages:
        parser = _QueryNames()
        parser.feed(client.get(url).content.decode())
        assert parser.names <= known, (url, parser.names - known)


# Transactional, so each save commits and invalidates as in production (inside a test's
# transaction the first pending invalidation stands for every later one).
@pytest.mark.django_db(transaction=True)
def test_a_change_signed_with_a_new_public_name_shows_on_cached_record_cards_at_once(
    client, page_cache, django_user_model
):
    import reversion

    from history.models import StaffName

    staff = django_user_model.objects.create_user("redaktorka", is_staff=True)
    meeting = MeetingFactory(title="Spotkanie o lokalach dla organizacji")
    with reversion.create_revision():
        reversion.set_user(staff)
        meeting.save()
    url = meeting.get_absolute_url()
    assert b"Anna Nowak" not in client.get(url).content
    assert client.get(url)["X-Page-Cache"] == "hit"
    # Committed at once (no test transaction around it), as the admin's save would be. What
    # was entered before keeps the signature it was written with.
    StaffName.objects.create(user=staff, name="Anna Nowak", role="inspektor")
    assert b"Anna Nowak" not in client.get(url).content
    with reversion.create_revision():
        reversion.set_user(staff)
        meeting.title = "Spotkanie o lokalach dla organizacji pozarządowych"
        meeting.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "wprowadził(a): Anna Nowak, inspektor" in response.content.decode()
