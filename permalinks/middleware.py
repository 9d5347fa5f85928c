from django.http import HttpResponsePermanentRedirect

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
        new_url = MovedPage.objects.current_url(request.path)
        if new_url is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{new_url}?{query}" if query else new_url)
