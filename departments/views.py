from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core.ownership import belonging_to
from core.polish import PolishText
from core.publishing import published_condition
from core.structured_data import government_organization
from core.views import BreadcrumbsMixin, paginate
from departments.models import Department, DepartmentChange
from history.views import DepartmentCardMixin
from meetings.models import Meeting
from meetings.selectors import public_meetings
from postulates.models import Position
from postulates.selectors import overdue_commitment_count
from postulates.views import postulate_list_count
from stats.dimensions import OVERVIEW, statistics_url

MEETINGS_PER_PAGE = 50


def public_departments():
    successors = DepartmentChange.objects.filter(
        published_condition(Department, "successor__")
    ).select_related("successor")
    return (
        Department.objects.published()
        .annotate(
            meeting_count=Count("meetings", filter=published_condition(Meeting, "meetings__"))
        )
        .prefetch_related(Prefetch("successor_changes", queryset=successors))
    )


class DepartmentListView(BreadcrumbsMixin, ListView):
    context_object_name = "departments"

    def get_queryset(self):
        return public_departments().order_by("name")

    def get_breadcrumbs(self):
        return [(_("Wydziały i jednostki"), None)]


class DepartmentDetailView(DepartmentCardMixin, BreadcrumbsMixin, DetailView):
    context_object_name = "department"

    def get_queryset(self):
        return public_departments()

    def get_breadcrumbs(self):
        return [
            (_("Wydziały i jednostki"), reverse("departments:list")),
            (PolishText(self.object.name), None),
        ]

    def get_structured_data(self):
        return [government_organization(self.request, self.object)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lineage_ids = self.object.lineage_ids()
        lineage = (
            Department.objects.published()
            .filter(pk__in=lineage_ids)
            .prefetch_related(
                Prefetch(
                    "successor_changes",
                    queryset=DepartmentChange.objects.filter(successor__in=lineage_ids),
                )
            )
            .order_by("name_used_from", "name")
        )
        context["lineage"] = lineage
        # Meetings held under this department's former and later names belong to its history.
        meetings = public_meetings().filter(pk__in=belonging_to(Meeting, self.object))
        context["page_obj"] = paginate(self.request, meetings, MEETINGS_PER_PAGE)
        context["statistics_url"] = statistics_url(OVERVIEW, wydzial=self.object.slug)
        # Each count as the list it links to counts it: the commitments of the department's
        # answers, and the postulate list's department filter.
        context["follow_up"] = {
            "overdue": overdue_commitment_count(
                Position.objects.filter(pk__in=belonging_to(Position, self.object))
            ),
            "stale_pending": postulate_list_count(
                wydzial=self.object.slug, uwaga="czeka-na-odpowiedz"
            ),
        }
        return context
