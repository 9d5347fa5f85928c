"""The record card and the registers show each change as it was written at the time: its
author's signature then (not the account's today), the unsigned author's team (a department's
editors or the archive's coordinators), the address the record had then (still leading to
it); a department's own changes are on its page and in the site-wide register; a record
republished after a withdrawal keeps its first publication; and a page with a card costs the
same queries however many changes it lists."""

import re

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from history.models import StaffName
from tests.editors.test_record_card import (  # noqa: F401
    at,
    card,
    draft_meeting,
    page,
    page_at,
    register,
    register_url,
    save,
    shown,
)
from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db


def site_register(client, minutes):
    day = timezone.localtime(at(0)).date().isoformat()
    response = page_at(client, register_url(od=day, do=day), minutes)
    rows = re.findall(r"<tr>\s*<td>(.*?)</tr>", response.content.decode(), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def user(username):
    return get_user_model().objects.get(username=username)


def test_every_register_keeps_the_signature_written_at_the_time(draft_meeting, login):  # noqa: F811
    signature = StaffName.objects.create(user=user("kultura"), name="Anna Nowak", role="inspektor")
    client = login("kultura")
    save(client, draft_meeting, 0, title="Spotkanie kultury", status=Status.PUBLISHED)
    save(client, draft_meeting, 5, title="Spotkanie kultury (poprawione)")
    signature.name, signature.role = "Anna Kowalska", "kierownik referatu"
    signature.save()
    login("kultura")
    save(client, draft_meeting, 10, title="Spotkanie kultury w maju")

    response = page(client, draft_meeting, 20)
    assert "Wprowadził(a)</dt>\n    <dd>Anna Nowak, inspektor" in card(response)
    assert register(response) == [
        f"{shown(at(5))} – poprawiono treść (Tytuł) wprowadził(a): Anna Nowak, inspektor",
        f"{shown(at(10))} – poprawiono treść (Tytuł) wprowadził(a): Anna Kowalska, "
        "kierownik referatu",
    ]
    assert [row.rsplit(" (Tytuł) ", 1)[1] for row in site_register(client, 20)] == [
        "Anna Kowalska, kierownik referatu",
        "Anna Nowak, inspektor",
    ]


def test_unsigned_changes_name_the_authors_team_and_never_change(draft_meeting, login):  # noqa: F811
    client = login("kultura")
    save(client, draft_meeting, 0, title="Spotkanie kultury", status=Status.PUBLISHED)
    save(client, draft_meeting, 5, title="Spotkanie kultury (poprawione)")
    login("koordynator")
    save(client, draft_meeting, 10, title="Spotkanie kultury w maju")
    # Signatures given later sign later changes only.
    StaffName.objects.create(user=user("kultura"), name="Anna Nowak", role="inspektor")
    StaffName.objects.create(user=user("koordynator"), name="Jan Wiśniewski", role="koordynator")

    response = page(client, draft_meeting, 20)
    assert register(response) == [
        f"{shown(at(5))} – poprawiono treść (Tytuł) wprowadził(a): redakcja wydziału",
        f"{shown(at(10))} – poprawiono treść (Tytuł) wprowadził(a): redakcja archiwum",
    ]
    assert "Wprowadził(a)</dt>\n    <dd>redakcja wydziału</dd>" in card(response)
    assertNotContains(response, "Anna Nowak")
    assertNotContains(response, "Wiśniewski")
    assert [row.rsplit(" (Tytuł) ", 1)[1] for row in site_register(client, 20)] == [
        "redakcja archiwum",
        "redakcja wydziału",
    ]
    # Unsigned, no one is named as a person in the page's data either.
    assert '"contributor"' not in response.content.decode()


def test_a_departments_rename_is_on_its_card_and_in_the_register_linking_a_working_address(
    world, login
):
    department = world["culture"]
    client = login("koordynator")
    old_address = department.get_absolute_url()
    # Its history begins (a record loaded before it has no earlier state to compare with).
    save(client, department, -1)
    save(client, department, 0, name="Wydział Kultury i Dziedzictwa", slug="wydzial-kultury-i-d")
    middle_address = "/wydzialy/wydzial-kultury-i-d/"
    login("koordynator")
    save(client, department, 5, name="Wydział Kultury i Turystyki", slug="wydzial-kultury-i-t")
    department.refresh_from_db()

    response = page(client, department, 10)
    assertContains(response, '<h2 id="record-card">Metryczka</h2>', html=True)
    assert register(response) == [
        f"{shown(at(0))} – przeniesiono (Nazwa urzędowa, Końcówka adresu strony) "
        "wprowadził(a): redakcja archiwum",
        f"{shown(at(5))} – przeniesiono (Nazwa urzędowa, Końcówka adresu strony) "
        "wprowadził(a): redakcja archiwum",
    ]
    assert "Wydział Kultury i Turystyki" in card(response)  # the publishing body: itself

    assert site_register(client, 10) == [
        f"{shown(at(5))} Wydział lub jednostka: Wydział Kultury i Turystyki przeniesiono "
        "(Nazwa urzędowa, Końcówka adresu strony) redakcja archiwum",
        f"{shown(at(0))} Wydział lub jednostka: Wydział Kultury i Dziedzictwa przeniesiono "
        "(Nazwa urzędowa, Końcówka adresu strony) redakcja archiwum",
    ]
    day = timezone.localtime(at(0)).date().isoformat()
    listing = page_at(client, register_url(od=day, do=day, wydzial=department.slug), 10)
    # Each row links the address of its time, which still leads to the department.
    assertContains(listing, f'href="{middle_address}"')
    assert middle_address.startswith(department.get_absolute_url().rsplit("/", 2)[0])
    for address in (middle_address, old_address):
        followed = page_at(client, address, 10)
        assert followed.status_code == 301
        assert followed["Location"] == department.get_absolute_url()


def test_republishing_keeps_the_first_publication_and_says_when_it_returned(
    draft_meeting,  # noqa: F811
    login,
):
    client = login("kultura")
    save(client, draft_meeting, 0, status=Status.PUBLISHED)
    save(client, draft_meeting, 10, status=Status.DRAFT)
    save(client, draft_meeting, 20, status=Status.PUBLISHED)
    draft_meeting.refresh_from_db()
    # The admin's publication date: since when it is public again.
    assert draft_meeting.published_at == at(20)

    response = page(client, draft_meeting, 30)
    text = card(response)
    assert "Data udostępnienia</dt>\n    <dd><time datetime=" in text
    assert f">{shown(at(0))}</time></dd>" in text
    assert "Ponownie udostępniono</dt>\n    <dd><time datetime=" in text
    assert f'>{shown(at(20))}</time> <span class="meta">(po wycofaniu' in text
    assert register(response)[-1].startswith(f"{shown(at(20))} – opublikowano ponownie")

    # The admin's field says which date it holds, and where the first one is.
    url = reverse("admin:meetings_meeting_change", args=[draft_meeting.pk])
    form = login("kultura").get(url)
    assertContains(form, "po ponownej publikacji wycofanego wpisu to chwila ponownej publikacji")
    assertContains(form, "Pierwsze udostępnienie pozostaje w metryczce")


def _changed(record, times, **fields):
    """`times` saves of `record` in the history, each changing `fields` (a value per save)."""
    for index in range(times):
        with reversion.create_revision():
            for name, value in fields.items():
                setattr(record, name, f"{value} {index}")
            record.save()


def _queries(client, url):
    client.logout()
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url)
    assert response.status_code == 200
    assertContains(response, "Metryczka")
    return len(seen)


