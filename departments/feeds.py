"""A department's feed of new materials and its meetings calendar, across its former and
later names (`Department.lineage()`), as its page lists them."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.views import View

from departments.models import Department
from meetings.calendar import calendar_response, meeting_days
from meetings.feeds import SITE_NAME, MaterialsFeed, document_entries, meeting_entries
from meetings.models import Meeting, MeetingDepartment


def department_with_lineage(slug):
    """The published department at `slug` (404 otherwise), with the ids of all its names."""
    department = get_object_or_404(Department.objects.published(), slug=slug)
    department.lineage_ids = [name.pk for name in department.lineage()]
    return department


def lineage_meeting_ids(department):
    return MeetingDepartment.objects.filter(department__in=department.lineage_ids).values("meeting")


class DepartmentMaterialsFeed(MaterialsFeed):
    def get_object(self, request, slug):
        return department_with_lineage(slug)

    def title(self, department):
        return f"Nowe materiały: {department.name} – {SITE_NAME}"

    def subtitle(self, department):
        return (
            f"Nowo opublikowane dokumenty i spotkania: {department.name}, "
            "także pod wcześniejszymi i późniejszymi nazwami."
        )

    def page_path(self, department):
        return department.get_absolute_url()

    def entries(self, department):
        meeting_ids = lineage_meeting_ids(department)
        return [
            *document_entries(
                Q(meeting__in=meeting_ids) | Q(round__coordinator__in=department.lineage_ids)
            ),
            *meeting_entries(Q(pk__in=meeting_ids)),
        ]


class DepartmentCalendarView(View):
    def get(self, request, slug):
        department = department_with_lineage(slug)
        meetings = Meeting.objects.published().filter(pk__in=lineage_meeting_ids(department))
        return calendar_response(
            request,
            meeting_days(meetings),
            name=f"Spotkania z NGO: {department.name}",
            description=(
                f"Terminy spotkań z organizacjami pozarządowymi: {department.name}, "
                "także pod wcześniejszymi i późniejszymi nazwami."
            ),
        )
