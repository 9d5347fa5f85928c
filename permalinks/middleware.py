from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.utils.translation import get_language_from_path

from permalinks.models import MovedPage


class MovedPageRedirectMiddleware:
    """Answers a 404 at an address a page had before a rename with a 301 to where it is now.

    It only looks at responses that are already 404, so a live page at an address always wins
    over an old redirect, and pages that exist cost no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        new_url = self.current_url(request.path_info)
        if new_url is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{new_url}?{query}" if query else new_url)

    @staticmethod
    def current_url(path):
        """Old addresses are recorded once, unprefixed (Polish): /en/<old> is looked up as
        <old>, and the current address comes in the request's language (LocaleMiddleware has
        activated it), so it answers with the English version of the page."""
        if "\x00" in path:
            return None  # no address ever had one (and PostgreSQL text cannot hold it)
        language = get_language_from_path(path)
        if language and language != settings.LANGUAGE_CODE:
            path = path.removeprefix(f"/{language}")
        return MovedPage.objects.current_url(path)
