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
import time
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.utils import timezone

from core.publishing import Publishable

logger = logging.getLogger(__name__)

CACHE_KEY = "pagecache:generation"
# When the next scheduled publication cannot be read (the database is down), look again soon.
RETRY_AFTER_DB_ERROR = datetime.timedelta(seconds=30)


@dataclass(frozen=True)
class Generation:
    token: str
    valid_until: datetime.datetime

    def is_current(self, now):
        return now < self.valid_until


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
    """One row, read by primary key: the token and the end its readers worked out for it."""

    def read(self):
        from pagecache.models import ContentGeneration

        row = ContentGeneration.objects.filter(pk=1).values_list("token", "valid_until").first()
        if row is None:
            ContentGeneration.objects.get_or_create(pk=1, defaults={"token": new_token()})
            row = ContentGeneration.objects.values_list("token", "valid_until").get(pk=1)
        return row

    def replace_token(self, token):
        from pagecache.models import ContentGeneration

        ContentGeneration.objects.update_or_create(
            pk=1, defaults={"token": token, "valid_until": None}
        )

    def set_valid_until(self, token, valid_until):
        from pagecache.models import ContentGeneration

        # Only for the token it was worked out for: a save that replaced the token meanwhile
        # must not be undone by a reader that started before it.
        ContentGeneration.objects.filter(pk=1, token=token).update(valid_until=valid_until)


class CacheStore:
    """Keys in the shared cache (Redis), so a check costs no SQL at all."""

    def read(self):
        cache = caches["default"]
        token = cache.get(CACHE_KEY)
        if token is None:
            cache.add(CACHE_KEY, new_token(), timeout=None)  # the first reader's wins
            token = cache.get(CACHE_KEY)
        return token, cache.get(f"{CACHE_KEY}:until:{token}")

    def replace_token(self, token):
        caches["default"].set(CACHE_KEY, token, timeout=None)

    def set_valid_until(self, token, valid_until):
        # Keyed by the token, so writing it can never undo a save's new token.
        caches["default"].set(f"{CACHE_KEY}:until:{token}", valid_until, timeout=2 * 86400)


def store():
    return CacheStore() if settings.PAGE_CACHE_SHARED else DatabaseStore()


def new_token():
    return secrets.token_hex(8)


# The last generation this process read, and when: with the database down its pages are still
# served, and for PAGE_CACHE_TOKEN_SECONDS it is trusted without asking the store again, so a
# cache hit costs no round trip to the database or Redis at all. A save is therefore seen by
# visitors within that time (a second by default); editors, who bypass the cache, at once.
_last_seen = None
_last_read_at = 0.0


def last_seen_generation():
    return _last_seen


def current_generation():
    """The generation in force: the stored token (replaced by every save) and the moment the
    clock ends it. Readers never write the token, so no save's invalidation can be lost."""
    global _last_seen, _last_read_at
    now = timezone.now()
    recent = time.monotonic() - _last_read_at < settings.PAGE_CACHE_TOKEN_SECONDS
    if recent and _last_seen is not None and _last_seen.is_current(now):
        return _last_seen
    token, valid_until = store().read()
    if valid_until is None or now >= valid_until:
        # Every reader works out the same end from the same data, so racing readers agree.
        try:
            valid_until = _end_of(now)
        except DatabaseError:
            logger.warning("Page cache: next scheduled publication unknown (database error).")
            valid_until = now + RETRY_AFTER_DB_ERROR
        store().set_valid_until(token, valid_until)
    # A page cached before a scheduled publication is stale after it, although no one saved.
    generation = Generation(f"{token}.{int(valid_until.timestamp())}", valid_until)
    _last_seen, _last_read_at = generation, time.monotonic()
    return generation


def invalidate():
    """Start a new generation: every cached page and every ETag handed out becomes stale."""
    global _last_read_at
    store().replace_token(new_token())
    _last_read_at = 0.0  # this process sees its own saves at once


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
