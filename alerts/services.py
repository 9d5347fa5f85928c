"""What subscribing, confirming, managing and unsubscribing change. Views call these; nothing
here sends mail: a message is recorded (Delivery) and queued in the same transaction, and the
worker sends it."""

import datetime
import logging
from enum import Enum

from django.db import transaction
from django.utils import timezone

from alerts import limits, queue
from alerts.models import Delivery, Subscriber, Subscription, is_token_shaped

logger = logging.getLogger(__name__)

# An unconfirmed request is deleted after this long, with the address if nothing else is left.
CONFIRMATION_VALID_FOR = datetime.timedelta(hours=48)
# A request repeated within this time sends nothing more: the first message is on its way.
RESEND_AFTER = datetime.timedelta(minutes=15)


def confirmation_valid_hours():
    """How long a confirmation link works, as the messages and the information clause say."""
    return int(CONFIRMATION_VALID_FOR.total_seconds() // 3600)


class Outcome(Enum):
    REQUESTED = "requested"  # a confirmation message is on its way
    ALREADY_FOLLOWING = "already"  # confirmed before: nothing sent
    TOO_MANY_FROM_CLIENT = "client"
    TOO_MANY_FOR_ADDRESS = "address"


REFUSED = (Outcome.TOO_MANY_FROM_CLIENT, Outcome.TOO_MANY_FOR_ADDRESS)


def retry_after(outcome):
    """Seconds after which a refused request may pass: the window of the limit reached."""
    limit = limits.PER_CLIENT if outcome == Outcome.TOO_MANY_FROM_CLIENT else limits.PER_ADDRESS
    return limit[1]


@transaction.atomic
def request_subscription(target, email, language, frequency, client, now=None):
    """Records an unconfirmed subscription of `email` to `target` (an unsaved Subscription)
    and queues the message asking to confirm it.

    The address's limits are counted from the confirmations recorded for it, under a lock on
    its row: every server process sees the same count, and requests sent at once for one
    address are taken one after another."""
    now = now or timezone.now()
    if not limits.take("client", client, limits.PER_CLIENT):
        return Outcome.TOO_MANY_FROM_CLIENT
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"language": language, "frequency": frequency}
    )
    if not created and subscriber.confirmed_at is None:
        # Nothing has been confirmed yet: the latest choice counts.
        subscriber.language, subscriber.frequency = language, frequency
        subscriber.save(update_fields=["language", "frequency"])
    existing = subscriber.subscriptions.filter(target=target.target_key()).first()
    if existing is not None and existing.confirmed_at is not None:
        return Outcome.ALREADY_FOLLOWING
    confirmations = Delivery.objects.filter(subscriber=subscriber, kind=Delivery.Kind.CONFIRMATION)
    if (
        existing is not None
        and confirmations.filter(subscription=existing, created_at__gt=now - RESEND_AFTER).exists()
    ):
        return Outcome.REQUESTED  # the same answer: nothing tells what was sent before
    requests, seconds = limits.PER_ADDRESS
    recent = confirmations.filter(created_at__gt=now - datetime.timedelta(seconds=seconds))
    if recent.count() >= requests:
        return Outcome.TOO_MANY_FOR_ADDRESS
    if existing is None:
        if subscriber.subscriptions.pending().count() >= limits.MAX_PENDING_PER_ADDRESS:
            return Outcome.TOO_MANY_FOR_ADDRESS
        target.subscriber = subscriber
        target.save()
        existing = target
    sent_before = Delivery.objects.filter(subscription=existing).count()
    delivery = Delivery.objects.create(
        subscriber=subscriber,
        subscription=existing,
        created_at=now,
        kind=Delivery.Kind.CONFIRMATION,
        key=f"confirm:{existing.pk}:{sent_before}",
    )
    queue.enqueue([delivery.pk])
    logger.info("Subscription %s requested by subscriber %s", existing.pk, subscriber.pk)
    return Outcome.REQUESTED


def pending_subscription(token, now=None):
    """The unconfirmed subscription a confirmation link names, while it is valid; else None."""
    now = now or timezone.now()
    if not is_token_shaped(token):
        return None
    return (
        Subscription.objects.pending()
        .filter(confirmation_token=token, created_at__gt=now - CONFIRMATION_VALID_FOR)
        .select_related("subscriber", "department", "organisation", "postulate")
        .first()
    )


@transaction.atomic
def confirm(subscription, now=None):
    now = now or timezone.now()
    subscription.confirmed_at = now
    subscription.confirmation_token = None
    subscription.save(update_fields=["confirmed_at", "confirmation_token"])
    subscriber = subscription.subscriber
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = now
        # The first digest covers what is published from now on.
        subscriber.digest_until = now
        subscriber.save(update_fields=["confirmed_at", "digest_until"])
    logger.info("Subscription %s confirmed by subscriber %s", subscription.pk, subscriber.pk)


@transaction.atomic
def update_preferences(subscriber, frequency, language, dropped_ids, now=None):
    if frequency != subscriber.frequency:
        # The new rhythm starts now: a digest never repeats what went out at once before.
        subscriber.digest_until = now or timezone.now()
    subscriber.frequency, subscriber.language = frequency, language
    subscriber.save(update_fields=["frequency", "language", "digest_until"])
    subscriber.subscriptions.filter(pk__in=dropped_ids).delete()
    return forget_if_nothing_left(subscriber)


def forget_if_nothing_left(subscriber):
    """Deletes everything about the address once it follows nothing confirmed: RODO's
    "no longer than needed". Returns True if it was deleted."""
    if subscriber.subscriptions.confirmed().exists():
        return False
    erase(subscriber)
    return True


@transaction.atomic
def erase(subscriber):
    """Removes the address with its subscriptions, tokens and queued messages; what was sent
    stays as counts that name no one (Delivery.subscriber becomes empty)."""
    subscriber.deliveries.filter(
        state__in=(Delivery.State.PENDING, Delivery.State.SENDING, Delivery.State.DEAD)
    ).delete()
    logger.info("Subscriber %s erased", subscriber.pk)
    subscriber.delete()


def expire_unconfirmed(now=None):
    """Deletes unconfirmed requests past their validity, and addresses left with nothing."""
    now = now or timezone.now()
    expired = Subscription.objects.pending().filter(created_at__lte=now - CONFIRMATION_VALID_FOR)
    with transaction.atomic():
        count = expired.count()
        expired.delete()
        for subscriber in Subscriber.objects.filter(subscriptions__isnull=True):
            erase(subscriber)
    return count
