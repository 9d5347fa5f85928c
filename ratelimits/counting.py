"""Requests counted per client in fixed windows, in a store every server process shares:
Redis, through Django's cache, when REDIS_URL is set; else the database. A count in each
process's own memory would let every gunicorn worker allow the whole limit again.

Used by the API's limit per address (api/middleware.py) and by the alerts' limit per client
(alerts/services.py). Keys hold a keyed hash, never the client's address."""

import hashlib
import hmac
import math
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection

# One request in this many deletes the database's counts of windows that have ended.
PRUNE_EVERY = 1000


@dataclass(frozen=True)
class Quota:
    """One client's standing in the current window of a limit, after this request."""

    limit: int
    taken: int
    resets_at: float  # Unix time at which the window ends

    @property
    def allowed(self):
        return self.taken <= self.limit

    @property
    def remaining(self):
        return max(0, self.limit - self.taken)

    def retry_after(self, now=None):
        """Whole seconds until the window ends (a Retry-After), at least one."""
        return max(1, math.ceil(self.resets_at - (time.time() if now is None else now)))


def client_key(scope, client):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{client}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{scope}:{digest[:32]}"


class CacheStore:
    """A key per window in the shared cache; Redis increments it atomically."""

    def __init__(self, cache=None):
        self.cache = cache or caches["default"]

    def add(self, key, period, seconds, now):
        name = f"ratelimit:{key}:{period}"
        self.cache.add(name, 0, timeout=seconds + 1)
        try:
            return self.cache.incr(name)
        except ValueError:  # evicted in between: count afresh
            self.cache.set(name, 1, timeout=seconds + 1)
            return 1


class DatabaseStore:
    """A row per client and limit, counted up by one UPSERT: the database takes concurrent
    requests one after another on the row, so none is lost, whichever process serves it."""

    def __init__(self, using=None):
        self.connection = using or connection

    def add(self, key, period, seconds, now):
        from ratelimits.models import RequestCount

        quote = self.connection.ops.quote_name
        table = quote(RequestCount._meta.db_table)
        expires_at = (period + 1) * seconds
        key_, period_, expires_, count_ = map(quote, ("key", "period", "expires_at", "count"))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} ({key_}, {period_}, {expires_}, {count_})
                VALUES (%s, %s, %s, 1)
                ON CONFLICT ({key_}) DO UPDATE SET
                    {count_} = CASE WHEN {table}.{period_} = excluded.{period_}
                        THEN {table}.{count_} + 1 ELSE 1 END,
                    {period_} = excluded.{period_},
                    {expires_} = excluded.{expires_}
                RETURNING {count_}
                """,
                [key, period, expires_at],
            )
            (taken,) = cursor.fetchone()
            if random.randrange(PRUNE_EVERY) == 0:
                cursor.execute(f"DELETE FROM {table} WHERE {expires_} < %s", [now])
        return taken


def store():
    return CacheStore() if settings.RATE_LIMIT_STORE == "cache" else DatabaseStore()


def take(scope, client, limit, now=None, counts=None):
    """Counts one request of `client` against `limit` (requests, seconds) in the shared
    store (or `counts`, a store given by a test); returns its Quota."""
    requests, seconds = limit
    now = time.time() if now is None else now
    period = int(now // seconds)
    taken = (counts or store()).add(client_key(scope, client), period, seconds, now)
    return Quota(requests, taken, (period + 1) * seconds)
