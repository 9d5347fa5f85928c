from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from accessibility.models import AccessibilityStatement
from core.views import BreadcrumbsMixin


class StatementView(BreadcrumbsMixin, DetailView):
    context_object_name = "statement"

    def get_breadcrumbs(self):
        return [(_("Deklaracja dostępności"), None)]

    def get_object(self, queryset=None):
        return get_object_or_404(AccessibilityStatement)

    def get_context_data(self, **kwargs):
        return super().get_context_data(texts=self.object.texts_on_page(), **kwargs)
