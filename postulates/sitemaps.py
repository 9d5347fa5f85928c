from krakow_ngo.sitemaps import PublishedRecordSitemap
from postulates.models import Postulate


class PostulateSitemap(PublishedRecordSitemap):
    model = Postulate

    def items(self):
        # Its URL is its number in the database; the content is not needed.
        return super().items().only("updated_at")
