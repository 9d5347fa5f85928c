"""The sections of /sitemap.xml, one sitemap (of up to 50,000 URLs a page) each."""

from accessibility.sitemaps import DocumentTextSitemap
from departments.sitemaps import DepartmentSitemap
from krakow_ngo.sitemaps import StaticPageSitemap
from meetings.sitemaps import DocumentSitemap, MeetingSitemap, RoundSitemap, YearSitemap
from organisations.sitemaps import OrganisationSitemap
from postulates.sitemaps import PostulateSitemap
from programmes.sitemaps import ProgrammeSitemap
from stats.sitemaps import StatisticsSitemap

SITEMAP_SECTIONS = {
    "strony": StaticPageSitemap,
    "lata": YearSitemap,
    "cykle": RoundSitemap,
    "spotkania": MeetingSitemap,
    "dokumenty": DocumentSitemap,
    "wersje-tekstowe": DocumentTextSitemap,
    "wydzialy": DepartmentSitemap,
    "organizacje": OrganisationSitemap,
    "programy": ProgrammeSitemap,
    "postulaty": PostulateSitemap,
    "statystyki": StatisticsSitemap,
}
