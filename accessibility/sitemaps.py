from accessibility.models import DocumentText
from krakow_ngo.sitemaps import PublishedRecordSitemap, latest_change, latest_published_change
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

    def get_latest_lastmod(self):
        changes = (latest_change(self.items()), latest_published_change(Document))
        return max(filter(None, changes), default=None)
