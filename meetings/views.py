import mimetypes

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import DetailView, ListView

from meetings.models import ArchiveYear, Round
from meetings.selectors import public_documents, public_meeting_detail, public_meetings
from postulates.selectors import public_postulates


class HomeView(ListView):
    template_name = "meetings/home.html"
    context_object_name = "years"

    def get_queryset(self):
        return ArchiveYear.objects.published().order_by("-year")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings_by_year = {}
        for meeting in public_meetings():
            meetings_by_year.setdefault(meeting.year_id, []).append(meeting)
        context["year_sections"] = [
            (year, meetings_by_year.get(year.year, [])) for year in context["years"]
        ]
        return context


class YearDetailView(DetailView):
    template_name = "meetings/year_detail.html"
    context_object_name = "archive_year"

    def get_object(self, queryset=None):
        return get_object_or_404(ArchiveYear.objects.published(), year=self.kwargs["year"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = public_meetings().filter(year=self.object)
        context["rounds"] = (
            Round.objects.published()
            .filter(year=self.object)
            .select_related("programme")
            .prefetch_related(Prefetch("documents", queryset=public_documents()))
        )
        return context


class MeetingDetailView(DetailView):
    context_object_name = "meeting"

    def get_queryset(self):
        return public_meeting_detail().filter(year=self.kwargs["year"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["postulates"] = public_postulates().filter(meeting=self.object)
        return context


class RoundDetailView(DetailView):
    context_object_name = "round"

    def get_queryset(self):
        return (
            Round.objects.published()
            .filter(year=self.kwargs["year"])
            .select_related("programme", "coordinator")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = public_meetings().filter(round=self.object)
        context["documents"] = public_documents().filter(round=self.object)
        return context


class DocumentLookupMixin:
    """Finds a public document by its parent's year and slug, then its own slug."""

    parent_field = ""  # "meeting" or "round"

    def get_object(self, queryset=None):
        return get_object_or_404(
            public_documents().select_related("meeting", "round"),
            **{
                f"{self.parent_field}__year": self.kwargs["year"],
                f"{self.parent_field}__slug": self.kwargs["parent_slug"],
                "slug": self.kwargs["slug"],
            },
        )


class DocumentDetailView(DocumentLookupMixin, DetailView):
    context_object_name = "document"
    template_name = "meetings/document_detail.html"


class DocumentDownloadView(DocumentLookupMixin, View):
    """Serves the attached file with its real content type and a safe, predictable name."""

    def get(self, request, *args, **kwargs):
        document = self.get_object()
        if not document.file:
            raise Http404("Ten dokument nie ma jeszcze dołączonego pliku.")
        extension = document.file_format.lower()
        content_type = mimetypes.guess_type(f"document.{extension}")[0]
        return FileResponse(
            document.file.open("rb"),
            content_type=content_type or "application/octet-stream",
            filename=f"{document.slug}.{extension}" if extension else document.slug,
        )
