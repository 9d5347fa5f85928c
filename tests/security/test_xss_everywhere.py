"""Every text an editor can type, on every page and file the archive gives out, stays text.

Every model of the project's apps that the admin edits (directly or inline) gets, in every
editable CharField and TextField (slugs, choices, URLs and e-mails aside), a script and an
attribute break-out. Then the whole public site is crawled from the home page, the feeds,
calendars, sitemaps, exports and the search, in both languages, following every link, and
every response is checked for the payload in live form; the admin's lists, forms, history and
delete confirmations likewise.
"""

import contextlib
import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

import icalendar
import pytest
import reversion
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse

from history.models import StaffName
from krakow_ngo.sitemap_sections import SITEMAP_SECTIONS
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
    ProgrammeFactory,
    PublicTaskAreaFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
SHORT_PAYLOAD = "<script>alert(1)</script>"
# What must never reach a page in live form.
LIVE = re.compile(r"<script>alert\(1\)|<img src=x onerror", re.IGNORECASE)
PROJECT_APPS = {
    "accessibility",
    "departments",
    "editors",
    "history",
    "meetings",
    "organisations",
    "permalinks",
    "postulates",
    "programmes",
    "search",
    "opendata",
}
MAX_PAGES = 600


def admin_edited_models():
    """Models of the project's apps the admin edits, directly or as inlines."""
    found = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        found.add(model)
        for inline in model_admin.inlines:
            found.add(inline.model)
    return sorted(found, key=lambda model: model._meta.label)


def text_fields(model):
    for field in model._meta.get_fields():
        if (
            isinstance(field, (models.CharField, models.TextField))
            and field.concrete
            and field.editable
            and not field.choices
            and not isinstance(field, (models.SlugField, models.URLField, models.EmailField))
        ):
            yield field


def payload_for(field, obj):
    """The payload with the record's id (unique fields), shortened to fit the field."""
    for value in (f"{PAYLOAD} {obj.pk}", f"{SHORT_PAYLOAD} {obj.pk}", SHORT_PAYLOAD):
        if field.max_length is None or len(value) <= field.max_length:
            try:
                field.run_validators(value)
            except ValidationError:
                continue
            return value
    return None


@pytest.fixture
def world():
    """One published record of each kind, linked as on the real site, every editable text
    carrying the payload."""
    year = ArchiveYearFactory(year=2025, intro="Wstęp")
    old = DepartmentFactory(name="Wydział dawny")
    department = DepartmentFactory(name="Wydział", abbreviation="WD")
    DepartmentChangeFactory(predecessor=old, successor=department, year=2024, note="Opis")
    organisation = OrganisationFactory(name="Fundacja")
    programme = ProgrammeFactory(first_year=2026)
    round_ = RoundFactory(year=year, title="Cykl", programme=programme, coordinator=department)
    meeting = MeetingFactory(
        year=year,
        title="Spotkanie",
        departments=[department],
        round=round_,
        programme=programme,
        topic="Temat",
        place="Miejsce",
        editor_note="Uwaga",
    )
    meeting.participants.add(organisation)
    document = DocumentFactory(meeting=meeting, title="Podsumowanie", editor_note="Uwaga")
    round_document = DocumentFactory(meeting=None, round=round_, title="Stanowisko cyklu")
    area = PublicTaskAreaFactory(name="Sfera")
    outcome = OutcomeFactory(name="uwzględniony", description="Opis")
    postulate = PostulateFactory(
        meeting=meeting,
        content="Treść",
        organisation=organisation,
        area=area,
        responsible_department=department,
        programme=programme,
        source_document=document,
        editor_note="Uwaga",
    )
    PositionFactory(
        postulate=postulate,
        outcome=outcome,
        justification="Uzasadnienie",
        department=department,
        document=document,
    )
    PostulateFactory(meeting=None, round=round_, content="Postulat cyklu", organisation=None)
    # A staff account's public name, shown on the record cards of what it entered.
    staff = get_user_model().objects.create_user("redaktorka", is_staff=True)
    StaffName.objects.create(user=staff, name="Anna", role="inspektor")
    with reversion.create_revision():
        reversion.set_user(staff)
        meeting.save()

    changed = []
    for model in admin_edited_models():
        for obj in model._default_manager.all():
            fields = []
            for field in text_fields(model):
                value = payload_for(field, obj)
                if value is not None:
                    setattr(obj, field.attname, value)
                    fields.append(field.name)
            if fields:
                obj.save()
                changed.append(f"{model._meta.label}.{','.join(fields)}")
    for model in (type(meeting), type(document), type(postulate)):
        for obj in model._default_manager.all():
            if hasattr(obj, "refresh_search_text"):
                obj.refresh_search_text()
    return {
        "changed": changed,
        "year": year,
        "department": department,
        "organisation": organisation,
        "meeting": meeting,
        "document": document,
        "round_document": round_document,
        "postulate": postulate,
    }


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.links.append(value)


def local_path(link):
    parts = urlsplit(link)
    if parts.scheme not in ("", "http", "https") or (parts.netloc not in ("", "testserver")):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(("/static/", "/media/")):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if path.startswith(admin_prefix()) else path


