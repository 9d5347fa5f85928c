"""The site's content generation: a token that changes whenever anything public may have
changed. Cached pages and their ETags are derived from it, so a conditional request is
answered from one read of the token, and one write invalidates every cached page at once.

The token lives where every app server sees it: in Redis when the cache is Redis, otherwise
in one database row (a primary-key read per request). A per-process copy would let workers
serve pages that another worker's save has made stale.

A generation also ends by itself when the site changes without anyone saving: at the next
scheduled publication (a `published_at` in the future) and at local midnight (pages compare
dates with today, e.g. overdue commitments)."""

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.utils import timezone

from krakow_ngo.publishing import Publishable

logger = logging.getLogger(__name__)

CACHE_KEY = "pagecache:generation"
# When the next scheduled publication cannot be read (the database is down), look again soon.
RETRY_AFTER_DB_ERROR = datetime.timedelta(seconds=30)


@dataclass(frozen=True)
class Generation:
    token: str
    valid_until: datetime.datetime | None  # None: a save ended the last one; not yet known

    def is_current(self, now):
        return self.valid_until is not None and now < self.valid_until


def next_local_midnight(now):
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def next_scheduled_publication(now):
    """The earliest future `published_at` of any publishable record, or None."""
    times = [
        model._default_manager.filter(published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
        for model in apps.get_models()
        if issubclass(model, Publishable)
    ]
    return min(filter(None, times), default=None)


def _end_of(now):
    scheduled = next_scheduled_publication(now)
    midnight = next_local_midnight(now)
    return midnight if scheduled is None else min(midnight, scheduled)


class DatabaseStore:
    """One row, read by primary key."""

    def read(self):
        from pagecache.models import ContentGeneration

        row = ContentGeneration.objects.filter(pk=1).values("token", "valid_until").first()
        return None if row is None else Generation(**row)

    def write(self, generation):
        from pagecache.models import ContentGeneration

        ContentGeneration.objects.update_or_create(
            pk=1, defaults={"token": generation.token, "valid_until": generation.valid_until}
        )


class CacheStore:
    """A key in the shared cache (Redis), so a check costs no SQL at all."""

    def read(self):
        return caches["default"].get(CACHE_KEY)

    def write(self, generation):
        caches["default"].set(CACHE_KEY, generation, timeout=None)


def store():
    return CacheStore() if settings.PAGE_CACHE_SHARED else DatabaseStore()


# The last generation this process saw: with the database down, its pages are still served.
_last_seen = None


def last_seen_generation():
    return _last_seen


def current_generation():
    """The generation in force, starting a new one when a save or the clock ended the last."""
    global _last_seen
    now = timezone.now()
    generation = store().read()
    if generation is None or not generation.is_current(now):
        expired = generation is None or (
            generation.valid_until is not None and now >= generation.valid_until
        )
        token = secrets.token_hex(8) if expired else generation.token
        try:
            valid_until = _end_of(now)
        except DatabaseError:
            logger.warning("Page cache: next scheduled publication unknown (database error).")
            valid_until = now + RETRY_AFTER_DB_ERROR
        generation = Generation(token, valid_until)
        store().write(generation)
    _last_seen = generation
    return generation


def invalidate():
    """Start a new generation: every cached page and every ETag handed out becomes stale."""
    store().write(Generation(secrets.token_hex(8), None))


def invalidate_on_commit():
    """Invalidate once the current transaction commits (at once outside a transaction), so
    no request can cache, under the new token, a page rendered before the change was visible.
    """
    connection = transaction.get_connection()
    # One invalidation per transaction level is enough (an import saves hundreds of rows). A
    # callback of an enclosing level is not: if this savepoint rolls back it goes too.
    level = set(connection.savepoint_ids)
    if any(
        callback is invalidate and sids == level
        for sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(invalidate)
