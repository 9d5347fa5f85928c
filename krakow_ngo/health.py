"""A health check for load balancers: 200 when the database and the cache answer, 503 with
the failing part named otherwise. Never cached, never indexed, no personal data."""

import logging
import uuid

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure is reported, not raised: this is the check's answer
        logger.exception("Health check: database unavailable")
        return "error"
    return "ok"


def cache_state():
    cache = caches["default"]
    # A key of its own: servers sharing Redis probe at the same moment.
    value = uuid.uuid4().hex
    key = f"health:probe:{value}"
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception:
        logger.exception("Health check: cache unavailable")
        return "error"
    return "ok" if ok else "error"


@require_safe
@never_cache
def health(request):
    checks = {"database": database_state(), "cache": cache_state()}
    healthy = all(state == "ok" for state in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "error", **checks})
    response.status_code = 200 if healthy else 503
    response["X-Robots-Tag"] = "noindex"
    return response
