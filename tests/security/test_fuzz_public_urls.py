"""Hostile input at every public address: no 5xx, ever, and every 4xx a readable page.

Hypothesis sends every page, feed, calendar, export, sitemap and the search the query
parameters they read (the filters of meetings/filters.py and postulates/filters.py, the search
form, pagination) and others, with hostile values: control characters and NUL, any non-surrogate
Unicode, very long strings, numbers far out of range, repeated parameters, broken percent
encoding. Path segments get the same, plus ../ and encoded variants. Then path traversal: a
document's download, the media and static addresses never give out a file they should not.
"""

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from krakow_ngo.sitemap_sections import SITEMAP_SECTIONS
from meetings.filters import MeetingFilter
from postulates.filters import PostulateFilter
from search.forms import SearchForm

pytestmark = pytest.mark.django_db


FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written into the repository (.hypothesis/)
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every parameter a public page reads, and a few it does not.
PARAMETERS = sorted(
    {
        *MeetingFilter.base_filters,
        *PostulateFilter.base_filters,
        *SearchForm.base_fields,
        "page",
        "strona",
        "p",  # sitemap sections' pagination
        "format",
        "language",
        "next",
    }
)

# Fixed addresses: lists, feeds, calendars, exports, the full export, sitemaps, robots.txt.
FIXED_URLS = [
    "/",
    "/spotkania/",
    "/postulaty/",
    "/wydzialy/",
    "/organizacje/",
    "/programy/",
    "/szukaj/",
    "/dane/",
    "/deklaracja-dostepnosci/",
    "/kanaly/nowe.atom",
    "/kanaly/lata/2025.atom",
    "/kanaly/wydzialy/wydzial-kultury.atom",
    "/kanaly/organizacje/koci-patrol.atom",
    "/kanaly/spotkania.ics",
    "/kanaly/wydzialy/wydzial-kultury.ics",
    "/kanaly/organizacje/koci-patrol.ics",
    "/spotkania/eksport.csv",
    "/spotkania/eksport.json",
    "/postulaty/eksport.csv",
    "/postulaty/eksport.json",
    "/dane/archiwum.zip",
    "/dane/schema.json",
    "/sitemap.xml",
    *(f"/sitemap-{section}.xml" for section in SITEMAP_SECTIONS),
    "/robots.txt",
]

# Addresses with a slug, a year or an id in them: {} is where hostile segments go.
PATH_TEMPLATES = [
    "/{}/",
    "/{}/spotkania/",
    "/2025/spotkania/{}/",
    "/2025/cykle/{}/",
    "/2025/spotkania/spotkanie-w-centrum-obywatelskim-ul-reymonta-20/dokumenty/{}/",
    "/2025/spotkania/spotkanie-w-centrum-obywatelskim-ul-reymonta-20/dokumenty/{}/pobierz/",
    "/2025/cykle/{}/dokumenty/{}/pobierz/",
    "/wydzialy/{}/",
    "/organizacje/{}/",
    "/programy/{}/",
    "/postulaty/{}/",
    "/kanaly/lata/{}.atom",
    "/kanaly/wydzialy/{}.atom",
    "/kanaly/organizacje/{}.atom",
    "/kanaly/wydzialy/{}.ics",
    "/kanaly/organizacje/{}.ics",
    "/sitemap-{}.xml",
    "/en/{}/",
    "/en/wydzialy/{}/",
    "/en/2025/spotkania/{}/",
    "/{}",
]

SPECIAL_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "inf",
    "2025.0",
    " 2025 ",
    "٢٠٢٥",  # Arabic-Indic digits: int() accepts them
    "２０２５",  # full-width digits
    "9" * 40,
    str(2**63),
    str(-(2**63) - 1),
    str(2**15),
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%00",
    "%2e%2e%2f",
    "'; DROP TABLE meetings_meeting; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "${7*7}",
    "wydzial-kultury\x00",
    "wydział-kultury",
    "ąęśćżźńłó",
    "\u202e\u200b\ufeff",
    "\U0001f600",
    "x" * 10_000,
    "ą" * 5_000,
]