def admin_prefix():
    return reverse("admin:index")


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def check_html_or_xml(url, text):
    match = LIVE.search(text)
    assert match is None, (
        f"{url}: live payload {text[max(0, match.start() - 200) : match.end() + 50]!r}"
    )


def check_atom(url, text):
    """Atom elements typed html are rendered as HTML by readers: their decoded text must be
    escaped markup, never a live tag."""
    check_html_or_xml(url, text)
    root = ElementTree.fromstring(text)
    for element in root.iter():
        if element.get("type") in ("html", "xhtml"):
            content = "".join(element.itertext())
            assert not LIVE.search(content), f"{url}: html-typed {element.tag} {content!r}"


def check_calendar(url, body):
    text = body.decode("utf-8")
    calendar = icalendar.Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    # A newline in a title or topic must not start a new event or property.
    assert len(events) == text.count("BEGIN:VEVENT\r\n"), url
    for event in events:
        for name in ("X-ALT-DESC",):
            if name in event:
                assert not LIVE.search(str(event[name])), url


def check_response(url, response, seen_payload):
    """Checks one response by its type; returns the paths it links to."""
    body = body_of(response)
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    assert response["X-Content-Type-Options"] == "nosniff", url
    path = url.split("?")[0]
    links = []
    if content_type == "text/html":
        text = body.decode("utf-8")
        check_html_or_xml(url, text)
        seen_payload.update({url} if "&lt;script&gt;alert(1)" in text else set())
        parser = Links()
        parser.feed(text)
        links = parser.links
    elif content_type in ("application/atom+xml", "application/xml", "text/xml"):
        text = body.decode("utf-8")
        if "<feed " in text[:500]:  # Atom, served as XML for its stylesheet (core.feeds)
            check_atom(url, text)
        else:
            check_html_or_xml(url, text)
            links = re.findall(r"<loc>([^<]+)</loc>", text) + re.findall(r'href="([^"]+)"', text)
    elif content_type == "text/calendar":
        check_calendar(url, body)
    elif content_type == "application/json":
        json.loads(body)  # data: the text is kept as it is, the type says it is not a page
        assert path.endswith(".json"), url
    elif content_type == "text/csv":
        list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    elif content_type == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(body))
        for name in archive.namelist():
            if name.endswith(".json"):
                json.loads(archive.read(name))
    elif content_type == "text/plain":
        pass  # robots.txt, the exports' explanations of bad filters: never rendered as HTML
    else:
        # A file download: must not be served as something a browser would render.
        assert content_type not in ("text/html", "image/svg+xml"), (url, content_type)
    return links


def seeds(world):
    department = world["department"].slug
    organisation = world["organisation"].slug
    reflected = {"wydzial": PAYLOAD, "rok": PAYLOAD, "sfera": PAYLOAD, "q": PAYLOAD}
    urls = [
        "/",
        "/en/",
        "/spotkania/",
        "/postulaty/",
        "/wydzialy/",
        "/organizacje/",
        "/programy/",
        "/dane/",
        "/deklaracja-dostepnosci/",
        "/en/deklaracja-dostepnosci/",
        "/kanaly/nowe.atom",
        "/kanaly/lata/2025.atom",
        f"/kanaly/wydzialy/{department}.atom",
        f"/kanaly/organizacje/{organisation}.atom",
        "/kanaly/spotkania.ics",
        f"/kanaly/wydzialy/{department}.ics",
        f"/kanaly/organizacje/{organisation}.ics",
        "/spotkania/eksport.csv",
        "/spotkania/eksport.json",
        "/postulaty/eksport.csv",
        "/postulaty/eksport.json",
        "/dane/archiwum.zip",
        "/dane/schema.json",
        "/sitemap.xml",
        *(f"/sitemap-{section}.xml" for section in SITEMAP_SECTIONS),
        "/robots.txt",
        world["document"].get_absolute_url(),
        world["round_document"].get_absolute_url(),
        world["postulate"].get_absolute_url(),
    ]
    for word in ("alert", "script", "onerror", "img", "Spotkanie", PAYLOAD, SHORT_PAYLOAD):
        urls += [f"/szukaj/?{urlencode({'q': word})}", f"/en/szukaj/?{urlencode({'q': word})}"]
    # Reflected input: invalid filter values come back in error messages and in the forms.
    for page in ("/spotkania/", "/postulaty/", "/szukaj/", "/en/spotkania/"):
        urls.append(f"{page}?{urlencode(reflected)}")
    for export in ("/spotkania/eksport.csv", "/postulaty/eksport.json"):
        urls.append(f"{export}?{urlencode(reflected)}")
    return urls


def crawl(client, start):
    queue, visited, seen_payload = list(start), {}, set()
    while queue:
        url = queue.pop(0)
        if url in visited:
            continue
        assert len(visited) < MAX_PAGES, "the crawl ran away"
        response = client.get(url)
        visited[url] = response.status_code
        assert response.status_code < 500, url
        if 300 <= response.status_code < 400:
            target = local_path(response["Location"])
            if target:
                queue.append(target)
            continue
        for link in check_response(url, response, seen_payload):
            path = local_path(link)
            if path and path not in visited:
                queue.append(path)
    return visited, seen_payload


