from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from accessibility.models import AccessibilityStatement
from accessibility.selectors import document_counts, inaccessible_documents
from core.views import BreadcrumbsMixin, paginate

# Inaccessible documents listed per page of the statement.
DOCUMENTS_PER_PAGE = 50


class StatementView(BreadcrumbsMixin, DetailView):
    context_object_name = "statement"

    def get_breadcrumbs(self):
        return [(_("Deklaracja dostępności"), None)]

    def get_object(self, queryset=None):
        return get_object_or_404(AccessibilityStatement)

    def get_context_data(self, **kwargs):
        counts = document_counts()
        # Most of the time there are none to list: then the counts are the only query.
        documents = (
            paginate(self.request, inaccessible_documents(), DOCUMENTS_PER_PAGE)
            if counts["inaccessible"]
            else None
        )
        return super().get_context_data(
            texts=self.object.texts_on_page(),
            page_obj=documents,
            document_counts=counts,
            **kwargs,
        )
