from django.views.generic import DetailView, ListView

from meetings.selectors import public_meetings
from organisations.models import Organisation
from postulates.selectors import public_postulates


class OrganisationListView(ListView):
    context_object_name = "organisations"
    paginate_by = 100

    def get_queryset(self):
        return Organisation.objects.published()


class OrganisationDetailView(DetailView):
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = public_meetings().filter(participants=self.object)
        context["postulates"] = public_postulates().filter(organisation=self.object)
        return context
