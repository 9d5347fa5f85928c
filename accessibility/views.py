from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from accessibility.models import AccessibilityStatement
from accessibility.selectors import document_counts, inaccessible_documents
from core.polish import PolishText
from core.views import BreadcrumbsMixin, paginate
from departments.models import Department
from meetings.models import people_without_basis_of_meeting, year_label, year_url
from meetings.views import DocumentLookupMixin

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
            city_contact_url=settings.CITY_CONTACT_URL,
            **kwargs,
        )


class DocumentTextView(DocumentLookupMixin, BreadcrumbsMixin, DetailView):
    """A document's HTML version, read from its file when the file was saved (or as an editor
    corrected it): the page only shows what is stored. Public exactly when the document is."""

    context_object_name = "document"
    template_name = "accessibility/document_text.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("html_version", "easy_read")
            .defer("html_version__blocks")  # the page shows them as rendered on save
            .prefetch_related(
                people_without_basis_of_meeting(),
                Prefetch(
                    "meeting__departments",
                    queryset=Department.objects.published(),
                    to_attr="public_departments",
                ),
            )
        )

    def get_object(self, queryset=None):
        document = super().get_object(queryset)
        if not document.file:
            raise Http404(_("Ten dokument nie ma jeszcze dołączonego pliku."))
        return document

    def get_breadcrumbs(self):
        document = self.object
        parent = document.parent
        return [
            (year_label(parent.year_id), year_url(parent.year_id)),
            (PolishText(parent.title), parent.get_absolute_url()),
            (PolishText(document.title), document.get_absolute_url()),
            (_("Wersja tekstowa"), None),
        ]

    def get_context_data(self, **kwargs):
        version = getattr(self.object, "html_version", None)
        check = getattr(self.object, "accessibility_check", None)
        text_html = version.html() if version else ""
        state = version.state(check) if version else ""
        if self.object.names_someone_without_basis(text_html):
            text_html, state = "", "withheld"
        return super().get_context_data(
            text_version=version,
            text_html=text_html,
            text_state=state,
            text_language=version.language(check) if version else "pl",
            **kwargs,
        )
