from functools import cached_property

from departments.models import Department
from krakow_ngo.sitemaps import PublicSitemap, latest_published_change
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

    @cached_property
    def latest_change(self):
        return latest_published_change(*self.counted_records)

    def lastmod(self, slug):
        return self.latest_change

    def get_latest_lastmod(self):
        return self.latest_change
