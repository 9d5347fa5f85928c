from django.urls import path, re_path

from api.errors import problem
from api.views import api


def not_found(request, *args, **kwargs):
    return problem(404, "Nie ma takiego adresu w API. Spis adresów: /api/v1/openapi.json.")


urlpatterns = [
    path("v1/", api.urls),
    # Any other address under /api/ answers in JSON too, not with the HTML error page.
    re_path(r"^.*$", not_found, name="api_not_found"),
]
