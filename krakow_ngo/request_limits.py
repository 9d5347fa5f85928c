"""Requests too big to serve, refused by the app in the archive's own words: a request line
(method, address, protocol), header fields too many, one too long or all too long together
get 414 or 431, as JSON in
the API's error shape under /api/ and as a page in the address's language elsewhere.

The servers in front are set to let through more than these limits (gunicorn.conf.py,
deploy/nginx/archiwum-ngo.conf), so it is this middleware that answers, never gunicorn's own
English HTML error pages; nginx's own refusals (past its buffers) come back in the same two
shapes from its site file."""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.utils import translation

from api.errors import problem
from api.middleware import API_PREFIX

# Header fields the WSGI environ holds outside HTTP_*.
UNPREFIXED_HEADERS = ("CONTENT_TYPE", "CONTENT_LENGTH")


def request_line_length(request):
    target = request.META.get("RAW_URI") or request.get_full_path()
    protocol = request.META.get("SERVER_PROTOCOL", "HTTP/1.1")
    return len(request.method) + len(target) + len(protocol) + 2


def header_fields(request):
    """(name, value) of each header field as the client sent it (names as WSGI gives them)."""
    for key, value in request.META.items():
        if key.startswith("HTTP_"):
            yield key[5:].replace("_", "-"), value
        elif key in UNPREFIXED_HEADERS and value:
            yield key.replace("_", "-"), value


def header_problem(request):
    """Why the header fields are too large, or None."""
    fields = list(header_fields(request))
    if len(fields) > settings.REQUEST_HEADER_FIELDS_MAX:
        return (
            f"Zapytanie ma za dużo nagłówków: {len(fields)}, "
            f"a archiwum przyjmuje najwyżej {settings.REQUEST_HEADER_FIELDS_MAX}."
        )
    sizes = [(name, len(name) + 2 + len(str(value))) for name, value in fields]
    for name, size in sizes:
        if size > settings.REQUEST_HEADER_FIELD_MAX:
            return (
                f"Nagłówek {name.title()} jest za długi: archiwum przyjmuje nagłówki "
                f"do {settings.REQUEST_HEADER_FIELD_MAX} znaków."
            )
    total = sum(size for _name, size in sizes)
    if total > settings.REQUEST_HEADERS_TOTAL_MAX:
        return (
            f"Nagłówki zapytania są razem za długie: {total} znaków, a archiwum przyjmuje "
            f"najwyżej {settings.REQUEST_HEADERS_TOTAL_MAX}."
        )
    return None


def refused(request, status, message):
    if request.path.startswith(API_PREFIX):
        response = problem(status, message)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    # Rendered without a request context: nothing of the request is worth reading further.
    # The locale middleware has not run yet: the page takes its language from the address, and
    # the detailed reason (in Polish) only on Polish pages.
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        body = loader.get_template("request_too_large.html").render(
            {"status": status, "message": message if language == settings.LANGUAGE_CODE else ""}
        )
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_line_length(request) > settings.REQUEST_LINE_MAX:
            return refused(
                request,
                414,
                f"Adres zapytania jest za długi: archiwum przyjmuje adresy do "
                f"{settings.REQUEST_LINE_MAX} znaków. Skróć zapytanie (mniej lub krótsze "
                "parametry).",
            )
        if message := header_problem(request):
            return refused(request, 431, message)
        return self.get_response(request)
