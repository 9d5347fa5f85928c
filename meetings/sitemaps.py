from django.db.models import Max

from core.publishing import published_condition
from krakow_ngo.sitemaps import PublicSitemap, PublishedRecordSitemap
from meetings.models import ArchiveYear, Document, Meeting, Round


class YearSitemap(PublicSitemap):
    """A year's page changes with its meetings: it is dated by the latest of them."""

    def items(self):
        return (
            ArchiveYear.objects.published()
            .annotate(
                latest_meeting_change=Max(
                    "meetings__updated_at", filter=published_condition(Meeting, "meetings__")
                )
            )
            .order_by("-year")
        )

    def lastmod(self, year):
        return max(filter(None, (year.updated_at, year.latest_meeting_change)))

    def get_latest_lastmod(self):
        years = ArchiveYear.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        meetings = Meeting.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        return max(filter(None, (years, meetings)), default=None)


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
