"""The API's error and redirect answers: JSON naming what is wrong or where to go, never an
HTML page."""

from django.http import HttpResponse, JsonResponse

from core.absolute_urls import absolute_url
from core.streaming import dumps


def problem(status, message, parameters=None):
    response = JsonResponse(
        {"blad": message, "parametry": parameters or {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    # An error is never stored by a CDN or the page cache.
    response["Cache-Control"] = "no-store"
    return response


def moved_to(path, query=""):
    """A permanent redirect to `path` on the site's one origin (core/absolute_urls.py), with
    the new address in the body too: every answer under /api/ is JSON, and a client that
    stores the address it was sent to stores the canonical one."""
    url = absolute_url(path) + (f"?{query}" if query else "")
    response = HttpResponse(dumps({"adres": url}), content_type="application/json", status=301)
    response["Location"] = url
    return response
