"""One round of the alerts worker's own duties, besides sending: everything here is
idempotent, so several workers may run it at once and a round cut short is simply redone."""

import logging

from django.utils import timezone

from alerts import capture, dispatch, sending, services

logger = logging.getLogger(__name__)


def tick(now=None):
    now = now or timezone.now()
    capture.capture(now)
    dispatch.dispatch_immediate(now)
    dispatch.plan_digests(now)
    requeued = sending.recover_abandoned(now)
    expired = services.expire_unconfirmed(now)
    if requeued or expired:
        logger.info("Alerts: %s messages queued again, %s requests expired", requeued, expired)
