from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core.polish import PolishText
from core.views import BreadcrumbsMixin, paginate
from meetings.selectors import public_meetings, public_rounds_with_documents
from postulates.selectors import listed_postulates
from postulates.views import postulate_list_url
from programmes.models import Programme

MEETINGS_PER_PAGE = 50
POSTULATES_SHOWN = 20


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
        postulates = listed_postulates().filter(programme=self.object)
        context["postulate_count"] = postulates.count()
        context["postulates"] = postulates[:POSTULATES_SHOWN]
        context["all_postulates_url"] = postulate_list_url(program=self.object.slug)
        return context
