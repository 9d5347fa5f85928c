"""The draft canary sweep: every draft and every future-scheduled record of every model
carries a unique marker in each of its texts and names, and is linked from published
records in every way the model allows. Then the whole public site is crawled as a visitor
and a bot would: every page in both languages, every link on them, every sitemap, feed,
calendar, list export and the full ZIP, and the search. No marker may appear anywhere."""

import datetime
import io
import re
import zipfile
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import models
from django.utils import timezone

from core.publishing import Status
from departments.models import Department, DepartmentChange
from meetings.models import ArchiveYear, Document, Meeting, MeetingParticipant, Round
from organisations.models import Organisation
from postulates.models import Position, Postulate, PostulateLink
from programmes.models import Programme
from tests.factories import (
    ArchiveYearFactory,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    PositionFactory,
    PostulateFactory,
    ProgrammeFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db

CANARY = re.compile(r"kanarek\w*", re.IGNORECASE)
CRAWL_LIMIT = 2500
NOT_TEXT = {"slug", "status", "kind", "search_text", "file", "file_format"}


def hidden_states():
    return {
        "szkic": {"status": Status.DRAFT, "published_at": None},
        "plan": {
            "status": Status.PUBLISHED,
            "published_at": timezone.now() + datetime.timedelta(days=30),
        },
    }


def marked(model, marker, **values):
    """Values for every free text field of `model`, each carrying `marker`."""
    for field in model._meta.get_fields():
        if (
            isinstance(field, models.CharField | models.TextField)
            and field.editable
            and not field.choices
            and field.name not in NOT_TEXT
            and field.name not in values
        ):
            limit = field.max_length or 200
            values[field.name] = f"Kanarek{marker} {field.name}"[:limit]
    return values


@pytest.fixture
def canaries():
    """A published archive, and beside it each kind of hidden record linked from it."""
    year = ArchiveYearFactory(year=2025, intro="Wstęp roku")
    department = DepartmentFactory(name="Wydział Jawny")
    organisation = OrganisationFactory(name="Fundacja Jawna")
    programme = ProgrammeFactory(first_year=2026)
    round_ = RoundFactory(year=year, title="Cykl jawny", coordinator=department)
    meeting = MeetingFactory(
        year=year, title="Spotkanie jawne", departments=[department], round=round_
    )
    meeting.programme = programme
    meeting.save()
    postulate = PostulateFactory(meeting=meeting, organisation=organisation, programme=programme)
    PositionFactory(postulate=postulate, department=department)
    DocumentFactory(meeting=meeting, title="Podsumowanie jawne")

    for state, publication in hidden_states().items():
        tag = state.capitalize()
        hidden_year = ArchiveYearFactory(
            year=2040 if state == "szkic" else 2041,
            **marked(ArchiveYear, f"Rok{tag}"),
            **publication,
        )
        hidden_department = DepartmentFactory(**marked(Department, f"Wydzial{tag}"), **publication)
        DepartmentChange.objects.create(
            predecessor=department,
            successor=hidden_department,
            kind=DepartmentChange.Kind.RENAME,
            note=f"Kanarek zmiana {tag}",
        )
        hidden_organisation = OrganisationFactory(
            **marked(Organisation, f"Organizacja{tag}"), **publication
        )
        hidden_programme = ProgrammeFactory(
            first_year=2050 if state == "szkic" else 2051,
            **marked(Programme, f"Program{tag}"),
            **publication,
        )
        hidden_round = RoundFactory(year=year, **marked(Round, f"Cykl{tag}"), **publication)
        round_of_hidden_year = RoundFactory(
            year=hidden_year, **marked(Round, f"CyklRoku{tag}"), status=Status.PUBLISHED
        )
        # Published records pointing at the hidden ones in every way the models allow.
        MeetingFactory(
            year=year,
            title=f"Spotkanie w cyklu ukrytym {tag}",
            departments=[department, hidden_department],
            round=hidden_round,
            programme=hidden_programme,
        )
        MeetingFactory(year=year, title=f"Spotkanie w cyklu roku {tag}", round=round_of_hidden_year)
        RoundFactory(
            year=year,
            title=f"Cykl z ukrytym koordynatorem {tag}",
            coordinator=hidden_department,
            programme=hidden_programme,
        )
        MeetingParticipant.objects.create(meeting=meeting, organisation=hidden_organisation)
        hidden_meeting = MeetingFactory(
            year=year, **marked(Meeting, f"Spotkanie{tag}"), **publication
        )
        MeetingFactory(year=hidden_year, **marked(Meeting, f"SpotkanieRoku{tag}"))
        under_hidden_meeting = DocumentFactory(
            meeting=hidden_meeting, **marked(Document, f"DokumentSpotkania{tag}")
        )
        PostulateFactory(meeting=hidden_meeting, **marked(Postulate, f"PostulatSpotkania{tag}"))
        hidden_document = DocumentFactory(
            meeting=meeting, **marked(Document, f"Dokument{tag}"), **publication
        )
        hidden_postulate = PostulateFactory(
            meeting=meeting, **marked(Postulate, f"Postulat{tag}"), **publication
        )
        PositionFactory(postulate=hidden_postulate, **marked(Position, f"OdpowiedzUkrytego{tag}"))
        pointing = PostulateFactory(
            meeting=meeting,
            content=f"Postulat jawny wskazujący {tag}",
            organisation=hidden_organisation,
            responsible_department=hidden_department,
            programme=hidden_programme,
            source_document=hidden_document,
        )
        PositionFactory(
            postulate=pointing,
            department=hidden_department,
            document=hidden_document,
            justification=f"Odpowiedź jawna {tag}",
        )
        PositionFactory(postulate=postulate, **marked(Position, f"Odpowiedz{tag}"), **publication)
        PositionFactory(postulate=pointing, document=under_hidden_meeting)
        for target in (hidden_postulate, PostulateFactory(meeting=hidden_meeting, number=900)):
            PostulateLink.objects.create(
                from_postulate=pointing,
                to_postulate=target,
                kind=PostulateLink.Kind.CONTINUATION,
                note=f"Kanarek powiązanie {tag}",
            )
    return {"department": department, "organisation": organisation}


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def texts_of(url, content_type, body):
    """Every text a response carries (each member of a ZIP)."""
    if content_type.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return {f"{url}!{name}": archive.read(name) for name in archive.namelist()}
    return {url: body}


LINK = re.compile(rb"""(?:href|src)=["']([^"']+)["']|<loc>([^<]+)</loc>""")


def links_in(body):
    found = set()
    for match in LINK.finditer(body):
        raw = (match.group(1) or match.group(2)).decode().replace("&amp;", "&")
        parts = urlsplit(raw)
        if parts.netloc and parts.netloc not in ("testserver", "localhost"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith("//"):
            found.add(path)
    return found


def skipped(path):
    return path.startswith(("/static/", f"/{settings.ADMIN_URL}", "/media/"))


def test_no_hidden_record_shows_anywhere(client, canaries):
    start = [
        "/",
        "/en/",
        "/sitemap.xml",
        "/robots.txt",
        "/dane/",
        "/dane/archiwum.zip",
        "/kanaly/nowe.atom",
        "/kanaly/spotkania.ics",
        "/postulaty/",
        "/spotkania/",
        "/wydzialy/",
        "/organizacje/",
        "/programy/",
        "/statystyki/",
        "/2025/",
    ]
    seen, queue, leaks = set(start), deque(start), []
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            following = [response["Location"]]
        else:
            body = body_of(response)
            for where, text in texts_of(url, response.get("Content-Type", ""), body).items():
                found = CANARY.search(text.decode("utf-8", errors="replace"))
                if found:
                    leaks.append((where, found.group()))
            following = links_in(body)
        for link in following:
            if link not in seen and not skipped(link):
                seen.add(link)
                queue.append(link)
    assert not leaks, leaks[:20]
    assert len(seen) > 100  # the crawl reached the archive, not just the home page
    assert len(seen) < CRAWL_LIMIT, "the crawl stopped at its limit; raise it"


def test_searching_for_a_hidden_record_finds_nothing(client, canaries):
    for marker in ("kanarek", "kanarekwydzial", "kanarekorganizacja", "kanarekdokument"):
        for language in ("", "/en"):
            response = client.get(f"{language}/szukaj/", {"q": marker})
            assert response.status_code == 200
            assert response.context["hits"] == [], (language, marker)
            assert all(count == 0 for _kind, count, _capped in response.context["counts"])


def test_the_api_shows_no_hidden_record(client, canaries):
    """Every page of every API list, every record by its id, and the OpenAPI document: no
    marker; and every hidden record's id answers 404 (the API names no draft, even by id)."""
    from api.resources import RESOURCES

    leaks, visited = [], 0
    for resource in RESOURCES:
        address = f"/api/v1/{resource.name}/?limit=7"
        listed = []
        while address:
            response = client.get(address)
            assert response.status_code == 200, address
            visited += 1
            found = CANARY.search(response.content.decode())
            if found:
                leaks.append((address, found.group()))
            body = response.json()
            listed += [record.get("id", record.get("rok")) for record in body["dane"]]
            address = body["nastepna"]
        for key in listed:
            response = client.get(f"/api/v1/{resource.name}/{key}/")
            found = CANARY.search(response.content.decode())
            if found:
                leaks.append((key, found.group()))
        model = resource.file.queryset(None).model
        if not hasattr(model.objects, "published"):
            continue  # vocabularies and links, always public; the links' ends are checked above
        public = set(model.objects.published().values_list("pk", flat=True))
        assert set(listed) == public, resource.name
        for hidden in model.objects.exclude(pk__in=public).values_list("pk", flat=True):
            assert client.get(f"/api/v1/{resource.name}/{hidden}/").status_code == 404, (
                resource.name,
                hidden,
            )
    openapi = client.get("/api/v1/openapi.json").content.decode()
    assert not CANARY.search(openapi)
    assert not leaks, leaks[:20]
    assert visited > len(RESOURCES)
