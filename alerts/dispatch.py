"""From recorded events to messages: each confirmed subscriber gets what its subscriptions
hear about, once. Subscribers who want alerts at once get one message per round with what was
recorded since the last; the others one digest per day or week covering what was recorded
since their last digest. Each message is recorded (Delivery, with its events) and queued in
the same transaction that marks the events handed out or moves the digest's start, so a
round cut short is redone whole or not at all."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from alerts import items, queue
from alerts.matching import Matcher, subscriptions_of
from alerts.models import Delivery, Event, Frequency, Subscriber

logger = logging.getLogger(__name__)

# Local time at which the day's and the week's digests are built (the week's on Mondays).
DIGEST_HOUR = 7
# Events one round hands out at most (the rest in the next round).
ROUND_LIMIT = 5000
CHUNK = 500


def dispatch_immediate(now=None):
    """One alert per subscriber wanting them at once, with the events recorded since."""
    now = now or timezone.now()
    with transaction.atomic():
        events = list(
            Event.objects.select_for_update(skip_locked=True)
            .filter(dispatched=False)
            .order_by("pk")[:ROUND_LIMIT]
        )
        if not events:
            return 0
        subscribers = Subscriber.objects.filter(
            frequency=Frequency.IMMEDIATELY, confirmed_at__isnull=False
        ).values_list("pk", flat=True)
        first = events[0].pk
        created = record(
            Matcher(events),
            subscriptions_of(list(subscribers)),
            kind=Delivery.Kind.ALERT,
            key=lambda subscriber: f"alert:{subscriber}:{first}",
            now=now,
        )
        Event.objects.filter(pk__in=[event.pk for event in events]).update(dispatched=True)
    return created


def record(matcher, subscriptions, kind, key, now, since=None):
    """Creates and queues one Delivery per subscriber with anything to hear; returns how many."""
    deliveries = []
    for subscriber, rows in subscriptions.items():
        matched = set()
        for row in rows:
            matched |= matcher.matches(row, since=since.get(subscriber) if since else None)
        if matched:
            events, omitted = items.shown(matcher.in_order(matched), matcher.kind)
            deliveries.append(
                Delivery(
                    subscriber_id=subscriber,
                    kind=kind,
                    key=key(subscriber),
                    events=events,
                    omitted=omitted,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    Delivery.objects.bulk_create(deliveries, batch_size=CHUNK, ignore_conflicts=True)
    keys = [delivery.key for delivery in deliveries]
    ids = []
    for start in range(0, len(keys), CHUNK):
        ids += Delivery.objects.filter(
            key__in=keys[start : start + CHUNK], state=Delivery.State.PENDING
        ).values_list("pk", flat=True)
    queue.enqueue(sorted(ids))
    return len(ids)


def digest_boundary(frequency, now):
    """The latest moment digests of `frequency` were due by `now` (7:00 local, on Mondays
    for the weekly one)."""
    local = timezone.localtime(now)
    boundary = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if boundary > local:
        boundary -= datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        boundary -= datetime.timedelta(days=boundary.weekday())
    return boundary


def plan_digests(now=None):
    """Builds the digests that are due, each covering its subscriber's events recorded from
    their last digest to the boundary; returns how many messages were queued."""
    now = now or timezone.now()
    created = 0
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        boundary = digest_boundary(frequency, now)
        with transaction.atomic():
            due = Subscriber.objects.select_for_update(skip_locked=True).filter(
                frequency=frequency, confirmed_at__isnull=False, digest_until__lt=boundary
            )
            since = dict(due.values_list("pk", "digest_until"))
            if not since:
                continue
            events = Event.objects.filter(
                announced=True, captured_at__gte=min(since.values()), captured_at__lt=boundary
            )
            stamp = boundary.date().isoformat()
            created += record(
                Matcher(list(events)),
                subscriptions_of(list(since)),
                kind=Delivery.Kind.DIGEST,
                key=lambda subscriber, stamp=stamp, frequency=frequency: (
                    f"digest:{frequency}:{subscriber}:{stamp}"
                ),
                now=now,
                since=since,
            )
            Subscriber.objects.filter(
                frequency=frequency, confirmed_at__isnull=False, digest_until__lt=boundary
            ).update(digest_until=boundary)
    return created
