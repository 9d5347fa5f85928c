"""The iCalendar of published meetings that calendar apps subscribe to."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from core.control_characters import FORBIDDEN_CHARACTERS
from core.publishing import Status
from tests.factories import (
    ArchiveYearFactory,
    DepartmentChangeFactory,
    DepartmentFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


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
    assert calendar["X-WR-TIMEZONE"] == "Europe/Warsaw"


@pytest.mark.parametrize("slug", ["nie-ma-takiego", "wydzial-w-szkicu"])
def test_department_calendar_of_an_unknown_department_is_404(client, slug):
    DepartmentFactory(slug="wydzial-w-szkicu", status=Status.DRAFT)

    assert client.get(f"/kanaly/wydzialy/{slug}.ics").status_code == 404


def add_meetings(count, department):
    for number in range(count):
        MeetingFactory(
            departments=[department],
            dates=[datetime.date(2025, 5, 1 + number % 28), datetime.date(2025, 6, 2)],
        )


@pytest.mark.parametrize("url", ["/kanaly/spotkania.ics", "/kanaly/wydzialy/wydzial.ics"])
def test_calendar_query_count_does_not_grow_with_the_archive(
    client, url, django_assert_max_num_queries
):
    department = DepartmentFactory(slug="wydzial")
    DepartmentChangeFactory(successor=department)
    add_meetings(2, department)
    with CaptureQueriesContext(connection) as with_few:
        read_calendar(client, url)

    add_meetings(40, department)
    with django_assert_max_num_queries(len(with_few)):
        assert len(events(read_calendar(client, url))) == 84
    with django_assert_max_num_queries(5):
        read_calendar(client, url)


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
