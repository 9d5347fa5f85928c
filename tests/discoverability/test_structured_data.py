"""What search engines read in every page's <head>: canonical URL, unique title and
description, Open Graph tags and schema.org JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from meetings.models import Meeting
from tests.factories import DepartmentFactory, MeetingFactory

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return [json.loads(block) for block in blocks]


def of_type(response, kind):
    return [data for data in json_ld(response) if data["@type"] == kind]


def head_value(html, pattern):
    match = re.search(pattern, html)
    return match.group(1) if match else None


def test_a_meeting_is_an_event_with_the_required_properties(client):
    meeting = MeetingFactory(
        title="Spotkanie w Wydziale Kultury",
        topic="Propozycje do programu współpracy.",
        place="ul. Reymonta 20",
        departments=[DepartmentFactory(name="Wydział Kultury")],
    )
    (event,) = of_type(client.get(meeting.get_absolute_url()), "Event")
    assert event["@context"] == "https://schema.org"
    assert event["name"] == "Spotkanie w Wydziale Kultury"
    assert event["startDate"] == "2025-06-10"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["@type"] == "Place"
    assert event["location"]["name"] == "ul. Reymonta 20"
    assert event["organizer"][0] == {
        "@type": "GovernmentOrganization",
        "name": "Wydział Kultury",
        "url": "https://testserver/wydzialy/wydzial-kultury/",
        "parentOrganization": {"@type": "GovernmentOrganization", "name": "Urząd Miasta Krakowa"},
        "address": {"@type": "PostalAddress", "addressLocality": "Kraków", "addressCountry": "PL"},
    }
    assert event["description"] == "Propozycje do programu współpracy."


def test_an_online_meeting_has_a_virtual_location_and_an_undated_one_no_event(client):
    online = MeetingFactory(title="Szkolenie", is_online=True)
    (event,) = of_type(client.get(online.get_absolute_url()), "Event")
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["location"]["@type"] == "VirtualLocation"
    undated = MeetingFactory(title="Spotkania bez daty", dates=[])
    assert of_type(client.get(undated.get_absolute_url()), "Event") == []


def test_a_department_is_a_government_organization(client):
    department = DepartmentFactory(name="Miejski Ośrodek Pomocy Społecznej", abbreviation="MOPS")
    (organization,) = of_type(client.get(department.get_absolute_url()), "GovernmentOrganization")
    assert organization["name"] == "Miejski Ośrodek Pomocy Społecznej"
    assert organization["alternateName"] == "MOPS"


def test_every_page_type_has_breadcrumbs_canonical_and_open_graph(client, public_pages):
    # Addresses for search engines are https whenever debug is off, as in production.
    for name, url in public_pages.items():
        if name in ("not-found", "home"):  # the home page is the root of every trail
            continue
        response = client.get(url)
        html = response.content.decode()
        (trail,) = of_type(response, "BreadcrumbList")
        positions = [item["position"] for item in trail["itemListElement"]]
        assert positions == list(range(1, len(positions) + 1)), name
        assert trail["itemListElement"][0]["item"] == "https://testserver/"
        canonical = head_value(html, r'<link rel="canonical" href="([^"]+)">')
        assert canonical == "https://testserver" + urlsplit(url).path, name
        assert head_value(html, r'<meta property="og:url" content="([^"]+)">') == canonical
        assert head_value(html, r'<meta property="og:title" content="([^"]+)">'), name
        assert head_value(html, r'<meta property="og:description" content="([^"]+)">'), name


def test_every_published_page_has_its_own_title_and_description(client):
    call_command("load_archive", verbosity=0)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for section in index.iter(f"{SITEMAP}loc"):
        sitemap = ET.fromstring(client.get(urlsplit(section.text).path).content)
        urls += [urlsplit(loc.text).path for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert len(urls) > Meeting.objects.count()
    titles, descriptions = Counter(), Counter()
    for url in urls:
        html = client.get(url).content.decode()
        titles[head_value(html, r"<title>(.*?)</title>")] += 1
        descriptions[head_value(html, r'<meta name="description" content="([^"]*)">')] += 1
    assert [title for title, count in titles.items() if count > 1] == []
    repeated = [text for text, count in descriptions.items() if count > 1]
    assert repeated == []


def test_the_open_data_page_is_a_dataset_with_its_downloads(client):
    (data,) = of_type(client.get("/dane/"), "Dataset")
    assert data["license"].startswith("https://creativecommons.org/licenses/by/4.0/")
    assert data["creator"]["name"] == "Gmina Miejska Kraków"
    urls = {item["contentUrl"] for item in data["distribution"]}
    assert "https://testserver/dane/archiwum.zip" in urls
    assert all(item["encodingFormat"] for item in data["distribution"])
