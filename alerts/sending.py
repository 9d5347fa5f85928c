"""The worker's side of the outbox: claim due messages, send them, record the outcome.

Claiming and marking are separate short writes around the SMTP conversation, never one
transaction held open across it (SQLite would stop every editor's save meanwhile). A worker
that dies after claiming leaves a lease that expires (recover_abandoned); the message is then
sent by the next worker, so it is not lost, and it had not reached the SMTP server, so it is
not sent twice. The one window left, a crash after the server accepted the message and before
it is marked sent, is a few milliseconds wide; the message's Message-ID is stable, so a
mailbox that receives it again can tell."""

import contextlib
import datetime
import logging
import smtplib
import uuid
from collections import Counter, defaultdict

from django.core.mail import get_connection
from django.db import connection
from django.db.models import F
from django.utils import timezone

from alerts import mail, queue
from alerts.models import Delivery, Event

logger = logging.getLogger(__name__)

# How long a worker may hold a claimed message before another one takes it over.
LEASE = datetime.timedelta(minutes=10)
# Pauses before the 2nd, 3rd, ... attempt; after the last one the message is DEAD.
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=8),
    datetime.timedelta(hours=24),
)
MAX_ATTEMPTS = len(BACKOFF) + 1


def claim(delivery_ids, now):
    """Takes the due ones among `delivery_ids` for this worker: one UPDATE, so two workers
    never take the same message."""
    token = uuid.uuid4().hex
    Delivery.objects.due(now).filter(pk__in=delivery_ids).update(
        state=Delivery.State.SENDING,
        claim=token,
        lease_until=now + LEASE,
        attempts=F("attempts") + 1,
    )
    return list(
        Delivery.objects.filter(claim=token, state=Delivery.State.SENDING)
        .select_related("subscriber", "subscription")
        .order_by("pk")
    )


def send_batch(delivery_ids, now=None):
    now = now or timezone.now()
    with quick_commits():
        return send_claimed(claim(delivery_ids, now), now)


@contextlib.contextmanager
def quick_commits():
    """PostgreSQL: this worker's writes commit without waiting for the disk (each mark was
    11 ms of fsync on this machine, most of a message's cost). Every other session sees a
    mark at once, so a worker that dies loses nothing; only a crash of the database server
    itself could forget the last fraction of a second of marks, and those messages would be
    sent again, with the same Message-ID."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def send_claimed(claimed, now):
    if not claimed:
        return 0
    messages = mail.build_messages(claimed)
    sent = 0
    reached = Counter()
    smtp = get_connection()
    try:
        smtp.open()
    except Exception as error:  # the SMTP server is down: everything waits for the next try
        for delivery in claimed:
            failed(delivery, error, now)
        return 0
    try:
        for delivery in claimed:
            outgoing = messages.get(delivery.pk)
            if outgoing is None:
                mark(delivery, Delivery.State.DROPPED)
                continue
            outgoing.message.connection = smtp
            try:
                outgoing.message.send()
            except Exception as error:
                failed(delivery, error, now)
                continue
            mark(delivery, Delivery.State.SENT)
            reached.update(outgoing.event_ids)
            sent += 1
    finally:
        smtp.close()
        count_reached(reached)
    return sent


def count_reached(reached):
    """Adds to each event the subscribers a message about it reached: one UPDATE per distinct
    count, not per event."""
    by_count = defaultdict(list)
    for event_id, count in reached.items():
        by_count[count].append(event_id)
    for count, event_ids in by_count.items():
        Event.objects.filter(pk__in=event_ids).update(reached=F("reached") + count)


def mark(delivery, state):
    Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(
        state=state, sent_at=timezone.now(), lease_until=None
    )
    delivery.state = state


def failed(delivery, error, now):
    """Retries later, each time after a longer pause, or gives up (DEAD, shown to editors)."""
    dead = delivery.attempts >= MAX_ATTEMPTS
    next_attempt = now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
    Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(
        state=Delivery.State.DEAD if dead else Delivery.State.PENDING,
        next_attempt_at=next_attempt,
        lease_until=None,
        last_error=describe_error(error),
    )
    logger.warning(
        "Delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, describe_error(error)
    )
    if not dead:
        queue.enqueue([delivery.pk], run_after=next_attempt)


def describe_error(error):
    """The kind of failure and the SMTP reply codes, never the text: a server's reply often
    quotes the recipient's address."""
    codes = []
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _message in error.recipients.values()})
    elif getattr(error, "smtp_code", None):
        codes = [str(error.smtp_code)]
    described = type(error).__name__
    return f"{described} ({', '.join(codes)})" if codes else described


def recover_abandoned(now=None):
    """Messages claimed by a worker that died before marking them are due again (their
    attempt counted), or DEAD past the last one; due messages left unsent for a lease (their
    task lost, or no worker running) are queued again. Sending is idempotent, so a message
    queued twice is still sent once."""
    now = now or timezone.now()
    abandoned = Delivery.objects.filter(state=Delivery.State.SENDING, lease_until__lt=now)
    abandoned.filter(attempts__gte=MAX_ATTEMPTS).update(
        state=Delivery.State.DEAD, lease_until=None, last_error="LeaseExpired"
    )
    revived = list(abandoned.values_list("pk", flat=True))
    stale = list(Delivery.objects.due(now - LEASE).values_list("pk", flat=True)[:10_000])
    ids = [*revived, *stale]
    if ids:
        Delivery.objects.filter(pk__in=ids).update(
            state=Delivery.State.PENDING, lease_until=None, next_attempt_at=now
        )
        queue.enqueue(ids)
    return len(ids)
