"""The admin's start page: each panel shows the day's work of the editor's departments and
nothing of another department's; a coordinator's shows every department's; the page reads a
fixed number of queries however much there is."""

import datetime
import itertools
import re
from html import unescape

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.admin import publication_moment
from editors.dashboard import PANEL_ROWS
from meetings.admin import POSTULATES_PER_PAGE
from meetings.models import Meeting
from tests.factories import (
    DRAFT,
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    PositionFactory,
    PostulateFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def start_page(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def panel(html, name):
    """The text of one panel, tags stripped and spaces collapsed."""
    match = re.search(rf'<section[^>]*aria-labelledby="panel-{name}">(.*?)</section>', html, re.S)
    assert match, f"no panel {name}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def panel_links(html, name):
    match = re.search(rf'<section[^>]*aria-labelledby="panel-{name}">(.*?)</section>', html, re.S)
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', match.group(1))]


def later(**kwargs):
    return timezone.now() + datetime.timedelta(**kwargs)


# --- Moje szkice ---------------------------------------------------------------------------------


def test_drafts_are_the_editors_draft_meetings_only(world, login):
    MeetingFactory(title="Szkic kultury", departments=[world["culture"]], **DRAFT)
    MeetingFactory(title="Szkic sportu", departments=[world["sport"]], **DRAFT)
    html = start_page(login("kultura"))
    drafts = panel(html, "szkice")
    assert "Szkic kultury" in drafts
    assert "Wydział Kultury" in drafts
    assert "Spotkanie kultury" not in drafts  # published: not a draft
    assert "Szkic sportu" not in html
    assert "Spotkanie sportu" not in html


def test_drafts_newest_first_with_where_to_work_on_them(world, login):
    older = MeetingFactory(title="Starszy szkic", departments=[world["culture"]], **DRAFT)
    newer = MeetingFactory(title="Nowszy szkic", departments=[world["culture"]], **DRAFT)
    Meeting.objects.filter(pk=older.pk).update(updated_at=later(days=-2))
    html = start_page(login("kultura"))
    drafts = panel(html, "szkice")
    assert drafts.index("Nowszy szkic") < drafts.index("Starszy szkic")
    links = panel_links(html, "szkice")
    assert reverse("admin:meetings_meeting_change", args=[newer.pk]) in links
    assert reverse("admin:meetings_meeting_import_postulates", args=[newer.pk]) in links
    assert "Importuj postulaty z arkusza" in drafts


def test_coordinator_sees_every_departments_drafts(world, login):
    MeetingFactory(title="Szkic kultury", departments=[world["culture"]], **DRAFT)
    MeetingFactory(title="Szkic sportu", departments=[world["sport"]], **DRAFT)
    html = start_page(login("koordynator"))
    drafts = panel(html, "szkice")
    assert "Szkic kultury" in drafts
    assert "Szkic sportu" in drafts
    assert "Jako koordynator widzisz materiały wszystkich wydziałów." in html


def test_drafts_show_ten_and_link_to_the_filtered_list(world, login):
    for number in range(PANEL_ROWS + 2):
        MeetingFactory(title=f"Szkic nr {number}", departments=[world["culture"]], **DRAFT)
    MeetingFactory(title="Szkic sportu", departments=[world["sport"]], **DRAFT)
    client = login("kultura")
    html = start_page(client)
    assert panel(html, "szkice").count("Szkic nr") == PANEL_ROWS
    assert "Pokazano 10 pierwszych." in panel(html, "szkice")
    more = f"{reverse('admin:meetings_meeting_changelist')}?publikacja=szkic"
    assert more in panel_links(html, "szkice")
    listed = client.get(more).context["cl"].result_list
    assert {meeting.title for meeting in listed} == {
        f"Szkic nr {number}" for number in range(PANEL_ROWS + 2)
    }


# --- Zaplanowane ---------------------------------------------------------------------------------


def test_scheduled_shows_when_and_only_the_editors_records(world, login):
    at = later(days=3)
    own = world["own"]["meeting"]
    Meeting.objects.filter(pk=own.pk).update(published_at=at)
    DocumentFactory(
        meeting=world["other"]["meeting"], title="Dokument sportu na później", published_at=at
    )
    html = start_page(login("kultura"))
    scheduled = panel(html, "zaplanowane")
    assert f"Spotkanie kultury Spotkanie · zaplanowany na {publication_moment(at)}" in scheduled
    assert "Dokument sportu" not in html
    assert "Pokaż wszystkie zaplanowane: spotkania" in scheduled
    more = f"{reverse('admin:meetings_meeting_changelist')}?publikacja=zaplanowany"
    assert more in panel_links(html, "zaplanowane")


def test_scheduled_soonest_first_and_a_meeting_once_with_what_comes_with_it(world, login):
    in_a_week = later(days=7)
    meeting = MeetingFactory(
        title="Spotkanie za tydzień", departments=[world["culture"]], published_at=in_a_week
    )
    # Published together with the meeting: one line for the meeting, not one per record.
    DocumentFactory(meeting=meeting, title="Podsumowanie za tydzień", published_at=in_a_week)
    PostulateFactory(meeting=meeting, content="Postulat za tydzień", published_at=in_a_week)
    # On a public meeting, scheduled on its own: a line of its own.
    DocumentFactory(
        meeting=world["own"]["meeting"], title="Stanowisko jutro", published_at=later(days=1)
    )
    # Scheduled after its (scheduled) meeting: it appears later, so it is listed too.
    DocumentFactory(meeting=meeting, title="Aneks za dwa tygodnie", published_at=later(days=14))
    # A round's document (no meeting at all) is listed by its own time.
    DocumentFactory(
        meeting=None,
        round=RoundFactory(coordinator=world["culture"]),
        title="Stanowisko cyklu",
        published_at=later(days=20),
    )
    scheduled = panel(start_page(login("kultura")), "zaplanowane")
    assert "Podsumowanie za tydzień" not in scheduled
    assert "Postulat za tydzień" not in scheduled
    order = [
        scheduled.index(title)
        for title in (
            "Stanowisko jutro",
            "Spotkanie za tydzień",
            "Aneks za dwa tygodnie",
            "Stanowisko cyklu",
        )
    ]
    assert order == sorted(order)
    assert "Dokument · zaplanowany na" in scheduled


def test_coordinator_sees_every_departments_scheduled_records(world, login):
    Meeting.objects.filter(pk=world["own"]["meeting"].pk).update(published_at=later(days=2))
    Meeting.objects.filter(pk=world["other"]["meeting"].pk).update(published_at=later(days=3))
    scheduled = panel(start_page(login("koordynator")), "zaplanowane")
    assert "Spotkanie kultury" in scheduled
    assert "Spotkanie sportu" in scheduled


# --- Postulaty bez odpowiedzi --------------------------------------------------------------------


def test_unanswered_postulates_of_the_editors_departments(world, login):
    PostulateFactory(meeting=world["own"]["meeting"], content="Czeka na kulturę")
    PostulateFactory(meeting=world["other"]["meeting"], content="Czeka na sport")
    html = start_page(login("kultura"))
    unanswered = panel(html, "postulaty")
    assert "Czeka na kulturę" in unanswered
    assert "Postulat: Spotkanie kultury" not in unanswered  # answered
    assert "Czeka na sport" not in html


def test_unanswered_postulates_oldest_meeting_first_linking_to_where_to_answer(world, login):
    recent = MeetingFactory(
        title="Spotkanie wrześniowe",
        departments=[world["culture"]],
        dates=[datetime.date(2025, 9, 10)],
    )
    old = MeetingFactory(
        title="Spotkanie majowe", departments=[world["culture"]], dates=[datetime.date(2025, 5, 6)]
    )
    PostulateFactory(meeting=recent, number=1, content="Późniejszy postulat")
    for number in range(1, POSTULATES_PER_PAGE + 3):
        postulate = PostulateFactory(meeting=old, number=number, content=f"Majowy nr {number}")
        if number != POSTULATES_PER_PAGE + 2:
            PositionFactory(postulate=postulate)
    html = start_page(login("kultura"))
    unanswered = panel(html, "postulaty")
    assert unanswered.index("Majowy nr 22") < unanswered.index("Późniejszy postulat")
    assert "Spotkanie majowe (6.05.2025)" in unanswered
    last = old.postulates.get(number=POSTULATES_PER_PAGE + 2)
    links = panel_links(html, "postulaty")
    assert reverse("admin:postulates_postulate_change", args=[last.pk]) in links
    # The 22nd postulate of the meeting is on the second page of its postulates.
    assert f"{reverse('admin:meetings_meeting_change', args=[old.pk])}?postulaty=2" in links
    assert f"{reverse('admin:postulates_postulate_changelist')}?odpowiedz=bez" in links


def test_a_postulate_routed_from_another_departments_meeting_links_only_to_itself(world, login):
    routed = PostulateFactory(
        meeting=world["other"]["meeting"],
        responsible_department=world["culture"],
        content="Przekazany do kultury",
    )
    html = start_page(login("kultura"))
    assert "Przekazany do kultury" in panel(html, "postulaty")
    links = panel_links(html, "postulaty")
    assert reverse("admin:postulates_postulate_change", args=[routed.pk]) in links
    other_meeting = reverse("admin:meetings_meeting_change", args=[world["other"]["meeting"].pk])
    assert not any(link.startswith(other_meeting) for link in links)


def test_coordinator_sees_every_departments_unanswered_postulates(world, login):
    PostulateFactory(meeting=world["own"]["meeting"], content="Czeka na kulturę")
    PostulateFactory(meeting=world["other"]["meeting"], content="Czeka na sport")
    unanswered = panel(start_page(login("koordynator")), "postulaty")
    assert "Czeka na kulturę" in unanswered
    assert "Czeka na sport" in unanswered


# --- Zobowiązania z terminem ---------------------------------------------------------------------


def commitment(postulate, text, due_in_days, **kwargs):
    return PositionFactory(
        postulate=postulate,
        commitment=text,
        commitment_due_on=timezone.localdate() + datetime.timedelta(days=due_in_days),
        **kwargs,
    )


def test_commitments_overdue_and_due_soon_soonest_first(world, login):
    own = world["own"]["postulate"]
    commitment(own, "Remont sali w 10 dni", 10)
    commitment(own, "Zaległy raport", -3)
    commitment(own, "Dzisiejsze spotkanie", 0)
    commitment(own, "Odległy plan", 45)
    commitment(own, "Już wykonane", -5, commitment_fulfilled_on=timezone.localdate())
    commitment(world["other"]["postulate"], "Zobowiązanie sportu", 1)
    html = start_page(login("kultura"))
    due = panel(html, "zobowiazania")
    assert "po terminie od 3 dni" in due
    assert "termin dziś" in due
    assert "termin za 10 dni" in due
    order = [
        due.index(text)
        for text in ("Zaległy raport", "Dzisiejsze spotkanie", "Remont sali w 10 dni")
    ]
    assert order == sorted(order)
    assert "Odległy plan" not in due
    assert "Już wykonane" not in due
    assert "Zobowiązanie sportu" not in html
    assert f"Postulat nr {own.number} · Spotkanie kultury" in due


def test_commitments_link_to_the_filtered_list_of_answers(world, login):
    soon = commitment(world["own"]["postulate"], "Remont sali", 10)
    commitment(world["own"]["postulate"], "Odległy plan", 45)
    commitment(world["other"]["postulate"], "Zobowiązanie sportu", 1)
    client = login("kultura")
    html = start_page(client)
    more = f"{reverse('admin:postulates_position_changelist')}?zobowiazanie=do-terminu"
    assert more in panel_links(html, "zobowiazania")
    assert list(client.get(more).context["cl"].result_list) == [soon]


def test_a_commitment_due_in_one_day(world, login):
    commitment(world["own"]["postulate"], "Na jutro", 1)
    commitment(world["own"]["postulate"], "Na wczoraj", -1)
    due = panel(start_page(login("kultura")), "zobowiazania")
    assert "termin jutro" in due
    assert "po terminie od 1 dnia" in due


def test_coordinator_sees_every_departments_commitments(world, login):
    commitment(world["own"]["postulate"], "Zobowiązanie kultury", 3)
    commitment(world["other"]["postulate"], "Zobowiązanie sportu", 4)
    due = panel(start_page(login("koordynator")), "zobowiazania")
    assert "Zobowiązanie kultury" in due
    assert "Zobowiązanie sportu" in due


# --- Ostatnie zmiany ----------------------------------------------------------------------------


def log(username, record, flag=CHANGE, message="Zmieniono tytuł."):
    user = get_user_model().objects.get(username=username)
    LogEntry.objects.log_actions(user.pk, [record], flag, change_message=message)


def test_recent_changes_in_the_editors_departments_by_anyone(world, login):
    log("kultura", world["own"]["meeting"], message="Zmieniono miejsce.")
    log("koordynator", world["own"]["document"], ADDITION, message="")
    log("sport", world["other"]["meeting"], message="Zmiana sportu.")
    log("sport", world["other"]["position"])
    html = start_page(login("kultura"))
    recent = panel(html, "zmiany")
    assert "kultura · zmieniono (spotkanie): Spotkanie kultury Zmieniono miejsce." in recent
    assert "koordynator · dodano (dokument): Podsumowanie: Spotkanie kultury" in recent
    assert recent.index("Podsumowanie: Spotkanie kultury") < recent.index("Zmieniono miejsce.")
    assert "Zmiana sportu" not in html
    assert "Spotkanie sportu" not in html
    links = panel_links(html, "zmiany")
    assert reverse("admin:meetings_meeting_change", args=[world["own"]["meeting"].pk]) in links


def test_coordinator_sees_every_departments_changes(world, login):
    log("kultura", world["own"]["meeting"], message="Zmiana kultury.")
    log("sport", world["other"]["meeting"], message="Zmiana sportu.")
    recent = panel(start_page(login("koordynator")), "zmiany")
    assert "Zmiana kultury." in recent
    assert "Zmiana sportu." in recent


def test_publishing_from_the_list_shows_in_recent_changes(world, login):
    draft = MeetingFactory(title="Szkic do publikacji", departments=[world["culture"]], **DRAFT)
    client = login("kultura")
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    recent = panel(start_page(client), "zmiany")
    assert "kultura · zmieniono (spotkanie): Szkic do publikacji Opublikowano (od" in recent


def test_publishing_a_whole_meeting_shows_in_recent_changes(world, login):
    draft = MeetingFactory(title="Spotkanie w całości", departments=[world["culture"]], **DRAFT)
    PostulateFactory(meeting=draft, **DRAFT)
    client = login("kultura")
    response = client.post(
        reverse("admin:meetings_meeting_publish", args=[draft.pk]), {"when": "now"}
    )
    assert response.status_code == 302
    recent = panel(start_page(client), "zmiany")
    assert "Spotkanie w całości Opublikowano ze wszystkim, co zawiera (wpisów: 2)" in recent


# --- The page -----------------------------------------------------------------------------------


def test_empty_panels_say_so_in_polish(db, login, monkeypatch):
    from django.core.management import call_command

    quiet = DepartmentFactory(name="Wydział Spokojny")
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "Archiwum-Krakow-2026!")
    call_command("add_editor", "spokojny", "--department", quiet.slug, "--noinput", verbosity=0)
    html = start_page(login("spokojny"))
    assert "Twój wydział: Wydział Spokojny." in html
    assert panel(html, "szkice") == (
        "Moje szkice Nie ma żadnych szkiców: wszystkie spotkania Twoich wydziałów są już "
        "opublikowane albo zaplanowane."
    )
    assert panel(html, "zaplanowane") == (
        "Zaplanowane Nic nie czeka na publikację w wyznaczonym terminie."
    )
    assert panel(html, "postulaty") == (
        "Postulaty bez odpowiedzi Każdy postulat Twoich wydziałów ma już odpowiedź."
    )
    assert panel(html, "zobowiazania") == (
        "Zobowiązania z terminem Żadne zobowiązanie nie jest po terminie ani nie mija "
        "w ciągu najbliższych 30 dni."
    )
    assert panel(html, "zmiany") == (
        "Ostatnie zmiany Nikt jeszcze niczego nie zmieniał w materiałach Twoich wydziałów."
    )


def test_common_actions_are_offered_to_whoever_may_take_them(world, login):
    editor = start_page(login("kultura"))
    assert (
        f'<a class="button" href="{reverse("admin:meetings_meeting_add")}">Dodaj spotkanie</a>'
        in editor
    )
    assert "Dodaj dokument" in editor
    assert "Dodaj cykl spotkań" not in editor  # rounds are the coordinators'
    coordinator = start_page(login("koordynator"))
    assert "Dodaj cykl spotkań" in coordinator


def test_every_section_is_still_listed_meetings_first(world, login):
    html = start_page(login("kultura"))
    assert '<a href="#wszystkie-sekcje">Wszystkie sekcje</a>' in html
    sections = html[html.index('id="wszystkie-sekcje"') :]
    assert sections.index("Spotkania i dokumenty") < sections.index("Postulaty i stanowiska")
    assert sections.index("Postulaty i stanowiska") < sections.index("Organizacje")


# Far above PostulateFactory's sequence, which passes 1,000 in a full run and then collided.
NUMBERS = itertools.count(1_000_000)


def fill(world, size):
    """`size` of everything every panel reads, for both departments."""
    for department in (world["culture"], world["sport"]):
        for number in range(size):
            draft = MeetingFactory(departments=[department], **DRAFT)
            postulate = PostulateFactory(meeting=draft, number=1, **DRAFT)
            DocumentFactory(meeting=world["own"]["meeting"], published_at=later(days=number + 1))
            commitment(world["own"]["postulate"], f"Zobowiązanie {number}", number)
            PostulateFactory(meeting=world["own"]["meeting"], number=next(NUMBERS))
            log("kultura", draft)
            log("sport", postulate)


def queries_of_start_page(client):
    with CaptureQueriesContext(connection) as context:
        start_page(client)
    return len(context)


@pytest.mark.parametrize("username", ["kultura", "koordynator"])
def test_the_page_reads_a_fixed_number_of_queries(
    world, login, username, django_assert_max_num_queries
):
    client = login(username)
    fill(world, 2)
    small = queries_of_start_page(client)
    fill(world, 3 * PANEL_ROWS)
    with django_assert_max_num_queries(small):
        html = start_page(client)
    assert "Pokazano 10 pierwszych." in panel(html, "szkice")
    assert small <= 30
