"""The messages: plain text and accessible HTML (language, headings, links that make sense on
their own), in the subscriber's language, with a stable Message-ID and, for alerts, the
one-click unsubscribe headers of RFC 8058."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from alerts import services, targets
from alerts.models import Delivery


def site_url(path):
    return f"{settings.SITE_URL}{path}"


def message_id(delivery):
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<alert-{delivery.pk}@{host}>"


def build_messages(deliveries):
    """{delivery pk: message, or None when nothing in it is still to be said}."""
    return {delivery.pk: BUILDERS[delivery.kind](delivery) for delivery in deliveries}


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


BUILDERS = {Delivery.Kind.CONFIRMATION: confirmation}
