import logging
import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin

from core.http import same_in_every_language
from core.polish import PolishText
from core.structured_data import event
from core.views import BreadcrumbsMixin, DraftPreviewMixin, FilteredListMixin, paginate
from history.cards import card_with_parts
from history.views import RecordCardMixin, WithDocumentsCardMixin
from meetings.filters import MeetingFilter
from meetings.models import ArchiveYear, year_label, year_url
from meetings.selectors import (
    adjacent_meetings,
    latest_documents,
    public_documents,
    public_meeting_detail,
    public_meetings,
    public_meetings_of,
    public_rounds,
    public_rounds_with_documents,
    public_years,
)
from postulates.selectors import listed_postulates

logger = logging.getLogger(__name__)

YEAR_PAGE_SIZE = 25
# Other meetings of its round listed on a meeting's page.
ROUND_MEETINGS_SHOWN = 12
# The City Hall's page on requesting public information that its BIP has not published.
PUBLIC_INFORMATION_REQUEST_URL = "https://www.bip.krakow.pl/?dok_id=78963"


class HomeView(ListView):
    template_name = "meetings/home.html"
    context_object_name = "years"

    def get_queryset(self):
        return public_years().order_by("-year")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds_by_year = {}
        for round_ in public_rounds():
            rounds_by_year.setdefault(round_.year_id, []).append(round_)
        for year in context["years"]:
            year.public_rounds = rounds_by_year.get(year.year, [])
        context["latest_documents"] = latest_documents(8)
        return context


class MeetingListSource:
    """What the meeting list shows before its filters, and the filters themselves: one
    definition for the page and for its CSV and JSON exports (opendata)."""

    filterset_class = MeetingFilter

    def base_queryset(self):
        return public_meetings()


class MeetingListView(MeetingListSource, FilteredListMixin, BreadcrumbsMixin, ListView):
    """Every public meeting, newest year first, narrowed by the filters in the URL."""

    template_name = "meetings/meeting_list.html"
    per_page = 50

    def get_breadcrumbs(self):
        return [(_("Spotkania"), None)]


