"""The API's error answers: JSON naming what is wrong, never an HTML page."""

from django.http import JsonResponse


def problem(status, message, parameters=None):
    response = JsonResponse(
        {"blad": message, "parametry": parameters or {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    # An error is never stored by a CDN or the page cache.
    response["Cache-Control"] = "no-store"
    return response
