from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.views.generic import TemplateView

from core.absolute_urls import absolute_url

# Pages for one visitor, not for an index, in every language: search results (endless
# combinations of words) and the email alerts' forms (one per page of the archive). Both also
# say noindex themselves.
CLOSED_TO_CRAWLERS = ("search:results", "alerts:archive")


def closed_paths():
    """The folders of CLOSED_TO_CRAWLERS' pages in each language ("/szukaj/", "/en/szukaj/")."""
    paths = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name in CLOSED_TO_CRAWLERS:
                path = reverse(name)
                if name.startswith("alerts:"):  # the app's folder, not the one page
                    path = path.rstrip("/").rsplit("/", 1)[0] + "/"
                paths.append(path)
    return paths


class RobotsTxtView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        sitemap_url = absolute_url(reverse("sitemap"))
        return super().get_context_data(
            sitemap_url=sitemap_url, closed_paths=closed_paths(), **kwargs
        )
