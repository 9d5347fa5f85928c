"""The query parameters public pages read, gathered from the forms and filter sets that read
them. The page cache (pagecache/middleware.py, through PAGE_CACHE_QUERY_PARAMETERS) stores only
pages whose query string holds nothing else: any other parameter (?utm_source=, ?fbclid=)
changes nothing a page shows, and made-up ones must not each take a place in the cache."""

from api.filters import COMMITMENTS_ONLY
from api.pagination import CURSOR, LIMIT
from core.views import PAGE_PARAMETER
from history.forms import ChangeRegisterForm
from meetings.filters import MeetingFilter
from organisations.filters import OrganisationFilter
from postulates.filters import CommitmentFilter, PostulateFilter
from search.forms import SearchForm
from stats.forms import StatisticsFilterForm

PAGE_QUERY_PARAMETERS = frozenset(
    {
        *MeetingFilter.base_filters,
        *OrganisationFilter.base_filters,
        *PostulateFilter.base_filters,
        *CommitmentFilter.base_filters,
        *SearchForm.base_fields,
        *StatisticsFilterForm.base_fields,
        *ChangeRegisterForm.base_fields,
        PAGE_PARAMETER,
        CURSOR,  # the API's pages (/api/v1/)
        COMMITMENTS_ONLY,
        LIMIT,
        "p",  # the page of a sitemap section (django.contrib.sitemaps.views.sitemap)
    }
)