def test_every_editable_text_of_every_model_got_the_payload(world):
    changed = " ".join(world["changed"])
    for expected in (
        "meetings.ArchiveYear.intro",
        "meetings.Meeting.prepared_by,title,topic,place,editor_note",
        "meetings.Round.prepared_by,title,description",
        "meetings.Document.prepared_by,title,editor_note",
        "departments.Department.name,abbreviation,editor_note",
        "departments.DepartmentChange.note",
        "organisations.Organisation.name,editor_note",
        "programmes.Programme.title,short_name",
        "postulates.Postulate.prepared_by,content,editor_note",
        "postulates.Position.prepared_by,justification",
        "postulates.PublicTaskArea.name,name_en",
        "postulates.Outcome.name,name_en,description",
        "accessibility.AccessibilityStatement.",
        "history.StaffName.name,role",
    ):
        assert expected in changed, (expected, world["changed"])


def test_no_public_page_feed_calendar_sitemap_or_export_renders_the_payload(client, world):
    visited, seen_payload = crawl(client, seeds(world))
    # The crawl reached every kind of page, and the payload was there to be escaped.
    for url in (
        world["meeting"].get_absolute_url(),
        world["document"].get_absolute_url(),
        world["postulate"].get_absolute_url(),
        world["department"].get_absolute_url(),
        world["organisation"].get_absolute_url(),
        "/2025/",
        "/en/spotkania/",
        "/programy/",
    ):
        assert visited.get(url) == 200, (url, visited.get(url))
    assert world["meeting"].get_absolute_url() in seen_payload
    assert any(url.startswith("/szukaj/?q=alert") for url in seen_payload)
    assert len(visited) > 60, len(visited)


def test_exports_keep_the_payload_as_data(client, world):
    """JSON and CSV carry the text exactly as typed (it is data, served as such)."""
    response = client.get("/spotkania/eksport.json")
    assert response["Content-Type"].startswith("application/json")
    records = json.loads(body_of(response))["dane"]
    assert any(record["tytul"].startswith(PAYLOAD) for record in records)
    response = client.get("/postulaty/eksport.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = csv.reader(io.StringIO(body_of(response).decode("utf-8-sig")), delimiter=";")
    assert any(cell.startswith(PAYLOAD) for row in rows for cell in row)


def admin_urls(model, obj):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    urls = []
    for suffix, args in (
        ("changelist", []),
        ("change", [obj.pk]),
        ("history", [obj.pk]),
        ("delete", [obj.pk]),
        ("recoverlist", []),
    ):
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(f"{name}_{suffix}", args=args))
    return urls


def test_the_admin_renders_the_payload_escaped(client, world, django_user_model):
    user = django_user_model.objects.create_superuser("redaktor", password="Archiwum-Krakow-2026!")
    client.force_login(user)
    checked = 0
    for model in admin_edited_models():
        if model not in admin.site._registry:
            continue  # an inline: checked on its parent's form
        obj = model._default_manager.first()
        if obj is None:
            continue
        for url in admin_urls(model, obj):
            response = client.get(url)
            if response.status_code == 403 and url.endswith(("/delete/", "/recover/")):
                continue  # e.g. the accessibility statement is never deleted
            assert response.status_code == 200, (url, response.status_code)
            text = response.content.decode("utf-8")
            check_html_or_xml(url, text)
            checked += 1
    # Changelist searches echo the query.
    for url in (
        reverse("admin:meetings_meeting_changelist") + "?" + urlencode({"q": PAYLOAD}),
        reverse("admin:postulates_postulate_changelist") + "?" + urlencode({"q": "alert"}),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        check_html_or_xml(url, response.content.decode("utf-8"))
    assert checked > 30, checked


FORMULAS = {
    '=HYPERLINK("http://zly.example","klik")': "HYPERLINK",
    "+1+cmd|' /C calc'!A0": "cmd|",
    "-2+3+cmd": "2+3+cmd",
    "@SUM(1+1)*cmd": "SUM(1+1)",
}


def planted_formula_cells(client, world):
    """Records starting with what a spreadsheet runs as a formula; the CSV cells holding them."""
    meeting = world["meeting"]
    for number, formula in enumerate(FORMULAS, start=100):
        PostulateFactory(meeting=meeting, number=number, content=formula)
    meeting.title = next(iter(FORMULAS))
    meeting.save()
    cells = []
    for url in ("/spotkania/eksport.csv", "/postulaty/eksport.csv"):
        text = body_of(client.get(url)).decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text), delimiter=";"):
            cells += [
                (url, cell) for cell in row if any(mark in cell for mark in FORMULAS.values())
            ]
    return cells


def test_the_csv_exports_carry_the_planted_formulas(client, world):
    assert len(planted_formula_cells(client, world)) >= 5


def test_csv_cells_never_start_a_formula(client, world):
    formulas = [
        (url, cell)
        for url, cell in planted_formula_cells(client, world)
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r")
    ]
    assert formulas == []
