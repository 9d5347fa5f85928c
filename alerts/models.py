"""Email alerts without an account: who asked for them, what they follow, what happened in
the archive and what was sent.

An address is personal data: a Subscriber holds only the address, the language and frequency
chosen, and the tokens its links carry; it is deleted with its last subscription. What was
published (Event) and what was sent (Delivery) outlive it without naming it, so editors'
counts stay right after people unsubscribe."""

import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token():
    """An opaque, unguessable value for the links in messages (256 bits)."""
    return secrets.token_urlsafe(32)


# A list's search words may take 200 characters; percent-encoded, one in a non-Latin script
# takes 6 to 12 (Ukrainian: 1,200 for the words alone), beside the other filters.
MAX_QUERY_LENGTH = 3000

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_token_shaped(value):
    """Whether a link's `value` could be a token at all: anything else (a NUL byte, which
    PostgreSQL refuses in a query) is an unknown link, not a database error."""
    return TOKEN_SHAPE.fullmatch(value) is not None


class Frequency(models.TextChoices):
    IMMEDIATELY = "od-razu", _("od razu")
    DAILY = "codziennie", _("raz dziennie (podsumowanie)")
    WEEKLY = "co-tydzien", _("raz w tygodniu (podsumowanie)")


class Subscriber(models.Model):
    """An address that asked for alerts: nothing is sent to it before it confirms one."""

    email = models.EmailField(_("adres e-mail"), unique=True)
    language = models.CharField(
        _("język wiadomości"), max_length=5, choices=settings.LANGUAGES, default="pl"
    )
    frequency = models.CharField(
        _("częstotliwość"), max_length=12, choices=Frequency.choices, default=Frequency.DAILY
    )
    # Opens the "manage my alerts" page and unsubscribes in one click (RFC 8058).
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("zgłoszono"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("potwierdzono"), null=True, blank=True, editable=False)
    # Where the last digest ended: the next one covers what was published after it.
    digest_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("adres subskrybenta")
        verbose_name_plural = _("adresy subskrybentów")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["frequency", "digest_until"], name="subscriber_digest_due")]

    def __str__(self):
        # Never the address: this string may reach a log or an editor's screen.
        return _("Subskrybent nr %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("alerts:manage", kwargs={"token": self.token})

    def unsubscribe_url(self):
        return reverse("alerts:unsubscribe", kwargs={"token": self.token})


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at__isnull=True)


