from departments.models import Department
from krakow_ngo.sitemaps import PublicSitemap, latest_of, latest_published_change_queries
from meetings.models import Meeting
from postulates.models import Position, Postulate
from programmes.models import Programme
from stats.dimensions import DIMENSIONS, statistics_url


class StatisticsSitemap(PublicSitemap):
    """The overview and each dimension's page (unfiltered), dated by the latest change among
    the published records their numbers come from."""

    counted_records = (Postulate, Position, Meeting, Department, Programme)

    def items(self):
        return list(DIMENSIONS)

    def location(self, slug):
        return statistics_url(DIMENSIONS[slug])

    def index_queries(self):
        return latest_published_change_queries(*self.counted_records)

    def lastmod(self, slug):
        return self.get_latest_lastmod()

    def get_latest_lastmod(self):
        return latest_of(self, *self.counted_records)
