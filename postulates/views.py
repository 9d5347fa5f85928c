from django.views.generic import DetailView, ListView

from postulates.selectors import public_postulates


class PostulateListView(ListView):
    context_object_name = "postulates"
    paginate_by = 50

    def get_queryset(self):
        return public_postulates()


class PostulateDetailView(DetailView):
    context_object_name = "postulate"

    def get_queryset(self):
        return public_postulates()
