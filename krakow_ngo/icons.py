"""The icons browsers and phones ask for at the site's root, whatever the page links."""

from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView


class StaticFileRedirect(RedirectView):
    # Temporary: the static address carries the file's hash, which changes with the file.
    permanent = False
    static_path = ""

    def get_redirect_url(self, *args, **kwargs):
        return static(self.static_path)


urlpatterns = [
    path("favicon.ico", StaticFileRedirect.as_view(static_path="icons/favicon.ico")),
    path(
        "apple-touch-icon.png",
        StaticFileRedirect.as_view(static_path="icons/apple-touch-icon.png"),
    ),
]