hostile_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
hostile_values = st.one_of(
    hostile_text,
    st.sampled_from(SPECIAL_VALUES),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.builds(
        lambda char, size: char * size, st.sampled_from("aą0-/%.\x00"), st.integers(1, 20_000)
    ),
)
parameter_names = st.one_of(st.sampled_from(PARAMETERS), hostile_text.filter(bool))
query_pairs = st.lists(st.tuples(parameter_names, hostile_values), max_size=6)
# Hand-made query strings: broken percent encoding, invalid UTF-8, odd separators.
raw_queries = st.sampled_from(
    [
        "page=%FF",
        "q=%C0%AF",
        "rok=%",
        "wydzial=%E0%A4%A",
        "q=%ED%A0%80",  # an encoded surrogate
        "&&&",
        "=",
        "q",
        "q[]=1&q[]=2",
        "rok=2025&rok=2024&rok=abc",
        "page=1&page=2&page=-5",
        "q=a;rok=2025",
        "q=" + "%00" * 50,
        "q=" + "%41" * 5_000,
    ]
)

TRACEBACK = re.compile(
    r"Traceback \(most recent|Exception Value|File \"/|django\.db\.|psycopg", re.I
)
# What an error page says, in Polish or in English: the site's 404 page, a form's error list,
# the exports' plain-text explanation, Django's own short 400 page, the too-long-address page.
READABLE = re.compile(
    r"Nie znaleziono strony|Page not found|errorlist|field-error|Nie można przygotować eksportu"
    r"|The export cannot|Bad Request|Nieprawidłowe żądanie|Zapytanie|Wybierz poprawną|Select a valid"
    r"|Adres jest za długi|The address is too long",
    re.I,
)


def fetch(client, url):
    """The response to `url` with its whole body (streamed ones included): an exception while
    rendering or streaming is a 500 the visitor would get."""
    try:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    except Exception as error:  # any exception here is the bug being looked for
        pytest.fail(f"{url!r} raised {type(error).__name__}: {error}")
    return response, body


def check(client, url):
    response, body = fetch(client, url)
    status = response.status_code
    assert status < 500, f"{url!r} answered {status}"
    if 400 <= status < 500:
        content_type = response.get("Content-Type", "")
        assert content_type.startswith(("text/html", "text/plain")), (url, content_type)
        text = body.decode("utf-8")
        assert not TRACEBACK.search(text), f"{url!r}: {status} shows internals"
        assert READABLE.search(text), (
            f"{url!r}: {status} without a readable message: {text[:300]!r}"
        )
    return response, body


@pytest.fixture
def urls(public_pages):
    """The public_pages fixture's pages (the real archive) plus every fixed address."""
    return sorted({url.split("?")[0] for url in public_pages.values()} | set(FIXED_URLS))


@FUZZ
@given(data=st.data())
def test_hostile_query_parameters_never_break_a_page(client, urls, data):
    url = data.draw(st.sampled_from(urls), label="url")
    pairs = data.draw(query_pairs, label="parameters")
    if data.draw(st.booleans(), label="repeat"):
        pairs = pairs + pairs  # every parameter twice
    check(client, f"{url}?{urlencode(pairs)}")


@settings(FUZZ, max_examples=80)  # a small, fixed set of query strings
@given(data=st.data())
def test_broken_query_strings_never_break_a_page(client, urls, data):
    url = data.draw(st.sampled_from(urls), label="url")
    check(client, f"{url}?{data.draw(raw_queries, label='query')}")


# NUL in a path is test_nul_in_an_unknown_address_is_a_404's business (a known bug).
path_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40
)
path_segments = st.one_of(
    path_text.map(lambda text: quote(text, safe="")),
    path_text.map(lambda text: quote(text, safe="/.")),
    st.sampled_from(
        [
            "..",
            "../..",
            "%2e%2e",
            "%2E%2E%2F%2E%2E",
            "..%2f..%2fetc%2fpasswd",
            "%252e%252e",
            "....//....//",
            "%2Fetc%2Fpasswd",
            "//etc/passwd",
            "wydział-kultury",
            quote("wydział-kultury"),
            quote("łąka-ąę"),
            "9" * 30,
            "-1",
            "0",
            "a" * 5_000,
        ]
    ),
)


