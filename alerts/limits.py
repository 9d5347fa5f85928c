"""Limits that keep the subscription form from being used to mail-bomb a stranger: requests
per address and per client address in a window, and a cap on unconfirmed requests per
address. Counted in the shared cache under keyed hashes, so the cache never holds an address."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches

# (requests, seconds)
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
