"""The messages: plain text and accessible HTML (language, headings, links that make sense on
their own), in the subscriber's language, with a stable Message-ID and, for alerts, the
one-click unsubscribe headers of RFC 8058."""

import base64
import binascii
import email.message
import functools
import hashlib
import hmac
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import formatdate, parseaddr

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alerts import services, sources, targets
from alerts.items import Catalogue, grouped
from alerts.models import Delivery, Event
from core.absolute_urls import absolute_url, host_name


def message_id(delivery):
    """The same for every attempt at one message (a retry is recognised as a duplicate), and
    keyed, so that it does not tell how many messages the archive has sent."""
    host = host_name()
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"alerts:message:{delivery.pk}".encode(), hashlib.sha256
    ).hexdigest()
    return f"<alert-{digest[:32]}@{host}>"


# Stand-ins for what differs from one subscriber's message to the next: the bodies are
# rendered once per language and shape (kind, counts, frequency) and these are filled in.
ITEMS = "\x00items\x00"
MANAGE_URL = "\x00manage\x00"
UNSUBSCRIBE_URL = "\x00unsubscribe\x00"
SUBJECT = "\x00subject\x00"


@functools.lru_cache(maxsize=2048)
def _news_bodies(language, shape):
    context = {
        **dict(shape),
        "language": language,
        "subject": SUBJECT,
        "items": ITEMS,
        "manage_url": MANAGE_URL,
        "unsubscribe_url": UNSUBSCRIBE_URL,
    }
    return (
        render_to_string("alerts/mail/news.txt", context),
        render_to_string("alerts/mail/news.html", context),
    )


def news_bodies(language, shape):
    return _news_bodies(language, tuple(sorted(shape.items())))


def fill(body, values):
    for placeholder, value in values.items():
        body = body.replace(placeholder, value)
    return body


def items_text(items):
    return "\n".join(
        f"\n{heading.upper()}\n\n" + "\n\n".join(text for text, _html in rendered)
        for heading, rendered in grouped(items)
    )


def items_html(items):
    return "".join(
        format_html('<h2 style="font-size: 1.2em;">{}</h2>\n<ul>\n', heading)
        + "".join(
            format_html('  <li style="margin-bottom: 0.75em;">{}</li>\n', html)
            for _text, html in rendered
        )
        + "</ul>\n"
        for heading, rendered in grouped(items)
    )


@functools.lru_cache(maxsize=4096)
def encoded_words(text):
    """A header value as RFC 2047 base64 encoded-words (ASCII is left alone), worked out once
    per text: Python's own encoder weighs two encodings character by character, a third of
    what a message cost to build."""
    if text.isascii():
        return text
    words, word = [], ""
    for char in text:
        if len((word + char).encode()) > 45:  # 60 characters of base64, 72 with the markers
            words.append(word)
            word = char
        else:
            word += char
    words.append(word)
    return " ".join(f"=?utf-8?b?{base64.b64encode(w.encode()).decode()}?=" for w in words)


@functools.lru_cache(maxsize=16)
def encoded_address(address):
    """An address header value: the display name as encoded-words, the domain as IDNA (what
    Django's sanitize_address does, worked out once per address)."""
    if address.isascii():
        return address
    name, mailbox = parseaddr(address)
    local, _at, domain = mailbox.rpartition("@")
    mailbox = f"{local}@{domain.encode('idna').decode('ascii')}"
    return f"{encoded_words(name)} <{mailbox}>" if name else mailbox


def mime_part(content_type, text):
    """A text part: 8bit as Django writes it, quoted-printable when a line is too long for
    SMTP (998 bytes)."""
    data = text.replace("\r\n", "\n").encode()
    if max(map(len, data.split(b"\n"))) <= 998:
        encoding = b"8bit"
    else:
        data, encoding = binascii.b2a_qp(data, istext=True), b"quoted-printable"
    return (
        b"Content-Type: " + content_type.encode() + b'; charset="utf-8"\n'
        b"MIME-Version: 1.0\nContent-Transfer-Encoding: " + encoding + b"\n\n" + data
    )


