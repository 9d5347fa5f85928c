"""Recording what became public since the last look, as events (alerts.sources finds them).

Run by the worker every round: the first run records what is public already without announcing
it (alerts start from now); every later run records what became public since, including
scheduled publications whose time has come and commitments whose due date has. Recording is
idempotent (unique keys), so two workers at once record each change once."""

import logging

from django.db import transaction
from django.utils import timezone

from alerts.models import CaptureStart, Event
from alerts.sources import FINDERS

logger = logging.getLogger(__name__)


def capture(now=None):
    """Records the changes public at `now` without an event yet; returns how many."""
    now = now or timezone.now()
    # The first look only takes stock: alerts announce what is published from then on.
    announced = CaptureStart.objects.exists()
    count = 0
    for finder in FINDERS:
        events = [found.event(now, announced) for found in finder(now)]
        with transaction.atomic():
            Event.objects.bulk_create(events, batch_size=500, ignore_conflicts=True)
        count += len(events)
    if not announced:
        CaptureStart.objects.create(started_at=now)
    if count:
        logger.info(
            "Alerts: %s published changes recorded%s", count, "" if announced else " (baseline)"
        )
    return count
