"""Server errors as visitors should see them. When the database is unreachable the archive is
temporarily unavailable rather than broken: a Polish 503 page that asks to come back, which
search engines and load balancers treat as temporary. The connection is re-established on a
later request by itself (CONN_HEALTH_CHECKS), so nothing has to be restarted."""

import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views import defaults

from api.errors import problem
from api.middleware import API_PREFIX

# Seconds a client (or a crawler) should wait before trying again.
RETRY_AFTER = "60"


def database_unavailable(exception):
    # Integrity and data errors are bugs (a 500); a lost or refused connection is an outage.
    return isinstance(exception, OperationalError | InterfaceError)


def in_api(request):
    # The API answers machines: its errors are JSON in its own shape (api/errors.py).
    return request.path.startswith(API_PREFIX)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    exception = sys.exc_info()[1]
    if exception is not None and database_unavailable(exception):
        return service_unavailable(request)
    if in_api(request):
        return problem(500, "Błąd serwera. Zgłosiliśmy go; spróbuj ponownie później.")
    return defaults.server_error(request, template_name)


def service_unavailable(request):
    if in_api(request):
        response = problem(503, "Archiwum jest chwilowo niedostępne. Spróbuj ponownie za minutę.")
        response["Retry-After"] = RETRY_AFTER
        return response
    # Rendered without a request context: context processors may need the database.
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception):
    """A request Django refused before any view ran. A form too big to accept (a meeting
    page with very many postulates) must say so: the editor's changes were not saved, and
    going back in the browser keeps what they typed."""
    if in_api(request):
        return problem(400, "Nieprawidłowe zapytanie.")
    too_big = request.method == "POST" and isinstance(
        exception, TooManyFieldsSent | RequestDataTooBig
    )
    body = loader.get_template("400.html").render({"form_too_big": too_big})
    response = HttpResponse(body, status=400)
    response["Cache-Control"] = "no-store"
    return response


def in_admin(request):
    return request.path.startswith(reverse("admin:index"))


def permission_denied(request, exception):
    """Access refused (an editor on a coordinator's page): in Polish, with the way back to
    where they can work."""
    return render(request, "403.html", {"in_admin": in_admin(request)}, status=403)


def csrf_failure(request, reason=""):
    """A form sent with a token the session no longer accepts: mostly a new login in another
    tab, or the session expired. Nothing was saved; what was typed is usually still there."""
    response = render(request, "403_csrf.html", {"in_admin": in_admin(request)}, status=403)
    response["Cache-Control"] = "no-store"
    return response
