from django.db.models import F, Func, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core.views import BreadcrumbsMixin, DraftPreviewMixin, FilteredListMixin, paginate
from meetings.models import Meeting
from meetings.selectors import public_meetings
from organisations.filters import OrganisationFilter
from organisations.models import Organisation
from postulates.models import Postulate
from postulates.selectors import organisation_postulates, outcome_summary
from postulates.views import postulate_list_url

ORGANISATIONS_PER_PAGE = 100
POSTULATES_PER_PAGE = 50


def public_count(rows):
    """The number of public `rows` (correlated to the outer organisation), as a subquery: two
    counts joined on one query would multiply each other's rows (a meeting per postulate)."""
    counted = rows.published().order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


class OrganisationListView(FilteredListMixin, BreadcrumbsMixin, ListView):
    context_object_name = "organisations"
    filterset_class = OrganisationFilter
    per_page = ORGANISATIONS_PER_PAGE

    def base_queryset(self):
        return (
            Organisation.objects.published()
            .annotate(
                meeting_count=public_count(Meeting.objects.filter(participants=OuterRef("pk"))),
                postulate_count=public_count(Postulate.objects.filter(organisation=OuterRef("pk"))),
            )
            .order_by("name")
        )

    def get_breadcrumbs(self):
        return [(_("Organizacje"), None)]


class OrganisationDetailView(DraftPreviewMixin, BreadcrumbsMixin, DetailView):
    """An organisation's page; staff preview one no public record names yet (added with a
    postulate's "+" or by an import, before the meeting is published)."""

    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.for_preview(self.preview_for)

    def get_breadcrumbs(self):
        return [(_("Organizacje"), reverse("organisations:list")), (self.object.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = public_meetings().filter(participants=self.object)
        postulates = organisation_postulates(self.object)
        page = paginate(self.request, postulates, POSTULATES_PER_PAGE)
        context["page_obj"] = page
        context["summary"] = outcome_summary(postulates, total=page.paginator.count)
        context["all_postulates_url"] = postulate_list_url(organizacja=self.object.slug)
        return context
