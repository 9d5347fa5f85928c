"""iCalendar (RFC 5545) of published meetings, for calendar apps to subscribe to.

Each day of a meeting is its own all-day VEVENT rather than one event with RDATEs: Google
Calendar, Outlook and Apple Calendar all show separate events correctly, while RDATE on
all-day events in subscribed calendars is ignored or mis-shown by several of them, and a
single DTSTART..DTEND span would also mark the days between two non-consecutive dates.
Built in one query whatever the number of meetings.
"""

import datetime

from django.http import HttpResponse
from django.utils.text import capfirst
from django.views import View
from icalendar import Calendar, Event, vDuration

from krakow_ngo.absolute_urls import absolute_url, host_name
from krakow_ngo.control_characters import strip_forbidden_characters
from meetings.models import Meeting, MeetingDate

CALENDAR_NAME = "Spotkania Miasta Krakowa z NGO"
# How often subscribers are asked to reload: meetings are announced days ahead, not minutes.
REFRESH_INTERVAL = datetime.timedelta(hours=12)


def meeting_days(meetings):
    """Every day of `meetings` (a queryset of published meetings) with its meeting."""
    return (
        MeetingDate.objects.filter(meeting__in=meetings.values("pk"))
        .select_related("meeting")
        .only(
            "date",
            "meeting__title",
            "meeting__slug",
            "meeting__year",
            "meeting__kind",
            "meeting__topic",
            "meeting__place",
            "meeting__is_online",
            "meeting__updated_at",
        )
        .order_by("date", "meeting_id")
    )


def meeting_location(meeting):
    # As the meeting's page says it: online wins over a place.
    return "online" if meeting.is_online else meeting.place


def meeting_day_event(day, request, host):
    meeting = day.meeting
    url = absolute_url(request, meeting.get_absolute_url())
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}-{day.date:%Y%m%d}@{host}")
    event.add("dtstamp", meeting.updated_at.astimezone(datetime.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", day.date)
    # All-day events end on the next day (DTEND is exclusive).
    event.add("dtend", day.date + datetime.timedelta(days=1))
    event.add("summary", meeting.title)
    about = meeting.topic or capfirst(meeting.get_kind_display())
    event.add("description", f"{about}\n\n{url}")
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    event.add("url", url)
    # An all-day meeting announcement should not mark the subscriber as busy all day.
    event.add("transp", "TRANSPARENT")
    return event


def calendar_response(request, days, name, description):
    calendar = Calendar()
    calendar.add("prodid", "-//Miasto Kraków//Archiwum spotkań z NGO//PL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))  # Outlook's name for it
    host = host_name(request)
    for day in days:
        calendar.add_component(meeting_day_event(day, request, host))
    # iCalendar text may not hold control characters (RFC 5545, 3.3.11) and icalendar writes
    # them as given; removing them from the whole output covers every property at once.
    ical = strip_forbidden_characters(calendar.to_ical().decode())
    return HttpResponse(ical, content_type="text/calendar; charset=utf-8")


class MeetingCalendarView(View):
    def get(self, request):
        return calendar_response(
            request,
            meeting_days(Meeting.objects.published()),
            name=CALENDAR_NAME,
            description="Terminy spotkań wydziałów Urzędu Miasta Krakowa z organizacjami "
            "pozarządowymi.",
        )