class Subscription(models.Model):
    """One thing a subscriber follows: a department, an organisation, a postulate, a year, the
    whole archive, or a filtered list (its query string, read by the list's own filters)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "wydzial", _("wydział lub jednostka")
        ORGANISATION = "organizacja", _("organizacja")
        POSTULATE = "postulat", _("postulat")
        YEAR = "rok", _("rok archiwum")
        ARCHIVE = "archiwum", _("całe archiwum")
        MEETING_LIST = "spotkania", _("wyszukane spotkania")
        POSTULATE_LIST = "postulaty", _("wyszukane postulaty")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices)
    department = models.ForeignKey(
        "departments.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    postulate = models.ForeignKey(
        "postulates.Postulate", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # A filtered list's query string, as its filters read it (normalised: sorted, no page).
    query = models.CharField(max_length=MAX_QUERY_LENGTH, blank=True)
    # What it follows, as one value: one subscription per subscriber and target.
    target = models.CharField(max_length=MAX_QUERY_LENGTH + 100, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The link in the confirmation message; cleared once confirmed.
    confirmation_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, default=new_token, editable=False
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subskrypcja")
        verbose_name_plural = _("subskrypcje")
        ordering = ["subscriber", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "target"], name="subscription_unique"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(confirmation_token__isnull=True),
                name="subscription_confirmed_has_no_token",
            ),
        ]
        indexes = [
            models.Index(fields=["confirmed_at", "created_at"], name="subscription_pending"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.pk})"

    def save(self, *args, **kwargs):
        self.target = self.target_key()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.subscriber.get_absolute_url()

    def target_key(self):
        value = {
            self.Kind.DEPARTMENT: self.department_id,
            self.Kind.ORGANISATION: self.organisation_id,
            self.Kind.POSTULATE: self.postulate_id,
            self.Kind.YEAR: self.year,
            self.Kind.ARCHIVE: "",
        }.get(self.kind, self.query)
        return f"{self.kind}:{value}"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)


class Delivery(models.Model):
    """One message to send, recorded before it is queued: the outbox the worker works through.

    `key` makes creating it idempotent (one per subscriber and confirmation request, alert or
    digest period). The worker claims it (SENDING, with a lease), sends it, and marks it SENT;
    a worker that dies in between leaves the lease to expire, and the message is sent by the
    next one. SMTP failures are retried with growing pauses; after the last one it stays DEAD
    for editors to see. What is still here after its subscriber is gone names no one."""

    class Kind(models.TextChoices):
        CONFIRMATION = "potwierdzenie", _("prośba o potwierdzenie")
        ALERT = "powiadomienie", _("powiadomienie")
        DIGEST = "podsumowanie", _("podsumowanie")

    class State(models.TextChoices):
        PENDING = "czeka", _("czeka na wysłanie")
        SENDING = "wysylanie", _("w trakcie wysyłania")
        SENT = "wyslano", _("wysłano")
        DROPPED = "pominieto", _("pominięto (nieaktualne)")
        DEAD = "nieudane", _("nieudane (wymaga uwagi)")

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("subskrybent"),
    )
    # The events an alert or digest tells of, in the order they happened, and how many more
    # there were than a message lists (alerts.items.SHOWN_PER_KIND).
    events = models.JSONField(default=list, blank=True)
    omitted = models.PositiveIntegerField(default=0)
    # The request a confirmation message is about.
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("klucz"), max_length=200, unique=True)
    state = models.CharField(_("stan"), max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("próby"), default=0)
    next_attempt_at = models.DateTimeField(_("następna próba"), default=timezone.now)
    # A claimed message belongs to one worker until then.
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now)
    sent_at = models.DateTimeField(_("wysłano"), null=True, blank=True)
    # The kind of failure and the server's reply code only: a reply may quote the address.
    last_error = models.CharField(_("ostatni błąd"), max_length=300, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("wysyłka powiadomienia")
        verbose_name_plural = _("wysyłki powiadomień")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["state", "lease_until"], name="delivery_leased"),
            models.Index(fields=["claim"], name="delivery_claim"),
        ]

    def __str__(self):
        return _("%(kind)s nr %(pk)s") % {"kind": self.get_kind_display(), "pk": self.pk}


class Event(models.Model):
    """Something that became public, found by asking the archive's one definition of
    "published" (never at save time: a scheduled publication becomes an event when its time
    comes, a draft never does). `key` makes finding it again harmless.

    Which pages it concerns is stored as plain ids rather than foreign keys: this is a record
    of what happened, and must neither block deleting a meeting nor vanish with it."""

    class Kind(models.TextChoices):
        MEETING = "spotkanie", _("nowe spotkanie")
        DOCUMENT = "dokument", _("nowy dokument")
        ANSWER = "odpowiedz", _("odpowiedź Miasta")
        REVISED_ANSWER = "zmiana-odpowiedzi", _("zmieniona odpowiedź")
        LINKED_POSTULATE = "powiazanie", _("powiązany postulat")
        COMMITMENT_DUE = "termin-zobowiazania", _("termin zobowiązania")

    kind = models.CharField(_("rodzaj"), max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=100, unique=True)
    # The record of the kind's model: a meeting, document, position, position revision, link.
    object_id = models.PositiveBigIntegerField()
    happened_at = models.DateTimeField(_("kiedy"))
    captured_at = models.DateTimeField(default=timezone.now, editable=False)
    # False for what was already public when alerts started: recorded, never announced.
    announced = models.BooleanField(default=True)
    # Handed to the subscribers who want alerts at once.
    dispatched = models.BooleanField(default=False)
    # What it concerns, for matching subscriptions and for editors' counts.
    meeting_id = models.PositiveBigIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    postulate_ids = models.JSONField(default=list)
    department_ids = models.JSONField(default=list)
    organisation_ids = models.JSONField(default=list)
    # Subscribers a message about it reached (a count: no one is named).
    reached = models.PositiveIntegerField(_("dotarło do subskrybentów"), default=0)

    class Meta:
        verbose_name = _("opublikowana zmiana")
        verbose_name_plural = _("opublikowane zmiany")
        ordering = ["happened_at", "pk"]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="event_object"),
            models.Index(fields=["captured_at"], name="event_captured"),
            models.Index(fields=["dispatched"], name="event_dispatched"),
            models.Index(fields=["meeting_id"], name="event_meeting"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.key})"


class CaptureStart(models.Model):
    """When alerts first looked at the archive: what was public then is recorded without being
    announced (one row)."""

    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("początek powiadomień")
        verbose_name_plural = _("początek powiadomień")
        ordering = ["pk"]

    def __str__(self):
        return self.started_at.isoformat()
