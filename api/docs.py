"""The API's documentation page: generated from the same resources, filters and pagination
the API serves, so the page cannot describe an address or parameter that does not exist."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from api import pagination
from api.openapi import slug_example, slug_filters
from api.resources import RESOURCES
from api.statistics import category_codes
from api.views import api
from core.absolute_urls import absolute_url
from core.views import BreadcrumbsMixin


def filters_of(resource):
    if not resource.filterset_class:
        return []
    return [
        (name, filter_.label, filter_.extra.get("max_length"))
        for name, filter_ in resource.filterset_class.base_filters.items()
    ]


class ApiDocsView(BreadcrumbsMixin, TemplateView):
    template_name = "api/docs.html"

    def get_breadcrumbs(self):
        return [(_("Otwarte dane"), reverse("opendata_page:index")), (_("API"), None)]

    def get_context_data(self, **kwargs):
        base = absolute_url("/api/v1/")
        requests, seconds = settings.API_RATE_LIMIT or (None, None)
        return super().get_context_data(
            base=base,
            data_url=reverse("opendata_page:index"),
            openapi_url=absolute_url(reverse(f"{api.urls_namespace}:openapi-json")),
            resources=[
                {
                    "resource": resource,
                    "list_url": f"{base}{resource.name}/",
                    "anchor": resource.file.name,
                    "filters": filters_of(resource),
                }
                for resource in RESOURCES
            ],
            department_example=slug_example(slug_filters()["wydzial"]),
            category_codes=category_codes(),
            default_limit=pagination.DEFAULT_LIMIT,
            max_limit=pagination.MAX_LIMIT,
            rate_requests=requests,
            rate_seconds=seconds,
            **kwargs,
        )