class WrittenMessage(email.message.Message):
    """A message whose bytes are written once by AlertMessage.message(), so Django's backends
    (SMTP, file, console, memory) send them as they are: Python's email generator, which
    re-parses and re-folds every header and part, was half of the worker's CPU per message.
    Its headers can still be read (message["List-Unsubscribe"])."""

    def __init__(self, headers, data):
        super().__init__()
        for name, value in headers:
            self[name] = value
        self.data = data

    def as_bytes(self, unixfrom=False, policy=None, linesep="\n"):
        return self.data.replace(b"\n", linesep.encode()) if linesep != "\n" else self.data

    def as_string(self, unixfrom=False, maxheaderlen=0, policy=None):
        return self.data.decode()

    __bytes__ = as_bytes
    __str__ = as_string


class AlertMessage(EmailMultiAlternatives):
    """A plain-text message with one HTML alternative, written out by hand: the headers
    Django's message() sets (From, To, Subject, Date, Message-ID and the extra ones), the
    subject by encoded_words(), each part 8bit UTF-8."""

    def message(self, *args, **kwargs):
        (html, mimetype), *others = self.alternatives
        if others or self.attachments or self.cc or self.bcc or self.reply_to:
            raise ValueError("An alert is one text and one HTML part, to one address.")
        boundary = f"=={uuid.uuid4().hex}=="
        headers = [
            ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
            ("MIME-Version", "1.0"),
            # A title typed with a line break must not start a header of its own.
            ("Subject", encoded_words(" ".join(self.subject.split()))),
            ("From", encoded_address(self.from_email)),
            ("To", ", ".join(encoded_address(address) for address in self.to)),
            ("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
            *self.extra_headers.items(),
        ]
        if any("\n" in value or "\r" in value for _name, value in headers):
            raise BadHeaderError("A header of an alert holds a line break.")
        mark = f"--{boundary}".encode()
        data = b"".join(
            [
                *(f"{name}: {value}\n".encode() for name, value in headers),
                b"\n",
                mark + b"\n",
                mime_part("text/plain", self.body),
                b"\n" + mark + b"\n",
                mime_part(mimetype, html),
                b"\n" + mark + b"--\n",
            ]
        )
        return WrittenMessage(headers, data)


@dataclass
class Outgoing:
    message: AlertMessage
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


def compose(delivery, subject, template, context, list_headers, text=None, html=None):
    """The message; `text` and `html` when the bodies were written already (news())."""
    subscriber = delivery.subscriber
    if text is None:
        context = {**context, "language": subscriber.language, "subject": subject}
        text = render_to_string(f"alerts/mail/{template}.txt", context)
        html = render_to_string(f"alerts/mail/{template}.html", context)
    headers = {"Message-ID": message_id(delivery), "Auto-Submitted": "auto-generated"}
    if list_headers:
        headers["List-Unsubscribe"] = f"<{absolute_url(subscriber.unsubscribe_url())}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = AlertMessage(subject, text, to=[subscriber.email], headers=headers)
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
        what, url = targets.describe(pending, typed_text=False)
        return compose(
            delivery,
            _("Potwierdź powiadomienia z archiwum spotkań Miasta Krakowa z NGO"),
            "confirmation",
            {
                "what": what,
                "followed_url": absolute_url(url),
                "confirm_url": absolute_url(
                    reverse("alerts:confirm", args=[pending.confirmation_token])
                ),
                "valid_hours": services.confirmation_valid_hours(),
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
        shape = {
            "count": total,
            "omitted": delivery.omitted,
            "digest": delivery.kind == Delivery.Kind.DIGEST,
            "frequency": subscriber.get_frequency_display(),
        }
        text, html = news_bodies(subscriber.language, shape)
        personal = {
            ITEMS: items_text(items),
            MANAGE_URL: absolute_url(subscriber.get_absolute_url()),
            UNSUBSCRIBE_URL: absolute_url(subscriber.unsubscribe_url()),
        }
        personal_html = {
            ITEMS: items_html(items),
            MANAGE_URL: escape(personal[MANAGE_URL]),
            UNSUBSCRIBE_URL: escape(personal[UNSUBSCRIBE_URL]),
        }
        message = compose(
            delivery,
            subject,
            "news",
            None,
            list_headers=True,
            text=fill(text, personal),
            html=fill(html, {**personal_html, SUBJECT: escape(subject)}),
        )
    return Outgoing(message, live)
