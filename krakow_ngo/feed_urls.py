"""Feeds and calendars people subscribe to, under /kanaly/ (each bounded in size whatever the
archive's: see FEED_ENTRIES and CALENDAR_* in settings)."""

from django.urls import path

from departments.feeds import DepartmentCalendarView, DepartmentMaterialsFeed
from meetings.calendar import MeetingCalendarView
from meetings.feeds import LatestMaterialsFeed, YearMaterialsFeed
from organisations.feeds import OrganisationCalendarView, OrganisationMaterialsFeed

app_name = "feeds"

urlpatterns = [
    path("nowe.atom", LatestMaterialsFeed.as_view(), name="latest"),
    path("lata/<int:year>.atom", YearMaterialsFeed.as_view(), name="year"),
    path("wydzialy/<slug:slug>.atom", DepartmentMaterialsFeed.as_view(), name="department"),
    path("organizacje/<slug:slug>.atom", OrganisationMaterialsFeed.as_view(), name="organisation"),
    path("spotkania.ics", MeetingCalendarView.as_view(), name="calendar"),
    path("wydzialy/<slug:slug>.ics", DepartmentCalendarView.as_view(), name="department_calendar"),
    path(
        "organizacje/<slug:slug>.ics",
        OrganisationCalendarView.as_view(),
        name="organisation_calendar",
    ),
]
