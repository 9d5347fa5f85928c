"""Requests counted per client in fixed windows of the shared cache, so every app server
counts together. Keys hold a keyed hash, never the client's address."""

import hashlib
import hmac
import math
import time

from django.conf import settings
from django.core.cache import caches


def _key(scope, client, window):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{client}".encode(), hashlib.sha256
    ).hexdigest()
    return f"ratelimit:{scope}:{window}:{digest[:32]}"


def take(scope, client, limit):
    """Counts one request of `client`; returns 0 while within `limit` (requests, seconds),
    else the seconds until its window ends (a Retry-After)."""
    count, seconds = limit
    now = time.time()
    window = int(now // seconds)
    cache = caches["default"]
    key = _key(scope, client, window)
    cache.add(key, 0, timeout=seconds + 1)
    try:
        taken = cache.incr(key)
    except ValueError:  # evicted in between: count afresh
        cache.set(key, 1, timeout=seconds + 1)
        taken = 1
    if taken <= count:
        return 0
    return max(1, math.ceil((window + 1) * seconds - now))
