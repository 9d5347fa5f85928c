from krakow_ngo.sitemaps import PublishedRecordSitemap
from programmes.models import Programme


class ProgrammeSitemap(PublishedRecordSitemap):
    model = Programme