class YearDetailView(BreadcrumbsMixin, DetailView):
    """A year's rounds with their positions, then its meetings grouped by round, by date."""

    template_name = "meetings/year_detail.html"
    context_object_name = "archive_year"

    def get_object(self, queryset=None):
        return get_object_or_404(ArchiveYear.objects.published(), year=self.kwargs["year"])

    def get_breadcrumbs(self):
        return [(year_label(self.object.year), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = public_meetings_of(self.object).grouped_by_public_round()
        context["page_obj"] = paginate(self.request, meetings, YEAR_PAGE_SIZE)
        context["rounds"] = public_rounds_with_documents().filter(year=self.object)
        return context


class MeetingDetailView(WithDocumentsCardMixin, DraftPreviewMixin, BreadcrumbsMixin, DetailView):
    context_object_name = "meeting"

    def get_queryset(self):
        meetings = public_meeting_detail(self.preview_for).select_related("easy_read")
        return meetings.filter(year=self.kwargs["year"])

    def get_structured_data(self):
        return [event(self.request, self.object)]

    def get_breadcrumbs(self):
        meeting = self.object
        crumbs = [(year_label(meeting.year_id), year_url(meeting.year_id))]
        if meeting.round and meeting.round.is_public:
            crumbs.append((PolishText(meeting.round.title), meeting.round.get_absolute_url()))
        return [*crumbs, (PolishText(meeting.title), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        context["postulates"] = listed_postulates(self.preview_for).filter(meeting=meeting)
        context["previous_meeting"], context["next_meeting"] = adjacent_meetings(meeting)
        if meeting.round and meeting.round.is_public:
            # A few, then a link to the round's page: a round of hundreds of meetings would
            # otherwise repeat them all on each of its meetings' pages.
            others = public_meetings().filter(round=meeting.round).exclude(pk=meeting.pk)
            shown = list(others[: ROUND_MEETINGS_SHOWN + 1])
            context["round_meetings"] = shown[:ROUND_MEETINGS_SHOWN]
            context["more_round_meetings"] = len(shown) > ROUND_MEETINGS_SHOWN
        return context


class RoundDetailView(WithDocumentsCardMixin, DraftPreviewMixin, BreadcrumbsMixin, DetailView):
    context_object_name = "round"

    def get_queryset(self):
        rounds = public_rounds_with_documents(self.preview_for).with_meeting_count()
        return rounds.filter(year=self.kwargs["year"])

    def get_breadcrumbs(self):
        return [
            (year_label(self.object.year_id), year_url(self.object.year_id)),
            (PolishText(self.object.title), None),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = paginate(
            self.request, public_meetings().filter(round=self.object), YEAR_PAGE_SIZE
        )
        context["postulates"] = listed_postulates(self.preview_for).filter(
            round=self.object, meeting=None
        )
        return context


class DocumentLookupMixin(DraftPreviewMixin):
    """Finds a document under its parent (a meeting or a round) by year and slugs."""

    parent_field = ""  # "meeting" or "round"

    def get_queryset(self):
        return (
            public_documents(self.preview_for)
            .select_related("meeting", "round", "accessibility_check")
            .filter(
                **{
                    f"{self.parent_field}__year": self.kwargs["year"],
                    f"{self.parent_field}__slug": self.kwargs["parent_slug"],
                }
            )
        )


class DocumentDetailView(RecordCardMixin, DocumentLookupMixin, BreadcrumbsMixin, DetailView):
    record_type = "DigitalDocument"
    context_object_name = "document"
    template_name = "meetings/document_detail.html"
    extra_context = {"public_information_request_url": PUBLIC_INFORMATION_REQUEST_URL}

    def get_queryset(self):
        # The text version only as a key to its changes (the register below): not its text.
        return (
            super()
            .get_queryset()
            .select_related("easy_read", "html_version")
            .defer(
                *(
                    f"html_version__{name}"
                    for name in ("blocks", "rendered", "corrected_html", "corrected_rendered")
                )
            )
        )

    @cached_property
    def record_history(self):
        # The text version's corrections are changes of this page too.
        return card_with_parts(self.object, [getattr(self.object, "html_version", None)])

    def get_breadcrumbs(self):
        parent = self.object.parent
        return [
            (year_label(parent.year_id), year_url(parent.year_id)),
            (PolishText(parent.title), parent.get_absolute_url()),
            (PolishText(self.object.title), None),
        ]


class DocumentDownloadView(DocumentLookupMixin, SingleObjectMixin, View):
    """Serves the attached file with its real content type and a safe, predictable name, as an
    attachment: an uploaded file is saved, never opened by the browser in the site's origin."""

    def get(self, request, *args, **kwargs):
        document = self.get_object()
        if not document.file:
            raise Http404(_("Ten dokument nie ma jeszcze dołączonego pliku."))
        if document.file_withdrawn:
            raise Http404(_("Plik wycofano z pobierania: zawierał usunięte dane osobowe."))
        extension = document.file_format.lower()
        content_type = mimetypes.guess_type(f"document.{extension}")[0]
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            # Listed, but gone from storage (a restore without the media folder): the
            # operators must hear of it; the reader gets a page that says so, not a 500.
            logger.error(
                "Document %s: its file %s is missing from storage.", document.pk, document.file.name
            )
            raise Http404(
                _(
                    "Pliku tego dokumentu brak w tej chwili w archiwum. Zgłosiliśmy to administratorom."
                )
            ) from None
        response = FileResponse(
            handle,
            content_type=content_type or "application/octet-stream",
            as_attachment=True,
            filename=f"{document.slug}.{extension}" if extension else document.slug,
        )
        if self.preview:
            response["Cache-Control"] = "private, no-store"
        return same_in_every_language(response)
