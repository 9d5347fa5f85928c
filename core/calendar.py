"""An iCalendar (RFC 5545) response for calendar apps to subscribe to, whatever its events."""

import datetime

from django.http import HttpResponse
from icalendar import Calendar, vDuration

from core.control_characters import strip_forbidden_characters

# How often subscribers are asked to reload: meetings are announced days ahead, not minutes.
REFRESH_INTERVAL = datetime.timedelta(hours=12)


def calendar_response(request, events, name, description):
    """`events` (icalendar Events) as a subscribable calendar called `name`."""
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
    for event in events:
        calendar.add_component(event)
    # iCalendar text may not hold control characters (RFC 5545, 3.3.11) and icalendar writes
    # them as given; removing them from the whole output covers every property at once.
    ical = strip_forbidden_characters(calendar.to_ical().decode())
    return HttpResponse(ical, content_type="text/calendar; charset=utf-8")
