from django.urls import path, re_path

from api.middleware import NOT_FOUND_URL_NAME, missing_address
from api.views import api, versions

urlpatterns = [
    path("", versions, name="api_versions"),
    path("v1/", api.urls),
    # Any other address under /api/ answers in JSON too, not with the HTML error page.
    re_path(
        r"^.*$", lambda request, *args, **kwargs: missing_address(request), name=NOT_FOUND_URL_NAME
    ),
]
