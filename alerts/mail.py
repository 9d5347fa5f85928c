"""The messages: plain text and accessible HTML (language, headings, links that make sense on
their own), in the subscriber's language, with a stable Message-ID and, for alerts, the
one-click unsubscribe headers of RFC 8058."""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alerts import services, sources, targets
from alerts.items import Catalogue, grouped
from alerts.models import Delivery, Event


def site_url(path):
    return f"{settings.SITE_URL}{path}"


def message_id(delivery):
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<alert-{delivery.pk}@{host}>"


@dataclass
class Outgoing:
    message: EmailMultiAlternatives
    # The events it tells of: those still public when it was built.
    event_ids: list = field(default_factory=list)


def build_messages(deliveries):
    """{delivery pk: Outgoing, or None when nothing in it is still to be said}. Events
    withdrawn from the public since they were recorded are left out."""
    catalogue = Catalogue(still_public_events({e for d in deliveries for e in d.events}))
    built = {}
    for delivery in deliveries:
        if delivery.subscriber is None:
            built[delivery.pk] = None
        elif delivery.kind == Delivery.Kind.CONFIRMATION:
            message = confirmation(delivery)
            built[delivery.pk] = message and Outgoing(message)
        else:
            built[delivery.pk] = news(delivery, catalogue)
    return built


def still_public_events(event_ids):
    events = list(Event.objects.filter(pk__in=event_ids)) if event_ids else []
    by_kind = defaultdict(list)
    for event in events:
        by_kind[event.kind].append(event)
    public = []
    for kind, group in by_kind.items():
        live = sources.still_public(kind, [event.object_id for event in group])
        public += [event for event in group if event.object_id in live]
    return public


def compose(delivery, subject, template, context, list_headers):
    subscriber = delivery.subscriber
    context = {**context, "language": subscriber.language, "subject": subject}
    text = render_to_string(f"alerts/mail/{template}.txt", context)
    html = render_to_string(f"alerts/mail/{template}.html", context)
    headers = {"Message-ID": message_id(delivery), "Auto-Submitted": "auto-generated"}
    if list_headers:
        headers["List-Unsubscribe"] = f"<{site_url(subscriber.unsubscribe_url())}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(subject, text, to=[subscriber.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def confirmation(delivery):
    subscription = delivery.subscription
    if subscription is None or delivery.subscriber is None:
        return None
    pending = services.pending_subscription(subscription.confirmation_token or "")
    if pending is None:  # confirmed, or expired, since it was queued
        return None
    with translation.override(delivery.subscriber.language):
        what, url = targets.describe(pending)
        return compose(
            delivery,
            _("Potwierdź powiadomienia z archiwum spotkań Miasta Krakowa z NGO"),
            "confirmation",
            {
                "what": what,
                "followed_url": site_url(url),
                "confirm_url": site_url(
                    reverse("alerts:confirm", args=[pending.confirmation_token])
                ),
                "valid_hours": int(services.CONFIRMATION_VALID_FOR.total_seconds() // 3600),
            },
            list_headers=False,
        )


def news(delivery, catalogue):
    """An alert or a digest: what the subscriber follows that became public, by kind."""
    subscriber = delivery.subscriber
    with translation.override(subscriber.language):
        live = [e for e in delivery.events if e in catalogue.events]
        items = [item for item in (catalogue.item(e, subscriber.language) for e in live) if item]
        if not items:
            return None
        count = len(items)
        total = count + delivery.omitted
        if delivery.kind == Delivery.Kind.DIGEST:
            subject = ngettext(
                "Podsumowanie: %(count)d zmiana w archiwum spotkań z NGO",
                "Podsumowanie: %(count)d zmian w archiwum spotkań z NGO",
                total,
            ) % {"count": total}
        elif total == 1:
            subject = _("Nowe w archiwum spotkań z NGO: %(title)s") % {"title": items[0].title}
        else:
            subject = ngettext(
                "Nowe w archiwum spotkań z NGO: %(title)s i %(more)d inna zmiana",
                "Nowe w archiwum spotkań z NGO: %(title)s i %(more)d innych zmian",
                total - 1,
            ) % {"title": items[0].title, "more": total - 1}
        message = compose(
            delivery,
            subject,
            "news",
            {
                "groups": grouped(items),
                "count": count + delivery.omitted,
                "omitted": delivery.omitted,
                "digest": delivery.kind == Delivery.Kind.DIGEST,
                "frequency": subscriber.get_frequency_display(),
                "manage_url": site_url(subscriber.get_absolute_url()),
                "unsubscribe_url": site_url(subscriber.unsubscribe_url()),
            },
            list_headers=True,
        )
    return Outgoing(message, live)
