"""One round of the alerts worker's own duties, besides sending: everything here is
idempotent, so several workers may run it at once and a round cut short is simply redone."""

import datetime
import logging

from django.utils import timezone

from alerts import capture, dispatch, sending, services
from pagecache.generation import current_generation

logger = logging.getLogger(__name__)

# Looking for published changes reads the whole archive: it is done when public content may
# have changed (the page cache's generation changes with every save, at every scheduled
# publication and at midnight), and at least this often whatever happened.
FULL_LOOK_EVERY = datetime.timedelta(minutes=10)
_last_look = {"generation": None, "at": None}


def look_for_changes(now):
    generation = current_generation().token
    due = _last_look["at"] is None or now - _last_look["at"] >= FULL_LOOK_EVERY
    if generation != _last_look["generation"] or due:
        capture.capture(now)
        _last_look.update(generation=generation, at=now)


def tick(now=None):
    now = now or timezone.now()
    look_for_changes(now)
    dispatch.dispatch_immediate(now)
    dispatch.plan_digests(now)
    requeued = sending.recover_abandoned(now)
    expired = services.expire_unconfirmed(now)
    if requeued or expired:
        logger.info("Alerts: %s messages queued again, %s requests expired", requeued, expired)
