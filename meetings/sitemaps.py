from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery

from core.scalars import RowCount
from krakow_ngo.sitemaps import (
    PublicSitemap,
    PublishedRecordSitemap,
    latest_of,
    latest_published_change_queries,
)
from meetings.models import ArchiveYear, Document, Meeting, Round


class YearSitemap(PublicSitemap):
    """A year's page changes with its meetings: it is dated by the latest of them."""

    def items(self):
        latest_meeting = Meeting.objects.published().filter(year=OuterRef("pk"))
        return (
            ArchiveYear.objects.published()
            .annotate(
                latest_meeting_change=Subquery(
                    latest_meeting.order_by("-updated_at").values("updated_at")[:1]
                )
            )
            .order_by("-year")
        )

    def lastmod(self, year):
        return max(filter(None, (year.updated_at, year.latest_meeting_change)))

    def index_queries(self):
        return {
            **latest_published_change_queries(ArchiveYear, Meeting),
            "count:meetings.archiveyear": RowCount(ArchiveYear.objects.published()),
        }

    def get_latest_lastmod(self):
        return latest_of(self, ArchiveYear, Meeting)

    def page_count(self):
        # What the paginator of every year in every language counts, without reading them.
        years = self.value("count:meetings.archiveyear")
        return Paginator(range(years * len(self.languages)), self.limit).num_pages


class MeetingSitemap(PublishedRecordSitemap):
    model = Meeting

    def items(self):
        return super().items().only("year", "slug", "updated_at")


class RoundSitemap(PublishedRecordSitemap):
    model = Round

    def items(self):
        return super().items().only("year", "slug", "updated_at")


class DocumentSitemap(PublishedRecordSitemap):
    model = Document

    def items(self):
        # A document's URL hangs under its meeting's or round's.
        return (
            super()
            .items()
            .select_related("meeting", "round")
            .only(
                "slug",
                "updated_at",
                "meeting__slug",
                "meeting__year",
                "round__slug",
                "round__year",
            )
        )
