from accessibility.models import DocumentText
from krakow_ngo.sitemaps import PublishedRecordSitemap, latest_of, latest_published_change_queries
from meetings.models import Document


class DocumentTextSitemap(PublishedRecordSitemap):
    """The text version (…/tekst/) of every published document with a file, dated by the later
    of its own change (an editor's correction, OCR) and its document's."""

    model = DocumentText

    def items(self):
        public = Document.objects.published().exclude(file="").values("pk")
        return (
            self.model.objects.filter(document__in=public)
            .select_related("document__meeting", "document__round")
            .only(
                "updated_at",
                "document__slug",
                "document__file",
                "document__updated_at",
                "document__meeting__slug",
                "document__meeting__year",
                "document__round__slug",
                "document__round__year",
            )
            .order_by("pk")
        )

    def lastmod(self, version):
        return max(version.updated_at, version.document.updated_at)

    def index_queries(self):
        return {**super().index_queries(), **latest_published_change_queries(Document)}

    def get_latest_lastmod(self):
        # Its document's change shows on the text version's page too.
        return max(
            filter(None, (super().get_latest_lastmod(), latest_of(self, Document))), default=None
        )
