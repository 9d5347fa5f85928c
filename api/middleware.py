"""What every answer under /api/ carries whether it comes from the view, the page cache or a
304: CORS open to any site (public data, read only), the per-address rate limit, which
counts cached answers too and tells its state in X-RateLimit-* headers, and no Vary:
Accept-Language (the same answer in every language). Their Cache-Control is the pages' own
(pagecache.middleware.PageCacheMiddleware.set_cache_control, DJANGO_CDN_MAX_AGE).

The API only reads. A request with any other method is answered here, before the session,
CSRF and the views: 405 with the methods the address takes, or 404 at an address that does not
exist, in the API's JSON error shape. So no write reaches a view, and no HTML CSRF page is ever
sent from /api/ (the API needs no CSRF protection: it changes nothing and reads no cookie).

Nor does it read cookies: they are taken off every request under /api/ before the session,
CSRF and page-cache middleware see them. An editor's browser (session and CSRF cookies) then
gets the same anonymous, public and cacheable answer as anyone, with no Set-Cookie and no
Vary: Cookie: nothing under /api/ can load, renew or end a session."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re

from api.errors import moved_to, problem
from krakow_ngo.client_ip import client_ip
from ratelimits.counting import take

API_PREFIX = "/api/"
# /api typed without its slash is the API's too: answered in JSON, and it never sets a cookie.
API_ROOT = "/api"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# The catch-all of api/urls.py: an address under /api/ that names nothing.
NOT_FOUND_URL_NAME = "api_not_found"
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": ", ".join(
        ("ETag", "Link", "Retry-After", *RATE_LIMIT_HEADERS)
    ),
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": ALLOWED_METHODS,
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def is_api(request):
    return request.path_info == API_ROOT or request.path_info.startswith(API_PREFIX)


def exists(request):
    try:
        return resolve(request.path_info).url_name != NOT_FOUND_URL_NAME
    except Resolver404:  # /api, outside api/urls.py
        return False


def not_found():
    return problem(404, "Nie ma takiego adresu w API. Spis adresów: /api/v1/openapi.json.")


def method_not_allowed(request):
    response = problem(
        405,
        f"API tylko udostępnia dane: pod tym adresem działają metody {ALLOWED_METHODS}, "
        f"nie {request.method}.",
    )
    response["Allow"] = ALLOWED_METHODS
    return response


def repeated_parameters(request):
    """A parameter given twice (?limit=10&limit=20) has no one meaning: every parameter of the
    API takes one value, so the answer names each repeated one rather than pick a value."""
    repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
    if not repeated:
        return None
    return problem(
        400,
        "Nieprawidłowe parametry zapytania.",
        {name: ["Parametr podano więcej niż raz; podaj jedną wartość."] for name in repeated},
    )


def preflight():
    response = HttpResponse(status=204)
    del response["Content-Type"]  # no body, so no type of one
    for name, value in PREFLIGHT_HEADERS.items():
        response[name] = value
    response["Allow"] = ALLOWED_METHODS
    return response


def missing_address(request):
    """The catch-all's answer: an address typed without its final slash (as the HTML site
    does) is moved to the address with it, in JSON and absolute; anything else is not
    found."""
    if not request.path_info.endswith("/"):
        with_slash = f"{request.path_info}/"
        try:
            named = resolve(with_slash).url_name
        except Resolver404:
            named = NOT_FOUND_URL_NAME
        if with_slash == API_PREFIX or named != NOT_FOUND_URL_NAME:
            return moved_to(f"{request.path}/", request.META.get("QUERY_STRING", ""))
    return not_found()


def without_language_vary(response):
    """No answer under /api/ depends on the reader's language (its words are Polish whatever
    Accept-Language says), so LocaleMiddleware's Vary: Accept-Language would only make every
    cache keep one copy per browser language. Taken off here, outside the page cache, so its
    stored pages and its 304s lose it too."""
    kept = [
        name
        for name in cc_delim_re.split(response.get("Vary", ""))
        if name and name.lower() != "accept-language"
    ]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif response.has_header("Vary"):
        del response["Vary"]


def without_cookies(request):
    request.META.pop("HTTP_COOKIE", None)
    request.COOKIES = {}


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            return self.get_response(request)
        without_cookies(request)
        quota = None
        if request.method == "OPTIONS":
            response = preflight() if exists(request) else not_found()
        elif (quota := self.count(request)) and not quota.allowed:
            response = problem(429, "Zbyt wiele zapytań z tego adresu. Spróbuj ponownie za chwilę.")
            response["Retry-After"] = str(quota.retry_after())
        elif request.method not in ("GET", "HEAD"):
            response = method_not_allowed(request) if exists(request) else not_found()
        elif request.method == "HEAD":
            # The operations are declared for GET only; HEAD is GET without the body.
            request.method = "GET"
            response = self.read(request)
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        else:
            response = self.read(request)
        without_language_vary(response)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        if quota:
            response["X-RateLimit-Limit"] = str(quota.limit)
            response["X-RateLimit-Remaining"] = str(quota.remaining)
            response["X-RateLimit-Reset"] = str(int(quota.resets_at))
        return response

    def read(self, request):
        if request.path_info == API_ROOT:
            return missing_address(request)
        return repeated_parameters(request) or self.get_response(request)

    @staticmethod
    def count(request):
        if not settings.API_RATE_LIMIT:
            return None
        return take("api", client_ip(request), settings.API_RATE_LIMIT)
