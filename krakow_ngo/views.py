"""View helpers shared by every public page."""

from django.core.paginator import Paginator


class BreadcrumbsMixin:
    """Puts `breadcrumbs`, a list of (label, url) after the home page, into the context."""

    def get_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = self.get_breadcrumbs()
        return context


def paginate(request, queryset, per_page):
    """A page of `queryset`; a missing, malformed or too large ?page= gives a valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
