"""An iCalendar (RFC 5545) response for calendar apps to subscribe to, whatever its events."""

import datetime
from operator import itemgetter

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, vDuration

from core.control_characters import strip_forbidden_characters

# How often subscribers are asked to reload: meetings are announced days ahead, not minutes.
REFRESH_INTERVAL = datetime.timedelta(hours=12)
END = "END:VCALENDAR\r\n"


def calendar_response(request, events, name, description):
    """`events` (icalendar all-day Events, the most wanted first) as a subscribable calendar
    called `name`, in the order of their days. Events past settings.CALENDAR_MAX_BYTES are
    left out, so however long their texts, no calendar grows too big for calendar apps."""
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
    # Written event by event (a calendar's text is its head, its events' texts and its end) to
    # know the size before an event goes in.
    head = ical_text(calendar).removesuffix(END)
    room = settings.CALENDAR_MAX_BYTES - len(head.encode()) - len(END)
    kept = []
    for event in events:
        text = ical_text(event)
        room -= len(text.encode())
        if room < 0:
            break
        kept.append((event.decoded("dtstart"), text))
    kept.sort(key=itemgetter(0))  # stable: events of one day stay in the order given
    body = "".join([head, *(text for _day, text in kept), END])
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def ical_text(component):
    # iCalendar text may not hold control characters (RFC 5545, 3.3.11) and icalendar writes
    # them as given; removing them from the whole output covers every property at once.
    return strip_forbidden_characters(component.to_ical().decode())
