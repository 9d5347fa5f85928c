"""The interface in Polish (default, unprefixed addresses) and English (/en/...); the archive's
content stays Polish in both."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

# An English string of each page type's interface (a heading, a label or a message).
ENGLISH = {
    "home": "Materials from meetings with non-governmental organisations",
    "year": "Meetings with non-governmental organisations in 2025",
    "meeting": "Other meetings of this round",
    "round": "Meetings of the round",
    "document": "Kind of document",
    "department-list": "City departments and units",
    "department": "Meetings with organisations",
    "organisation-list": "Organisations that took part in meetings",
    "organisation": "Participation in meetings",
    "programme-list": "Programmes of cooperation with non-governmental organisations",
    "programme": "Meetings preparing the programme",
    "postulate-list": "<h1>Non-governmental organisations' postulates</h1>",
    "postulate": "<h2>The City's position</h2>",
    "commitment-list": "<h1>The city's commitments on postulates</h1>",
    "accessibility": "Feedback and contact information",
    "meeting-list": "Show meetings",
    "search": "Search the archive",
    "statistics": "Outcomes of postulates by year",
    "statistics-breakdown": "<h1>Statistics of postulates by department</h1>",
    "subscriptions": "<h1>Feeds and calendars</h1>",
    "api-docs": "<h1>Archive API</h1>",
    "change-register": "<h1>Change register</h1>",
    "email-alerts": "<h1>Email me about this</h1>",
    "not-found": "Page not found",
}


def expected_status(name):
    return 404 if name == "not-found" else 200


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def switch_link(html):
    match = re.search(
        r'<p class="language-switch"><a href="([^"]+)" lang="(\w+)" hreflang="\w+">', html
    )
    return match.group(1), match.group(2)


def test_every_page_type_answers_in_english_under_en(client, public_pages):
    assert set(ENGLISH) == set(public_pages)
    for name, url in public_pages.items():
        response = client.get(f"/en{url}")
        assert response.status_code == expected_status(name), url
        html = response.content.decode()
        assert '<html lang="en">' in html, name
        assert ENGLISH[name] in html, name
        assert '<meta property="og:locale" content="en_GB">' in html, name


def test_polish_pages_are_unchanged_at_their_addresses(client, public_pages):
    for name, url in public_pages.items():
        response = client.get(url)
        assert response.status_code == expected_status(name), url
        html = response.content.decode()
        assert '<html lang="pl">' in html, name
        assert '<meta property="og:locale" content="pl_PL">' in html, name
        assert "Przejdź do treści" in html, name


def test_every_page_has_absolute_hreflang_alternates(client, public_pages):
    for url in public_pages.values():
        for page_url in (url, f"/en{url}"):
            html = client.get(page_url).content.decode()
            links = alternates(html)
            # Like the canonical link, the alternates name the page without its query string.
            path = url.split("?")[0]
            assert links == {
                "pl": f"https://testserver{path}",
                "en": f"https://testserver/en{path}",
                "x-default": f"https://testserver{path}",
            }, page_url


def test_the_canonical_link_is_the_pages_own_language(client, public_pages):
    url = public_pages["meeting"]
    assert (
        f'<link rel="canonical" href="https://testserver{url}">' in client.get(url).content.decode()
    )
    english = client.get(f"/en{url}").content.decode()
    assert f'<link rel="canonical" href="https://testserver/en{url}">' in english


def test_the_switch_leads_to_the_same_page_in_the_other_language(client, public_pages):
    for name, url in public_pages.items():
        escaped = url.replace("&", "&amp;")
        assert switch_link(client.get(url).content.decode()) == (f"/en{escaped}", "en"), name
        assert switch_link(client.get(f"/en{url}").content.decode()) == (escaped, "pl"), name


def test_the_switch_keeps_the_query_string(client, public_pages):
    html = client.get("/en/spotkania/?rok=2025&wydzial=wydzial-kultury&page=1").content.decode()
    assert switch_link(html) == (
        "/spotkania/?rok=2025&amp;wydzial=wydzial-kultury&amp;page=1",
        "pl",
    )
    assert 'lang="pl" hreflang="pl">Polski</a>' in html
    polish = client.get("/szukaj/?q=srodowisko").content.decode()
    assert 'href="/en/szukaj/?q=srodowisko" lang="en" hreflang="en">English</a>' in polish


def test_links_inside_english_pages_stay_in_english(client, public_pages):
    html = client.get(f"/en{public_pages['meeting']}").content.decode()
    assert '<a href="/en/2025/">Year 2025</a>' in html
    assert '<a href="/en/deklaracja-dostepnosci/">Accessibility statement</a>' in html
    # Feeds and calendars have one address whatever the language.
    assert 'href="/kanaly/nowe.atom"' in html


def test_content_stays_polish_and_dates_are_english(client, public_pages):
    html = client.get(f"/en{public_pages['meeting']}").content.decode()
    assert "Spotkanie w „Centrum Obywatelskim - ul. Reymonta 20”" in html
    assert '<time datetime="2025-06-16">16 June 2025</time>' in html
    polish = client.get(public_pages["meeting"]).content.decode()
    assert '<time datetime="2025-06-16">16 czerwca 2025</time>' in polish


def render_count(template, count, language):
    with translation.override(language):
        return Template("{% load i18n %}" + template).render(Context({"n": count})).strip()


MEETINGS = "{% blocktranslate count counter=n %}{{ counter }} spotkanie{% plural %}{{ counter }} spotkań{% endblocktranslate %}"


@pytest.mark.parametrize(
    ("count", "polish", "english"),
    [
        (0, "0 spotkań", "0 meetings"),
        (1, "1 spotkanie", "1 meeting"),
        (2, "2 spotkania", "2 meetings"),
        (4, "4 spotkania", "4 meetings"),
        (5, "5 spotkań", "5 meetings"),
        (12, "12 spotkań", "12 meetings"),
        (22, "22 spotkania", "22 meetings"),
        (25, "25 spotkań", "25 meetings"),
    ],
)
def test_plurals(count, polish, english):
    assert render_count(MEETINGS, count, "pl") == polish
    assert render_count(MEETINGS, count, "en") == english


def test_plural_counts_on_pages(client):
    MeetingFactory()
    assert "1 spotkanie</span>" in client.get("/spotkania/").content.decode()
    assert "1 meeting</span>" in client.get("/en/spotkania/").content.decode()
    MeetingFactory.create_batch(4)
    assert "5 spotkań</span>" in client.get("/spotkania/").content.decode()
    assert "5 meetings</span>" in client.get("/en/spotkania/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap.xml",
        "/robots.txt",
        "/kanaly/nowe.atom",
        "/kanaly/spotkania.ics",
        "/spotkania/eksport.csv",
        "/spotkania/eksport.json",
        "/postulaty/eksport.csv",
        "/postulaty/eksport.json",
        "/dane/archiwum.zip",
        "/dane/schema.json",
    ],
)
def test_files_and_machine_addresses_keep_their_urls(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert client.get(f"/en{url}").status_code == 404


def test_the_admin_keeps_its_address_and_stays_polish(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert 'lang="pl"' in response.content.decode()
    assert admin_client.get("/en/admin/").status_code == 404


def test_the_not_found_page_works_in_english(client):
    response = client.get("/en/nie-ma-takiej-strony/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Page not found</h1>" in html
    assert '<a href="/en/">Go to the archive\'s home page</a>' in html
    assert switch_link(html) == ("/nie-ma-takiej-strony/", "pl")


def test_the_open_data_page_is_translated_and_its_files_are_not(client):
    html = client.get("/en/dane/").content.decode()
    assert "<h1>Open data</h1>" in html
    assert 'href="/dane/archiwum.zip"' in html


def test_an_apostrophe_in_a_translated_title_is_escaped_once(client):
    page = client.get("/en/postulaty/").content.decode()
    assert "&amp;#x27;" not in page
    assert "<title>Non-governmental organisations' postulates –" in page
    assert 'og:title" content="Non-governmental organisations\' postulates"' in page


# Paths that would turn "the same page in the other language" into an off-site link: as sent
# over HTTP (the client decodes %2F and %5C into PATH_INFO, as WSGI servers do).
NASTY_PATHS = [
    "/%2Fevil.example/x",  # //evil.example/x
    "/%2Fevil.example/2025/",  # ends in a real page, which Django would translate
    "/en//evil.example/x",
    "/en//evil.example",
    "/en///evil.example",
    "/\\evil.example",
    "/en/\\evil.example/",
    "/en/%5C%5Cevil.example",
    "/%2F%2Fevil.example",
    "/en/%2F%2Fevil.example/x",
    "/en/%09/evil.example",
]
NASTY_QUERIES = [
    "/spotkania/?next=//evil.example",
    "/en/spotkania/?rok=2025&x=/\\evil.example",
    "/en/szukaj/?q=%2F%2Fevil.example",
    "/en/",
    "/",
]


def switch_hrefs(html):
    switch = re.search(r'<p class="language-switch">(.*?)</p>', html, re.DOTALL).group(1)
    return re.findall(r'href="([^"]*)"', switch)


@pytest.mark.parametrize("url", NASTY_PATHS + NASTY_QUERIES)
def test_the_switch_only_ever_links_within_the_site(client, url):
    response = client.get(url)
    assert response.status_code in (200, 400, 404)  # never a 500
    hrefs = switch_hrefs(response.content.decode())
    assert hrefs
    for href in hrefs:
        assert href.startswith("/"), href
        assert not href.startswith(("//", "/\\")), href
    # The hreflang alternates stay on this host too.
    for link in alternates(response.content.decode()).values():
        assert link.startswith("https://testserver/"), link


def test_where_the_path_would_leave_the_site_the_switch_leads_home(client):
    english_404 = client.get("/en//evil.example/x")
    assert english_404.status_code == 404
    assert switch_link(english_404.content.decode()) == ("/", "pl")
    polish_404 = client.get("/%2Fevil.example/2025/")
    assert polish_404.status_code == 404
    assert switch_link(polish_404.content.decode()) == ("/en/", "en")
    # An ordinary 404 still keeps its path in the other language.
    assert switch_link(client.get("/en/nie-ma/").content.decode()) == ("/nie-ma/", "pl")
