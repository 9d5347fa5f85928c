from django.views.generic import DetailView, ListView

from meetings.models import Round
from meetings.selectors import public_meetings
from postulates.selectors import public_postulates
from programmes.models import Programme


class ProgrammeListView(ListView):
    context_object_name = "programmes"

    def get_queryset(self):
        return Programme.objects.published()


class ProgrammeDetailView(DetailView):
    context_object_name = "programme"

    def get_queryset(self):
        return Programme.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rounds"] = Round.objects.published().filter(programme=self.object)
        context["meetings"] = public_meetings().filter(programme=self.object)
        context["postulates"] = public_postulates().filter(programme=self.object)
        return context
