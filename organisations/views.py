from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core.polish import PolishText
from core.views import BreadcrumbsMixin, DraftPreviewMixin, FilteredListMixin, paginate
from meetings.models import Meeting
from meetings.selectors import organisation_meetings, public_meetings
from organisations.filters import OrganisationFilter
from organisations.models import Organisation
from postulates.models import Postulate
from postulates.selectors import organisation_postulates, outcome_summary
from postulates.views import postulate_list_url
from stats.snapshot import kept_counts

ORGANISATIONS_PER_PAGE = 100
POSTULATES_PER_PAGE = 50


def count_public_records(organisations):
    """Sets `meeting_count` and `postulate_count` (their public meetings and postulates) on
    each of `organisations`, a page of a list: one grouped query each over the page's
    organisations, where a counting subquery per organisation re-checked the publication of
    every meeting and postulate of every row (5 s a page at 100,000 postulates)."""
    ids = [organisation.pk for organisation in organisations]

    def public_counts(records, field):
        grouped = records.published().filter(**{f"{field}__in": ids}).order_by().values(field)
        return dict(grouped.annotate(n=Count("pk")).values_list(field, "n"))

    meetings = public_counts(Meeting.objects, "participants")
    # Read from the lists kept for the content generation when they are built: counting the
    # public postulates of a page's organisations joined every meeting (0.25 s at 100,000).
    postulates = kept_counts(timezone.now(), "organizacja", ids)
    if postulates is None:
        postulates = public_counts(Postulate.objects, "organisation")
    for organisation in organisations:
        organisation.meeting_count = meetings.get(organisation.pk, 0)
        organisation.postulate_count = postulates.get(organisation.pk, 0)


class OrganisationListView(FilteredListMixin, BreadcrumbsMixin, ListView):
    context_object_name = "organisations"
    filterset_class = OrganisationFilter
    per_page = ORGANISATIONS_PER_PAGE

    def base_queryset(self):
        # pk last: organisations may share a name, and a page boundary among them must not
        # repeat or drop one.
        return Organisation.objects.published().order_by("name", "pk")

    def get_context_data(self, **kwargs):
        page = kwargs["page_obj"]
        page.object_list = list(page.object_list)
        count_public_records(page.object_list)
        return super().get_context_data(**kwargs)

    def get_breadcrumbs(self):
        return [(_("Organizacje"), None)]


class OrganisationDetailView(DraftPreviewMixin, BreadcrumbsMixin, DetailView):
    """An organisation's page; staff preview one no public record names yet (added with a
    postulate's "+" or by an import, before the meeting is published)."""

    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.for_preview(self.preview_for)

    def get_breadcrumbs(self):
        return [
            (_("Organizacje"), reverse("organisations:list")),
            (PolishText(self.object.name), None),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = public_meetings().filter(organisation_meetings(self.object))
        postulates = organisation_postulates(self.object)
        page = paginate(self.request, postulates, POSTULATES_PER_PAGE)
        context["page_obj"] = page
        context["summary"] = outcome_summary(postulates, total=page.paginator.count)
        context["all_postulates_url"] = postulate_list_url(organizacja=self.object.slug)
        return context
