"""An iCalendar (RFC 5545) response for calendar apps to subscribe to, whatever its events.

The calendar's head is built with the icalendar library. Its events, up to a thousand per
response, are written here as content lines (escaped by the library's vText, folded by
`folded`): building each through the library's components cost about 0.65 ms per event, most
of it folding long lines one character at a time, which made a calendar take a second."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, vDuration

from core.control_characters import strip_forbidden_characters

# How often subscribers are asked to reload: meetings are announced days ahead, not minutes.
REFRESH_INTERVAL = datetime.timedelta(hours=12)
END = "END:VCALENDAR\r\n"
LINE_OCTETS = 75  # RFC 5545, 3.1: longer lines are folded


@dataclass(frozen=True)
class AllDayEvent:
    uid: str
    day: datetime.date
    modified: datetime.datetime
    summary: str
    description: str
    url: str
    location: str = ""

    def text(self):
        modified = f"{self.modified.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
        # Only the lines holding the event's texts can pass 75 octets.
        return "".join(
            [
                "BEGIN:VEVENT\r\n",
                folded(f"SUMMARY:{escaped(self.summary)}"),
                # All-day events end on the next day (DTEND is exclusive).
                f"DTSTART;VALUE=DATE:{self.day:%Y%m%d}\r\n",
                f"DTEND;VALUE=DATE:{self.day + datetime.timedelta(days=1):%Y%m%d}\r\n",
                f"DTSTAMP:{modified}\r\n",
                folded(f"UID:{escaped(self.uid)}"),
                folded(f"DESCRIPTION:{escaped(self.description)}"),
                f"LAST-MODIFIED:{modified}\r\n",
                folded(f"LOCATION:{escaped(self.location)}") if self.location else "",
                # An all-day meeting announcement should not mark the subscriber as busy all day.
                "TRANSP:TRANSPARENT\r\n",
                folded(f"URL:{self.url}"),
                "END:VEVENT\r\n",
            ]
        )


def escaped(text):
    """`text` as an iCalendar TEXT value (RFC 5545, 3.3.11), as icalendar's vText writes it
    (building a vText per field cost a fifth of a calendar's time): backslashes, semicolons and
    commas escaped, every line end (and a written "\\N") an escaped "\\n". Without control
    characters, which iCalendar text may not hold."""
    return (
        strip_forbidden_characters(text)
        .replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def folded(line):
    """`line` with its CRLF, folded as icalendar folds it: pieces of at most 74 octets, each
    continuation starting with a space (RFC 5545, 3.1: at most 75 octets a line), never inside
    a UTF-8 character, and never between an escaping backslash (or ^) and what it escapes, which
    some calendar apps misread (icalendar's issue #1501)."""
    data = line.encode()
    if len(data) < LINE_OCTETS:
        return f"{line}\r\n"
    pieces = []
    start = 0
    while start < len(data):
        end = min(start + LINE_OCTETS - 1, len(data))
        if end < len(data):
            while data[end] & 0xC0 == 0x80:  # a continuation byte
                end -= 1
            if data[end - 1] in b"\\^":
                end -= 1
        pieces.append(data[start:end].decode())
        start = end
    return "\r\n ".join(pieces) + "\r\n"


def calendar_response(request, events, name, description):
    """`events` (AllDayEvents, the most wanted first) as a subscribable calendar called
    `name`, in the order of their days. Events past settings.CALENDAR_MAX_BYTES are left out,
    so however long their texts, no calendar grows too big for calendar apps."""
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
    head = strip_forbidden_characters(calendar.to_ical().decode()).removesuffix(END)
    room = settings.CALENDAR_MAX_BYTES - len(head.encode()) - len(END)
    kept = []
    for event in events:
        text = event.text()
        room -= len(text.encode())
        if room < 0:
            break
        kept.append((event, text))
    kept.sort(key=lambda pair: pair[0].day)  # stable: events of one day stay in the order given
    body = "".join([head, *(text for _event, text in kept), END])
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