@pytest.mark.parametrize("kind", ["meeting", "document", "round", "postulate", "department"])
def test_a_card_costs_the_same_queries_for_few_or_many_changes(world, client, kind):
    records = {
        "meeting": (world["own"]["meeting"], {"title": "Spotkanie"}),
        "document": (world["own"]["document"], {"title": "Podsumowanie"}),
        "round": (None, {"title": "Cykl"}),
        "postulate": (world["own"]["postulate"], {"content": "Postulat"}),
        "department": (world["culture"], {"name": "Wydział Kultury"}),
    }
    record, fields = records[kind]
    if record is None:
        record = RoundFactory()
    _changed(record, 1, **fields)
    if kind == "postulate":
        _changed(world["own"]["position"], 1, justification="Odpowiedź")
    few = _queries(client, record.get_absolute_url())
    _changed(record, 6, **fields)
    if kind == "postulate":
        _changed(world["own"]["position"], 6, justification="Odpowiedź")
    response_queries = _queries(client, record.get_absolute_url())
    assert response_queries == few


def test_a_record_loaded_in_bulk_without_rows_is_public_since_its_stored_time(client, world):
    from history.models import RegisterEntry
    from meetings.models import Meeting

    meeting = world["own"]["meeting"]
    RegisterEntry.objects.all().delete()  # as after a bulk load (sample data), before a rebuild
    Meeting.objects.filter(pk=meeting.pk).update(published_at=at(-60))
    response = page(client, meeting, 0)
    text = card(response)
    assert f">{shown(at(-60))}</time></dd>" in text
    assertContains(response, "Bez zmian od udostępnienia.")
    assert "Wprowadził(a)</dt>\n    <dd>redakcja archiwum</dd>" in text
