"""A department's feed of new materials and its meetings calendar, across its former and
later names (`Department.lineage()`), as its page lists them."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.views import View

from core.ownership import belonging_to
from departments.models import Department
from meetings.calendar import meetings_calendar
from meetings.feeds import SITE_NAME, MaterialsFeed, document_entries, meeting_entries
from meetings.models import Document, Meeting


def published_department(slug):
    return get_object_or_404(Department.objects.published(), slug=slug)


class DepartmentMaterialsFeed(MaterialsFeed):
    def get_object(self, request, slug):
        return published_department(slug)

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
        return [
            *document_entries(Q(pk__in=belonging_to(Document, department))),
            *meeting_entries(Q(pk__in=belonging_to(Meeting, department))),
        ]


class DepartmentCalendarView(View):
    def get(self, request, slug):
        department = published_department(slug)
        return meetings_calendar(
            request,
            Q(meeting__in=belonging_to(Meeting, department)),
            name=f"Spotkania z NGO: {department.name}",
            description=(
                f"Terminy spotkań z organizacjami pozarządowymi: {department.name}, "
                "także pod wcześniejszymi i późniejszymi nazwami."
            ),
        )