@settings(FUZZ, max_examples=40)  # each example visits every template
@example(segments=["..", ".."])
@example(segments=["%2e%2e", "%2e%2e"])
@example(segments=["9" * 30, "9" * 30])
@given(segments=st.lists(path_segments, min_size=2, max_size=2))
def test_hostile_path_segments_never_break_a_page(client, public_pages, segments):
    for template in PATH_TEMPLATES:
        check(client, template.format(*segments[: template.count("{}")]))


@pytest.mark.parametrize(
    "url",
    [
        "/%00/",
        "/wydzialy/wydzial-kultury%00/",
        "/2025/spotkania/a%00b/",
        "/kanaly/wydzialy/%00.atom",
    ],
)
def test_nul_in_an_unknown_address_is_a_404(client, url):
    response, _body = check(client, url)
    assert response.status_code == 404


# --- Path traversal ---------------------------------------------------------------------------

SECRET = "TAJNA-ZAWARTOSC-POZA-MEDIA"


@pytest.fixture
def stored_document(settings, tmp_path):
    """A published document with a real file in a temporary media folder, next to a secret
    file just outside that folder."""
    from django.core.files.base import ContentFile

    from tests.factories import DocumentFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "sekret.txt").write_text(SECRET)
    document = DocumentFactory(title="Podsumowanie do pobrania")
    document.file.save("podsumowanie.pdf", ContentFile(b"%PDF-1.4\nzawartosc dokumentu\n"))
    return document


def assert_nothing_leaks(client, url):
    response, body = check(client, url)
    assert response.status_code in (400, 404), (url, response.status_code)
    assert SECRET.encode() not in body
    assert b"SECRET_KEY" not in body
    assert b"root:x:0:0" not in body
    return response


def test_the_download_serves_the_document_itself(client, stored_document):
    response, body = check(client, stored_document.get_download_url())
    assert response.status_code == 200
    assert body == b"%PDF-1.4\nzawartosc dokumentu\n"


@pytest.mark.parametrize(
    "replacement",
    [
        "..",
        "../..",
        "%2e%2e",
        "%2e%2e%2f%2e%2e%2fsekret.txt",
        "..%2f..%2f..%2fsekret.txt",
        "%252e%252e%252fsekret.txt",
        "....%2f%2f",
        "%2Fetc%2Fpasswd",
        "%2F..%2F..%2Fsekret.txt",
        "..%5c..%5csekret.txt",
    ],
)
def test_traversal_in_a_download_address_is_refused(client, stored_document, replacement):
    url = stored_document.get_download_url()
    for part in (stored_document.slug, stored_document.meeting.slug):
        assert_nothing_leaks(client, url.replace(f"/{part}/", f"/{replacement}/", 1))


@pytest.mark.parametrize("stored_name", ["../sekret.txt", "../../../etc/passwd", "/etc/passwd"])
def test_a_stored_file_name_pointing_outside_media_is_never_served(
    client, stored_document, stored_name
):
    """Defence in depth: even a file name changed in the database does not leave the folder."""
    type(stored_document).objects.filter(pk=stored_document.pk).update(file=stored_name)
    assert_nothing_leaks(client, stored_document.get_download_url())


@pytest.mark.parametrize(
    "url",
    [
        "/media/../sekret.txt",
        "/media/%2e%2e/sekret.txt",
        "/media/..%2fsekret.txt",
        "/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/media//etc/passwd",
        "/media/%2Fetc%2Fpasswd",
        "/static/../krakow_ngo/settings.py",
        "/static/%2e%2e/krakow_ngo/settings.py",
        "/static/..%2f..%2fkrakow_ngo%2fsettings.py",
        "/static//etc/passwd",
        "/static/%2Fetc%2Fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/../krakow_ngo/settings.py",
        "/en/../../krakow_ngo/settings.py",
    ],
)
def test_traversal_in_media_and_static_addresses_is_refused(client, stored_document, url):
    assert_nothing_leaks(client, url)


def test_media_files_are_not_served_directly(client, stored_document):
    """Only the download view, which checks publication, gives out uploaded files."""
    assert_nothing_leaks(client, f"/media/{stored_document.file.name}")
