from krakow_ngo.sitemaps import PublishedRecordSitemap
from organisations.models import Organisation


class OrganisationSitemap(PublishedRecordSitemap):
    model = Organisation
