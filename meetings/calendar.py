"""iCalendar (RFC 5545) of published meetings, for calendar apps to subscribe to.

Each day of a meeting is its own all-day VEVENT rather than one event with RDATEs: Google
Calendar, Outlook and Apple Calendar all show separate events correctly, while RDATE on
all-day events in subscribed calendars is ignored or mis-shown by several of them, and a
single DTSTART..DTEND span would also mark the days between two non-consecutive dates.
Built in one query whatever the number of meetings.
"""

import datetime

from django.utils.text import capfirst
from django.views import View
from icalendar import Event

from core.absolute_urls import absolute_url, host_name
from core.calendar import calendar_response
from meetings.models import Meeting, MeetingDate

CALENDAR_NAME = "Spotkania Miasta Krakowa z NGO"


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


def meeting_day_events(request, days):
    """An event for each of `days` (see `meeting_days`), for `calendar_response`."""
    host = host_name(request)
    return (meeting_day_event(day, request, host) for day in days)


class MeetingCalendarView(View):
    def get(self, request):
        return calendar_response(
            request,
            meeting_day_events(request, meeting_days(Meeting.objects.published())),
            name=CALENDAR_NAME,
            description="Terminy spotkań wydziałów Urzędu Miasta Krakowa z organizacjami "
            "pozarządowymi.",
        )
