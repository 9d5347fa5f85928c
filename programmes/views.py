from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core.pagination import AmongKeys
from core.polish import PolishText
from core.views import BreadcrumbsMixin, paginate
from meetings.selectors import public_meetings, public_rounds_with_documents
from postulates.selectors import listed_postulates
from postulates.views import postulate_list_url
from programmes.models import Programme
from stats.snapshot import current_filtered_order

MEETINGS_PER_PAGE = 50
POSTULATES_SHOWN = 20


def first_postulates(programme):
    """(how many, the first POSTULATES_SHOWN) of the public postulates about `programme`, in
    the postulate list's order (its `?program=` filter). Read from the list kept for the
    content generation when it is built (stats.snapshot): sorting and counting a programme's
    postulates across their meetings cost about 0.3 s at 8,000 of them (100,000 in all),
    the page now an index range; until it is built, counted and sorted live."""
    postulates = listed_postulates().filter(programme=programme)
    order = current_filtered_order(timezone.now(), ("program", programme.pk))
    if order is None:
        return postulates.count(), postulates[:POSTULATES_SHOWN]
    # Their rows by key, sorted again as the list sorts them: twenty rows, not thousands.
    shown = order.keys(0, POSTULATES_SHOWN)
    return order.count, postulates.filter(AmongKeys(F("pk"), shown))


class ProgrammeListView(BreadcrumbsMixin, ListView):
    context_object_name = "programmes"

    def get_queryset(self):
        return Programme.objects.published()

    def get_breadcrumbs(self):
        return [(_("Programy współpracy"), None)]


class ProgrammeDetailView(BreadcrumbsMixin, DetailView):
    context_object_name = "programme"

    def get_queryset(self):
        return Programme.objects.published()

    def get_breadcrumbs(self):
        return [
            (_("Programy współpracy"), reverse("programmes:list")),
            (PolishText(self.object.short_name), None),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rounds"] = public_rounds_with_documents().filter(programme=self.object)
        context["page_obj"] = paginate(
            self.request, public_meetings().filter(programme=self.object), MEETINGS_PER_PAGE
        )
        context["postulate_count"], context["postulates"] = first_postulates(self.object)
        context["all_postulates_url"] = postulate_list_url(program=self.object.slug)
        return context
