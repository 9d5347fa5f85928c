from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from krakow_ngo.views import BreadcrumbsMixin, DraftPreviewMixin, FilteredListMixin
from meetings.models import year_label, year_url
from postulates.filters import PostulateFilter
from postulates.selectors import public_postulates

POSTULATES_PER_PAGE = 50


def postulate_list_url(**filters):
    return f"{reverse('postulates:list')}?{urlencode(filters)}"


class PostulateListSource:
    """What the postulate list shows before its filters, and the filters themselves: one
    definition for the page and for its CSV and JSON exports (opendata)."""

    filterset_class = PostulateFilter

    def base_queryset(self):
        return public_postulates()


class PostulateListView(PostulateListSource, FilteredListMixin, BreadcrumbsMixin, ListView):
    context_object_name = "postulates"
    per_page = POSTULATES_PER_PAGE

    def get_breadcrumbs(self):
        return [(_("Postulaty"), None)]


class PostulateDetailView(DraftPreviewMixin, BreadcrumbsMixin, DetailView):
    context_object_name = "postulate"

    def get_queryset(self):
        return public_postulates()

    def get_preview_queryset(self):
        return public_postulates(include_drafts=True)

    def get_breadcrumbs(self):
        postulate = self.object
        source = postulate.meeting or postulate.round
        return [
            (year_label(source.year_id), year_url(source.year_id)),
            (source.title, source.get_absolute_url()),
            (_("Postulat nr %(number)s") % {"number": postulate.number}, None),
        ]
