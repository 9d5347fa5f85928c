"""The record card ("metryczka") and change register ("rejestr zmian") of public pages, seen
from the outside: editors publish, correct, revise, withdraw and republish through the admin,
and a visitor reads on the public page when each thing really became public and what changed
since, never what only a draft held."""

import datetime
import json
import re

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from history.models import StaffName
from meetings.models import Document, Meeting
from postulates.models import Position
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

# A day after the builders' records became public (they are published a day before now), at
# local noon: the scenario's half hour never crosses midnight, so "one day" holds all of it.
T0 = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(
    hour=12, minute=0, second=0, microsecond=0
)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


def shown(moment):
    """How the card writes a moment: "2 marca 2026, 09:05", Polish time."""
    with translation.override("pl"):
        return dateformat.format(timezone.localtime(moment), "j E Y, H:i")


def save(client, record, minutes, **overrides):
    """Saves `record`'s admin form as a browser would, `minutes` after T0."""
    opts = record._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    with time_machine.travel(at(minutes), tick=False):
        response = client.post(
            url, form_data(client.get(url), f"{opts.model_name}_form", **overrides)
        )
    assert response.status_code == 302, response.context and response.context.get("errors")


def html_iso(moment):
    """A moment as the card's <time datetime> holds it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S%z")


def iso(moment):
    return timezone.localtime(moment).isoformat()


def page(client, record, minutes):
    return page_at(client, record.get_absolute_url(), minutes)


def page_at(client, url, minutes):
    client.logout()
    with time_machine.travel(at(minutes), tick=False):
        return client.get(url)


def card(response):
    html = response.content.decode()
    start = html.index('<section class="record-card"')
    return html[start : html.index("</section>", start)]


def register(response):
    """The register's entries as text, oldest first."""
    entries = re.findall(r"<li>(.*?)</li>", card(response), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", entry).split()) for entry in entries]


def record_data(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    found = [json.loads(b) for b in blocks]
    return [d for d in found if "datePublished" in d]


@pytest.fixture
def draft_meeting(world):
    """The culture department's meeting, made a draft with no history before T0."""
    with time_machine.travel(at(-1), tick=False):
        meeting = world["own"]["meeting"]
        Meeting.objects.filter(pk=meeting.pk).update(
            status=Status.DRAFT, published_at=None, created_at=timezone.now()
        )
    meeting.refresh_from_db()
    return meeting


def test_a_meetings_card_and_register_follow_what_the_public_saw(draft_meeting, login):
    client = login("kultura")
    StaffName.objects.create(user=_user("kultura"), name="Anna Nowak", role="inspektor")
    meeting = draft_meeting
    save(client, meeting, 0, title="Szkic roboczy: tajny tytuł")  # a draft's edit
    save(client, meeting, 5, title="Spotkanie kultury", status=Status.PUBLISHED, published_at="")
    save(client, meeting, 10, title="Spotkanie kultury (poprawione)")
    save(client, meeting, 15, status=Status.DRAFT)
    save(client, meeting, 20, title="Kolejny szkic: inny tajny tytuł")
    save(client, meeting, 25, title="Spotkanie kultury w maju", status=Status.PUBLISHED)

    response = page(client, meeting, 30)
    text = card(response)
    assert (
        f'Data udostępnienia</dt>\n    <dd><time datetime="{html_iso(at(5))}">{shown(at(5))}'
        in text
    )
    assert "Wprowadził(a)</dt>\n    <dd>Anna Nowak, inspektor" in text
    assert "kultura" not in text  # the login, never shown
    assert register(response) == [
        f"{shown(at(10))} – poprawiono treść (Tytuł) wprowadził(a): Anna Nowak, inspektor",
        f"{shown(at(15))} – wycofano z publikacji wprowadził(a): Anna Nowak, inspektor",
        f"{shown(at(25))} – opublikowano ponownie (Tytuł) wprowadził(a): Anna Nowak, inspektor",
    ]
    assertNotContains(response, "tajny tytuł")
    (data,) = record_data(response)
    assert data["datePublished"] == iso(at(5))
    assert data["dateModified"] == iso(at(25))
    assert data["publisher"][0]["name"] == "Wydział Kultury"
    assert data["author"][0]["name"] == "Wydział Kultury"
    assert data["dateCreated"] == iso(at(-1))
    assert data["contributor"] == {"@type": "Person", "name": "Anna Nowak", "jobTitle": "inspektor"}
    assert "creditText" not in data

    # Who prepared it, as the editor typed it: credited as text, not typed as a person.
    Meeting.objects.filter(pk=meeting.pk).update(prepared_by="Referat ds. NGO, Anna Nowak")
    (data,) = record_data(page(client, meeting, 31))
    assert data["creditText"] == "Referat ds. NGO, Anna Nowak"
    assert [author["@type"] for author in data["author"]] == ["GovernmentOrganization"]


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_draft_edits_before_publication_make_no_register_entry(draft_meeting, login):
    client = login("kultura")
    save(client, draft_meeting, 0, title="Pierwszy szkic")
    save(client, draft_meeting, 3, title="Drugi szkic", topic="Temat roboczy")
    save(client, draft_meeting, 6, title="Spotkanie kultury", status=Status.PUBLISHED)

    response = page(client, draft_meeting, 9)
    assert register(response) == []
    assertContains(response, "Bez zmian od udostępnienia.")
    assertNotContains(response, "Drugi szkic")


def test_a_scheduled_publication_shows_its_moment_not_the_save(draft_meeting, login):
    client = login("kultura")
    scheduled = timezone.localtime(at(60))
    save(
        client,
        draft_meeting,
        0,
        status=Status.PUBLISHED,
        published_at=scheduled.strftime("%Y-%m-%dT%H:%M"),
    )
    draft_meeting.refresh_from_db()
    assert draft_meeting.published_at == at(60)
    client.logout()
    with time_machine.travel(at(30), tick=False):
        assert client.get(draft_meeting.get_absolute_url()).status_code == 404

    response = page(client, draft_meeting, 90)
    assertContains(response, f'<time datetime="{html_iso(at(60))}">{shown(at(60))}</time>')
    assert record_data(response)[0]["datePublished"] == iso(at(60))
    assert register(response) == []


def test_a_backdated_publication_is_refused_and_the_card_shows_the_real_moment(
    draft_meeting, login
):
    client = login("kultura")
    url = reverse("admin:meetings_meeting_change", args=[draft_meeting.pk])
    with time_machine.travel(at(0), tick=False):
        data = form_data(
            client.get(url),
            "meeting_form",
            status=Status.PUBLISHED,
            published_at="2025-01-10T10:00",
        )
        refused = client.post(url, data)
    assertContains(refused, "Nie można opublikować z datą wsteczną")
    assert page(client, draft_meeting, 1).status_code == 404
    login("kultura")
    save(client, draft_meeting, 2, status=Status.PUBLISHED, published_at="")
    response = page(client, draft_meeting, 5)
    assert record_data(response)[0]["datePublished"] == iso(at(2))


def test_a_replaced_document_and_its_parents_withdrawal(world, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.files.builders import pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    client = login("kultura")
    document = world["own"]["document"]
    with time_machine.travel(at(-1), tick=False):
        Document.objects.filter(pk=document.pk).update(
            status=Status.DRAFT, published_at=None, created_at=timezone.now()
        )
    save(client, document, 0, status=Status.PUBLISHED)
    opts = document._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[document.pk])
    with time_machine.travel(at(10), tick=False):
        data = form_data(client.get(url), "document_form")
        data["file"] = SimpleUploadedFile("podsumowanie.pdf", pdf_bytes())
        assert client.post(url, data).status_code == 302
    meeting = world["own"]["meeting"]
    save(client, meeting, 20, status=Status.DRAFT)
    save(client, meeting, 30, status=Status.PUBLISHED)

    response = page(client, document, 40)
    entries = register(response)
    assert [entry.split(" – ", 1)[1].split(" wprowadził")[0] for entry in entries] == [
        "wymieniono plik dokumentu (Plik)",
        "wycofano z publikacji",
        "opublikowano ponownie",
    ]
    assert entries[0].startswith(shown(at(10)))
    assert entries[1].startswith(shown(at(20)))
    assert entries[2].startswith(shown(at(30)))
    assert record_data(response)[0]["@type"] == "DigitalDocument"


def test_a_revised_answer_is_in_its_postulates_register_with_its_earlier_version(world, login):
    client = login("kultura")
    position = world["own"]["position"]
    with time_machine.travel(at(-1), tick=False):
        Position.objects.filter(pk=position.pk).update(
            status=Status.DRAFT, published_at=None, created_at=timezone.now()
        )
    save(client, position, 0, status=Status.PUBLISHED)
    save(client, position, 10, justification="Odpowiedź zmieniona po analizie.")

    response = page(client, world["own"]["postulate"], 20)
    (entry,) = [e for e in register(response) if "stanowisko" in e.lower()][-1:]
    assert entry.startswith(f"{shown(at(10))} – Stanowisko: zmieniono stanowisko (Uzasadnienie)")
    assert "poprzednia wersja" in entry
    revision = position.revisions.get()
    assertContains(response, f'href="#position-version-{revision.pk}"')
    assertContains(response, f'id="position-version-{revision.pk}"')


def scenario(client, meeting):
    """Published at 5, corrected at 10, withdrawn at 15, a draft edit at 20, republished at 25."""
    save(client, meeting, 0, title="Szkic roboczy: tajny tytuł")
    save(client, meeting, 5, title="Spotkanie kultury", status=Status.PUBLISHED)
    save(client, meeting, 10, title="Spotkanie kultury (poprawione)")
    save(client, meeting, 15, status=Status.DRAFT)
    save(client, meeting, 20, title="Kolejny szkic: inny tajny tytuł")
    save(client, meeting, 25, title="Spotkanie kultury w maju", status=Status.PUBLISHED)


def register_url(**filters):
    from urllib.parse import urlencode

    return reverse("history:register") + ("?" + urlencode(filters) if filters else "")


def test_the_site_wide_register_lists_the_changes_of_a_period(draft_meeting, login):
    client = login("kultura")
    scenario(client, draft_meeting)
    day = timezone.localtime(at(0)).date().isoformat()
    response = page_at(client, register_url(od=day, do=day), 30)
    rows = re.findall(r"<tr>\s*<td>(.*?)</tr>", response.content.decode(), re.S)
    texts = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert texts == [
        f"{shown(at(25))} Spotkanie: Spotkanie kultury w maju opublikowano ponownie (Tytuł) "
        "redakcja wydziału",
        # Each row names the record as the public saw it at that change.
        f"{shown(at(15))} Spotkanie: Spotkanie kultury (poprawione) wycofano z publikacji "
        "redakcja wydziału",
        f"{shown(at(10))} Spotkanie: Spotkanie kultury (poprawione) poprawiono treść (Tytuł) "
        "redakcja wydziału",
    ]
    assertNotContains(response, "tajny tytuł")
    assertContains(response, f'href="{draft_meeting.get_absolute_url()}"')


def test_the_register_filters_by_department_and_period(draft_meeting, login, world):
    client = login("kultura")
    scenario(client, draft_meeting)
    day = timezone.localtime(at(0)).date()
    culture = page_at(client, register_url(od=day, do=day, wydzial=world["culture"].slug), 30)
    assertContains(culture, "Spotkanie kultury w maju")
    sport = page_at(client, register_url(od=day, do=day, wydzial=world["sport"].slug), 30)
    assertNotContains(sport, "Spotkanie kultury w maju")
    assertContains(sport, "W tym okresie nie zmieniono żadnego opublikowanego materiału.")
    next_day = day + datetime.timedelta(days=1)
    later = page_at(client, register_url(od=next_day, do=next_day), 30)
    assertNotContains(later, "Spotkanie kultury w maju")


def test_the_register_as_csv_and_atom(draft_meeting, login):
    import feedparser

    client = login("kultura")
    scenario(client, draft_meeting)
    day = timezone.localtime(at(0)).date().isoformat()
    csv = page_at(client, reverse("history_files:csv") + f"?od={day}&do={day}", 30)
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "data;rodzaj_wpisu;tytul;adres;zmiana;zmienione_pola;wprowadzil"
    assert len(lines) == 4
    assert "wycofano z publikacji" in lines[2]
    assert "tajny" not in csv.content.decode()
    # Absolute addresses, as in every export (core.absolute_urls); the meeting is public again.
    address = f"{django_settings.SITE_URL}{draft_meeting.get_absolute_url()}"
    assert [line.split(";")[3] for line in lines[1:]] == [address] * 3

    feed = feedparser.parse(page_at(client, reverse("history_files:feed"), 30).content)
    assert [entry.title for entry in feed.entries] == [
        "Spotkanie: Spotkanie kultury w maju – opublikowano ponownie",
        "Spotkanie: Spotkanie kultury (poprawione) – wycofano z publikacji",
        "Spotkanie: Spotkanie kultury (poprawione) – poprawiono treść",
    ]


@pytest.mark.parametrize(
    "query",
    [
        *("od=wczoraj", "od=2026-05-01&do=2026-04-01", "od=2020-01-01&do=2026-01-01"),
        # Near the calendar's ends the day arithmetic would overflow: a 400, not a 500.
        *("do=9999-12-31", "od=9999-12-30&do=9999-12-31", "do=0001-01-05", "od=0001-01-01"),
        "wydzial=nie-ma",
    ],
)
def test_bad_register_filters_answer_400_with_a_message(client, query):
    response = client.get(reverse("history:register") + "?" + query)
    assert response.status_code == 400
    assertContains(response, 'role="alert"', status_code=400)
    assert client.get(reverse("history_files:csv") + "?" + query).status_code == 400


def test_a_record_withdrawn_since_keeps_its_last_public_title_without_a_link(draft_meeting, login):
    client = login("kultura")
    save(client, draft_meeting, 5, title="Spotkanie kultury", status=Status.PUBLISHED)
    address = draft_meeting.get_absolute_url()
    save(client, draft_meeting, 10, title="Tytuł tylko w szkicu", status=Status.DRAFT)
    day = timezone.localtime(at(0)).date().isoformat()
    response = page_at(client, register_url(od=day, do=day), 30)
    assertContains(
        response,
        '<td>Spotkanie: Spotkanie kultury <span class="meta">(obecnie niepubliczny)</span></td>',
        html=True,
    )
    assertNotContains(response, "Tytuł tylko w szkicu")
    assertNotContains(response, f'href="{address}"')
    csv = page_at(client, reverse("history_files:csv") + f"?od={day}&do={day}", 30)
    [row] = csv.content.decode("utf-8-sig").splitlines()[1:]
    assert (
        f";Spotkanie kultury;{django_settings.SITE_URL}{address} (obecnie niepubliczny);"
        "wycofano z publikacji;"
    ) in row
    assert "szkicu" not in row


def test_register_dates_are_date_pickers_with_polish_labels_and_a_clear_error(client):
    page = client.get(reverse("history:register"))
    assertContains(page, '<label for="id_od">Od dnia', html=False)
    assertContains(page, 'type="date" name="od"')
    assertContains(page, 'type="date" name="do"')
    bad = client.get(reverse("history:register") + "?od=2026-13-40&do=jutro")
    assert bad.status_code == 400
    assertContains(bad, "Nie rozpoznano daty", status_code=400)
    # What was typed stays in the box, so nothing is lost.
    assertContains(bad, 'value="jutro"', status_code=400)


def test_the_atom_feed_honours_the_registers_filters(draft_meeting, login, world):
    import feedparser

    client = login("kultura")
    scenario(client, draft_meeting)
    day = timezone.localtime(at(0)).date()
    feed_url = reverse("history_files:feed")

    def titles(**filters):
        response = page_at(
            client, register_url(**filters).replace(reverse("history:register"), feed_url), 30
        )
        assert response.status_code == 200
        return [entry.title for entry in feedparser.parse(response.content).entries]

    assert len(titles(od=day, do=day, wydzial=world["culture"].slug)) == 3
    assert titles(od=day, do=day, wydzial=world["sport"].slug) == []
    next_day = day + datetime.timedelta(days=1)
    assert titles(od=next_day, do=next_day) == []
    page = page_at(client, register_url(od=day, do=day, wydzial=world["sport"].slug), 30)
    assertContains(page, f'href="{feed_url}?od={day}&amp;do={day}&amp;wydzial=wydzial-sportu"')
    bad = page_at(client, f"{feed_url}?od=wczoraj", 30)
    assert bad.status_code == 400
