"""The iCalendars of published meetings that calendar apps subscribe to: all meetings, a
department's and an organisation's, each bounded in size whatever the archive's."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from core.control_characters import FORBIDDEN_CHARACTERS
from core.publishing import Status
from meetings.calendar import months_before
from meetings.models import MeetingDate
from tests.factories import (
    ArchiveYearFactory,
    DepartmentChangeFactory,
    DepartmentFactory,
    MeetingFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

# Calendars keep the days around today: every test runs on this one.
TODAY = datetime.date(2025, 7, 1)
ALL_MEETINGS = "/kanaly/spotkania.ics"
DEPARTMENT = "/kanaly/wydzialy/wydzial.ics"
ORGANISATION = "/kanaly/organizacje/fundacja.ics"
CALENDAR_URLS = [ALL_MEETINGS, DEPARTMENT, ORGANISATION]
LIMIT_NOTE = (
    "Kalendarz obejmuje do 1000 terminów: gdy jest ich więcej, pomija najdawniejsze, a dopiero "
    "potem najdalsze z zaplanowanych."
)


@pytest.fixture(autouse=True)
def today():
    noon = datetime.datetime(2025, 7, 1, 12, tzinfo=ZoneInfo("Europe/Warsaw"))
    with time_machine.travel(noon, tick=False):
        yield TODAY


def read_calendar(client, url="/kanaly/spotkania.ics"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    return list(calendar.walk("VEVENT"))


def test_calendar_describes_itself_for_subscribers(client):
    calendar = read_calendar(client)

    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Warsaw"
    assert calendar["X-WR-CALNAME"] == "Spotkania Miasta Krakowa z NGO"
    assert calendar["PRODID"]


def test_a_two_day_meeting_is_two_all_day_events(client):
    meeting = MeetingFactory(
        title="Dwudniowe warsztaty",
        topic="Planowanie programu współpracy",
        place="Centrum Obywatelskie, ul. Reymonta 20",
        dates=[datetime.date(2025, 6, 10), datetime.date(2025, 6, 11)],
    )

    found = events(read_calendar(client))

    assert [event.decoded("DTSTART") for event in found] == [
        datetime.date(2025, 6, 10),
        datetime.date(2025, 6, 11),
    ]
    assert [event.decoded("DTEND") for event in found] == [
        datetime.date(2025, 6, 11),
        datetime.date(2025, 6, 12),
    ]
    url = f"https://testserver{meeting.get_absolute_url()}"
    for event in found:
        # A date, not a date-time: an all-day event whatever the subscriber's time zone.
        assert type(event.decoded("DTSTART")) is datetime.date
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert event["SUMMARY"] == "Dwudniowe warsztaty"
        assert event["LOCATION"] == "Centrum Obywatelskie, ul. Reymonta 20"
        assert event["URL"] == url
        assert event["DESCRIPTION"] == f"Planowanie programu współpracy\n\n{url}"
        assert event.decoded("DTSTAMP") == meeting.updated_at.replace(microsecond=0)
        assert event.decoded("DTSTAMP").utcoffset() == datetime.timedelta(0)
    assert [str(event["UID"]) for event in found] == [
        f"meeting-{meeting.pk}-20250610@testserver",
        f"meeting-{meeting.pk}-20250611@testserver",
    ]


def test_uids_are_unique_and_online_meetings_say_so(client):
    MeetingFactory(is_online=True, dates=[datetime.date(2025, 3, 1)])
    MeetingFactory(is_online=True, dates=[datetime.date(2025, 3, 1), datetime.date(2025, 3, 8)])
    MeetingFactory(dates=[datetime.date(2025, 3, 1)], place="")

    found = events(read_calendar(client))

    uids = [str(event["UID"]) for event in found]
    assert len(found) == 4
    assert len(set(uids)) == 4
    assert [event.get("LOCATION") for event in found].count("online") == 3
    assert None in [event.get("LOCATION") for event in found]


def test_drafts_scheduled_and_undated_meetings_are_left_out(client):
    MeetingFactory(title="Widoczne")
    MeetingFactory(title="Szkic", status=Status.DRAFT)
    MeetingFactory(title="Zaplanowane", published_at=timezone.now() + datetime.timedelta(days=1))
    MeetingFactory(title="W roku szkicu", year=ArchiveYearFactory(year=2030, status=Status.DRAFT))
    MeetingFactory(title="Bez terminu", dates=[])

    assert [event["SUMMARY"] for event in events(read_calendar(client))] == ["Widoczne"]


def test_department_calendar_covers_its_former_names(client):
    former = DepartmentFactory(slug="wydzial-dawny")
    current = DepartmentFactory(slug="wydzial-obecny", name="Wydział Obecny")
    DepartmentChangeFactory(predecessor=former, successor=current)
    MeetingFactory(title="Pod dawną nazwą", departments=[former])
    MeetingFactory(title="Pod obecną nazwą", departments=[current])
    MeetingFactory(title="Innego wydziału", departments=[DepartmentFactory()])

    calendar = read_calendar(client, "/kanaly/wydzialy/wydzial-obecny.ics")

    assert sorted(event["SUMMARY"] for event in events(calendar)) == [
        "Pod dawną nazwą",
        "Pod obecną nazwą",
    ]
    assert calendar["X-WR-CALNAME"] == "Spotkania z NGO: Wydział Obecny"
    assert calendar["X-WR-CALDESC"] == (
        "Terminy spotkań z organizacjami pozarządowymi: Wydział Obecny, także pod "
        f"wcześniejszymi i późniejszymi nazwami. {LIMIT_NOTE}"
    )
    assert calendar["X-WR-TIMEZONE"] == "Europe/Warsaw"


def add_meetings(count, department, organisation):
    for number in range(count):
        meeting = MeetingFactory(
            departments=[department],
            # A past and an upcoming day: both of a calendar's reads run.
            dates=[datetime.date(2025, 5, 1 + number % 28), datetime.date(2025, 8, 2)],
        )
        meeting.participants.add(organisation)


@pytest.mark.parametrize("url", CALENDAR_URLS)
def test_calendar_query_count_does_not_grow_with_the_archive(
    client, url, django_assert_max_num_queries
):
    department = DepartmentFactory(slug="wydzial")
    DepartmentChangeFactory(successor=department)
    organisation = OrganisationFactory(slug="fundacja")
    add_meetings(2, department, organisation)
    with CaptureQueriesContext(connection) as with_few:
        read_calendar(client, url)

    add_meetings(40, department, organisation)
    with django_assert_max_num_queries(len(with_few)):
        assert len(events(read_calendar(client, url))) == 84
    with django_assert_max_num_queries(5):
        read_calendar(client, url)


@pytest.mark.parametrize(
    "url",
    [
        "/kanaly/wydzialy/nie-ma-takiego.ics",
        "/kanaly/wydzialy/wydzial-w-szkicu.ics",
        "/kanaly/organizacje/nie-ma-takiej.ics",
        "/kanaly/organizacje/organizacja-w-szkicu.ics",
        # Public only once a public meeting or postulate names it.
        "/kanaly/organizacje/nienazwana.ics",
    ],
)
def test_the_calendar_of_an_unknown_or_hidden_subject_is_404(client, url):
    DepartmentFactory(slug="wydzial-w-szkicu", status=Status.DRAFT)
    hidden = OrganisationFactory(slug="organizacja-w-szkicu", status=Status.DRAFT)
    MeetingFactory().participants.add(hidden)
    OrganisationFactory(slug="nienazwana")

    assert client.get(url).status_code == 404


def test_an_organisation_calendar_holds_the_published_meetings_it_took_part_in(client):
    organisation = OrganisationFactory(slug="fundacja-kocia", name="Fundacja Kocia")
    attended = MeetingFactory(title="Z udziałem fundacji", dates=[datetime.date(2025, 9, 1)])
    attended.participants.add(organisation)
    MeetingFactory(title="Bez fundacji", dates=[datetime.date(2025, 9, 1)])
    draft = MeetingFactory(title="Szkic", status=Status.DRAFT, dates=[datetime.date(2025, 9, 2)])
    draft.participants.add(organisation)

    calendar = read_calendar(client, "/kanaly/organizacje/fundacja-kocia.ics")

    assert summaries(calendar) == ["Z udziałem fundacji"]
    assert calendar["X-WR-CALNAME"] == "Spotkania z udziałem: Fundacja Kocia"
    assert calendar["X-WR-CALDESC"] == (
        "Terminy spotkań Miasta Kraków z organizacjami pozarządowymi z udziałem: Fundacja "
        f"Kocia. {LIMIT_NOTE}"
    )


def subjects():
    """The department and the organisation of the calendars at DEPARTMENT and ORGANISATION."""
    return DepartmentFactory(slug="wydzial"), OrganisationFactory(slug="fundacja")


def meeting_on(title, *days, subjects):
    department, organisation = subjects
    meeting = MeetingFactory(
        title=title,
        year=ArchiveYearFactory(year=days[0].year),
        departments=[department],
        dates=list(days),
    )
    meeting.participants.add(organisation)
    return meeting


def summaries(calendar):
    return [event["SUMMARY"] for event in events(calendar)]


def days_in(calendar):
    return [event.decoded("DTSTART") for event in events(calendar)]


def days_from_today(*offsets):
    return [TODAY + datetime.timedelta(days=offset) for offset in offsets]


def test_the_calendar_of_all_meetings_holds_the_last_twelve_months_and_everything_upcoming(
    client,
):
    held_by = subjects()
    meeting_on("Rok i dzień temu", datetime.date(2024, 6, 30), subjects=held_by)
    meeting_on("Rok temu", datetime.date(2024, 7, 1), subjects=held_by)
    meeting_on("Wczoraj", datetime.date(2025, 6, 30), subjects=held_by)
    meeting_on("Dziś", TODAY, subjects=held_by)
    meeting_on("Za dziesięć lat", datetime.date(2035, 3, 1), subjects=held_by)

    calendar = read_calendar(client, ALL_MEETINGS)

    assert summaries(calendar) == ["Rok temu", "Wczoraj", "Dziś", "Za dziesięć lat"]
    assert calendar["X-WR-CALDESC"] == (
        "Terminy spotkań wydziałów Urzędu Miasta Krakowa z organizacjami pozarządowymi: "
        "wszystkie zaplanowane i te z ostatnich 12 miesięcy. Wcześniejsze są w kalendarzach "
        f"wydziałów i organizacji, na ich stronach w archiwum. {LIMIT_NOTE}"
    )
    # The calendars of a department and of an organisation hold the rest.
    for url in (DEPARTMENT, ORGANISATION):
        assert summaries(read_calendar(client, url)) == [
            "Rok i dzień temu",
            "Rok temu",
            "Wczoraj",
            "Dziś",
            "Za dziesięć lat",
        ]


@pytest.mark.parametrize("url", CALENDAR_URLS)
def test_a_meeting_years_ahead_is_in_every_calendar_however_full(client, url, settings):
    settings.CALENDAR_MAX_EVENTS = 3
    held_by = subjects()
    meeting_on("Niedawne", *days_from_today(-1, -2, -3, -4, -5), subjects=held_by)
    meeting_on("Za dwadzieścia lat", datetime.date(2045, 5, 4), subjects=held_by)

    calendar = read_calendar(client, url)

    assert days_in(calendar) == [*days_from_today(-2, -1), datetime.date(2045, 5, 4)]
    assert summaries(calendar)[-1] == "Za dwadzieścia lat"


@pytest.mark.parametrize("url", CALENDAR_URLS)
def test_a_full_calendar_keeps_the_days_nearest_today_and_says_so(client, url, settings):
    settings.CALENDAR_MAX_EVENTS = 4
    held_by = subjects()
    meeting_on("Odbyte", *days_from_today(-35, -28, -21, -14, -7), subjects=held_by)
    meeting_on("Zaplanowane", *days_from_today(0, 7), subjects=held_by)

    calendar = read_calendar(client, url)

    assert days_in(calendar) == days_from_today(-14, -7, 0, 7)
    assert calendar["X-WR-CALDESC"].endswith(LIMIT_NOTE.replace("1000", "4"))

    meeting_on("Kolejne", *days_from_today(14, 21, 28), subjects=held_by)
    # Upcoming days come first: a subscriber misses no meeting to come for a past one.
    assert days_in(read_calendar(client, url)) == days_from_today(0, 7, 14, 21)


@pytest.mark.parametrize("url", CALENDAR_URLS)
def test_no_calendar_reaches_a_megabyte_however_long_its_texts(client, url, settings):
    held_by = subjects()
    meeting = meeting_on("ż" * 500, TODAY, subjects=held_by)
    type(meeting).objects.filter(pk=meeting.pk).update(topic="ą" * 20_000, place="ś" * 255)
    MeetingDate.objects.bulk_create(
        MeetingDate(meeting=meeting, date=day)
        for day in days_from_today(*range(-900, 0), *range(1, 60))
    )

    response = client.get(url)

    assert response.status_code == 200
    assert len(response.content) <= settings.CALENDAR_MAX_BYTES == 1_000_000
    calendar = Calendar.from_ical(response.content)
    days = days_in(calendar)
    # Fewer than the 1,000 days the count allows fit: every upcoming one is in, and the past
    # ones left out are the oldest.
    assert 200 < len(days) < 1000
    assert days == sorted(days)
    assert set(days_from_today(*range(0, 60))) <= set(days)
    assert set(days_from_today(-100, -1)) <= set(days)
    assert days_from_today(-365)[0] not in days
    # The topic is cut as a feed's summary is; the meeting's page has all of it.
    assert events(calendar)[0]["DESCRIPTION"].startswith("ą" * 499 + "…\n\nhttps://testserver/")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 7, 1), 12, datetime.date(2024, 7, 1)),
        (datetime.date(2025, 1, 15), 1, datetime.date(2024, 12, 15)),
        (datetime.date(2025, 3, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2023, 2, 28)),
        (datetime.date(2025, 7, 1), 24, datetime.date(2023, 7, 1)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_control_characters_stored_earlier_break_no_calendar(client):
    department = DepartmentFactory(name="Wydział Kultury", slug="wydzial-kultury")
    meeting = MeetingFactory(departments=[department], dates=[datetime.date(2025, 6, 11)])
    type(meeting).objects.filter(pk=meeting.pk).update(
        title="Spotkanie\x0bkultury\x07", topic="Temat\x1b spotkania\ufffe", place="Sala\x85 nr 2"
    )
    type(department).objects.filter(pk=department.pk).update(name="Wydział\x0cKultury")

    for url in ("/kanaly/spotkania.ics", "/kanaly/wydzialy/wydzial-kultury.ics"):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert not FORBIDDEN_CHARACTERS.search(text), url
        (event,) = events(Calendar.from_ical(response.content))
        assert event["SUMMARY"] == "Spotkanie kultury"
        assert event["DESCRIPTION"].startswith("Temat spotkania\n\n")
        assert event["LOCATION"] == "Sala  nr 2"
    calendar = read_calendar(client, "/kanaly/wydzialy/wydzial-kultury.ics")
    assert calendar["X-WR-CALNAME"] == "Spotkania z NGO: Wydział Kultury"


@pytest.mark.parametrize(
    "text", ["Zażółć gęślą jaźń, ", "ąęłńóśźż" * 3, "a" * 74 + "ż", "🎉 emoji "]
)
def test_long_lines_fold_at_75_octets_between_characters(text):
    from core.calendar import folded

    line = "DESCRIPTION:" + text * 40
    written = folded(line)
    assert written.endswith("\r\n")
    physical = written.removesuffix("\r\n").split("\r\n")
    assert all(len(part.encode()) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert written.removesuffix("\r\n").replace("\r\n ", "") == line


def test_a_short_line_is_not_folded():
    from core.calendar import folded

    assert folded("SUMMARY:Spotkanie") == "SUMMARY:Spotkanie\r\n"


TRICKY_TEXTS = [
    "Spotkanie",
    "Konsultacje; lokale, granty \\ rozliczenia \\N i \\n nowe linie",
    "Zażółć gęślą jaźń, " * 12 + "\r\n\nkoniec\r",
    "🎉 emoji „cudzysłowy” — myślniki " * 5,
    "a" * 74 + "ż" + "b" * 80,
    "",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_an_event_is_written_byte_for_byte_as_icalendar_writes_it(text):
    from icalendar import Event

    from core.calendar import AllDayEvent

    event = AllDayEvent(
        uid="meeting-7-20250611@example.org",
        day=datetime.date(2025, 6, 11),
        modified=datetime.datetime(2025, 5, 4, 3, 2, 1, tzinfo=datetime.UTC),
        summary=text or "Spotkanie",
        description=f"{text}\n\nhttps://example.org/2025/spotkania/a/",
        url="https://example.org/2025/spotkania/a/",
        location=text,
    )
    library = Event()
    library.add("summary", event.summary)
    library.add("dtstart", event.day)
    library.add("dtend", event.day + datetime.timedelta(days=1))
    library.add("dtstamp", event.modified)
    library.add("uid", event.uid)
    library.add("description", event.description)
    library.add("last-modified", event.modified)
    if event.location:
        library.add("location", event.location)
    library.add("transp", "TRANSPARENT")
    library.add("url", event.url)

    assert event.text() == library.to_ical(sorted=False).decode()


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(
    "text",
    [
        "",
        "krótki temat",
        "x" * 499,
        "x" * 500,
        "x" * 501,
        "Zażółć gęślą jaźń. " * 40,
        "„Cytat” — " * 60,
        # Decomposed letters: a combining ogonek or acute counts as no character of its own.
        "Zaz\u0307o\u0301łc\u0301 " * 100,
        "e\u0301" * 499 + "abc",
        "\u0301" * 600,
    ],
)
def test_a_summary_is_cut_as_django_truncator_cuts_it(text, language):
    from django.utils import translation
    from django.utils.text import Truncator

    from core.feeds import summary_text

    with translation.override(language):
        assert summary_text(text) == Truncator(text).chars(500)


def test_lines_fold_exactly_where_icalendar_folds_them():
    import random

    from icalendar.parser import Contentline

    from core.calendar import folded

    alphabet = "ab ,;\\^ąęłżź„”—🎉"
    generator = random.Random(18)
    for _ in range(500):
        line = "DESCRIPTION:" + "".join(
            generator.choice(alphabet) for _ in range(generator.randrange(0, 400))
        )
        assert folded(line) == Contentline(line).to_ical().decode() + "\r\n", line
