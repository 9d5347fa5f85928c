"""What every answer under /api/ carries whether it comes from the view, the page cache or a
304: CORS open to any site (public data, read only), and the per-address rate limit, which
counts cached answers too."""

from django.conf import settings
from django.http import HttpResponse

from api.errors import problem
from core.rate_limits import take
from krakow_ngo.client_ip import client_ip

API_PREFIX = "/api/"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link, Retry-After",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            for name, value in PREFLIGHT_HEADERS.items():
                response[name] = value
        elif wait := self.wait(request):
            response = problem(429, "Zbyt wiele zapytań z tego adresu. Spróbuj ponownie za chwilę.")
            response["Retry-After"] = str(wait)
        elif request.method == "HEAD":
            # The operations are declared for GET only; HEAD is GET without the body.
            request.method = "GET"
            response = self.get_response(request)
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        else:
            response = self.get_response(request)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    @staticmethod
    def wait(request):
        if not settings.API_RATE_LIMIT:
            return 0
        return take("api", client_ip(request), settings.API_RATE_LIMIT)
