from django.views.generic import DetailView, ListView

from departments.models import Department
from meetings.selectors import public_meetings


class DepartmentListView(ListView):
    context_object_name = "departments"

    def get_queryset(self):
        return Department.objects.published()


class DepartmentDetailView(DetailView):
    context_object_name = "department"

    def get_queryset(self):
        return Department.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lineage_ids = [department.pk for department in self.object.lineage()]
        lineage = Department.objects.published().filter(pk__in=lineage_ids)
        context["lineage"] = lineage.order_by("name_used_from", "name")
        # Meetings held under this department's former and later names belong to its history.
        context["meetings"] = public_meetings().filter(departments__in=lineage).distinct()
        return context
