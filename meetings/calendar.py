"""iCalendar (RFC 5545) of published meetings, for calendar apps to subscribe to.

Each day of a meeting is its own all-day VEVENT rather than one event with RDATEs: Google
Calendar, Outlook and Apple Calendar all show separate events correctly, while RDATE on
all-day events in subscribed calendars is ignored or mis-shown by several of them, and a
single DTSTART..DTEND span would also mark the days between two non-consecutive dates.

Every calendar is bounded whatever the archive's size (`calendar_days`): at most
settings.CALENDAR_MAX_EVENTS days, the upcoming ones first (a subscriber must miss no meeting to
come), then the latest past ones, read in at most two queries. The calendar of all meetings
holds the past ones of the last settings.CALENDAR_PAST_MONTHS only; the calendars of a
department and of an organisation hold the rest.
"""

from calendar import monthrange

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.views import View

from core.absolute_urls import absolute_url, host_name
from core.calendar import AllDayEvent, calendar_response
from core.feeds import summary_text
from core.publishing import published_condition
from meetings.models import Meeting, MeetingDate

CALENDAR_NAME = "Spotkania Miasta Krakowa z NGO"


def meeting_days(*conditions):
    """Every day of the published meetings (narrowed by `conditions` on their days), with its
    meeting. The rule is joined rather than asked as a subquery of meetings, so a calendar
    reads its days from the index on dates and looks up only their meetings."""
    return (
        MeetingDate.objects.filter(published_condition(Meeting, "meeting__"), *conditions)
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


def calendar_days(*conditions, past_months=None):
    """The days of published meetings (see `meeting_days`) a calendar holds, the most wanted
    first: every upcoming day, the soonest first, then the past ones, the latest first (only
    those of the last `past_months`, when given); at most settings.CALENDAR_MAX_EVENTS."""
    today = timezone.localdate()
    limit = settings.CALENDAR_MAX_EVENTS
    days = meeting_days(*conditions)
    upcoming = list(days.filter(date__gte=today)[:limit])
    room = limit - len(upcoming)
    if not room:
        return upcoming
    past = days.filter(date__lt=today).order_by("-date", "meeting_id")
    if past_months is not None:
        past = past.filter(date__gte=months_before(today, past_months))
    return [*upcoming, *past[:room]]


def months_before(day, months):
    """The same day `months` months before `day` (the month's last day where it is shorter)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def limit_note():
    """How a calendar's description tells subscribers of its bound."""
    return (
        f"Kalendarz obejmuje do {settings.CALENDAR_MAX_EVENTS} terminów: gdy jest ich więcej, "
        "pomija najdawniejsze, a dopiero potem najdalsze z zaplanowanych."
    )


def meetings_calendar(request, *conditions, name, description, past_months=None):
    """The calendar called `name` of the published meetings whose days meet `conditions`: the
    days `calendar_days` keeps."""
    days = calendar_days(*conditions, past_months=past_months)
    return calendar_response(
        request,
        meeting_day_events(days),
        name=name,
        description=f"{description} {limit_note()}",
    )


def meeting_location(meeting):
    # As the meeting's page says it: online wins over a place.
    return "online" if meeting.is_online else meeting.place


def meeting_day_event(day, host):
    meeting = day.meeting
    url = absolute_url(meeting.get_absolute_url())
    about = summary_text(meeting.topic) or capfirst(meeting.get_kind_display())
    return AllDayEvent(
        uid=f"meeting-{meeting.pk}-{day.date:%Y%m%d}@{host}",
        day=day.date,
        modified=meeting.updated_at,
        summary=meeting.title,
        description=f"{about}\n\n{url}",
        url=url,
        location=meeting_location(meeting),
    )


def meeting_day_events(days):
    """An event for each of `days` (see `calendar_days`), for `calendar_response`."""
    host = host_name()
    return (meeting_day_event(day, host) for day in days)


class MeetingCalendarView(View):
    def get(self, request):
        months = settings.CALENDAR_PAST_MONTHS
        return meetings_calendar(
            request,
            name=CALENDAR_NAME,
            description=(
                "Terminy spotkań wydziałów Urzędu Miasta Krakowa z organizacjami "
                f"pozarządowymi: wszystkie zaplanowane i te z ostatnich {months} miesięcy. "
                "Wcześniejsze są w kalendarzach wydziałów i organizacji, na ich stronach "
                "w archiwum."
            ),
            past_months=months,
        )
