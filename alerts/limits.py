"""Limits that keep the subscription form from being used to mail-bomb a stranger: requests
per client address in a window, counted in the shared cache under keyed hashes (the cache never
holds an address; set REDIS_URL so that every server process shares the count), and per
e-mail address: confirmations sent in a window and unconfirmed requests at once, counted from
the database by alerts.services (one count for every process)."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches

# (requests, seconds); PER_ADDRESS counts confirmation messages sent to one address.
PER_ADDRESS = (5, 24 * 3600)
PER_CLIENT = (20, 3600)
# Unconfirmed requests one address may have at once; each has sent a message.
MAX_PENDING_PER_ADDRESS = 3


def _key(scope, value):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{value}".encode(), hashlib.sha256
    ).hexdigest()
    return f"alerts:limit:{scope}:{digest[:32]}"


def take(scope, value, limit):
    """Counts one request for `value`; False once more than `limit` came within the window."""
    count, seconds = limit
    cache = caches["default"]
    key = _key(scope, value)
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key) <= count
    except ValueError:  # expired in between: a new window starts
        cache.set(key, 1, timeout=seconds)
        return True
