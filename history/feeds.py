"""The change register as Atom: the changes of the last weeks, newest first."""

import datetime

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.feeds import FeedEntry
from history.changes import changes, described
from history.views import ChangeRegisterMixin
from meetings.feeds import SITE_NAME, MaterialsFeed

# How far back the feed looks: a reader polls daily; a watchdog wanting more uses the page.
FEED_DAYS = 90


class ChangeRegisterFeed(ChangeRegisterMixin, MaterialsFeed):
    """The register's changes as Atom: of the last weeks, or of the period and department
    its page was filtered by (the same filters, the same 400 for a bad one)."""

    rows = None

    def __call__(self, request, *args, **kwargs):
        if request.GET:
            self.rows = self.read_filters(request)
            if self.rows is None:
                errors = "; ".join(" ".join(e) for e in self.form.errors.values())
                return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def title(self, obj):
        return f"Rejestr zmian – {SITE_NAME}"

    def subtitle(self, obj):
        return "Zmiany opublikowanych materiałów: poprawki, wymiana plików, wycofanie z publikacji."

    def page_path(self, obj):
        return reverse("history:register")

    def entries(self, obj):
        if self.rows is not None:
            found = described(self.rows[: settings.FEED_ENTRIES])
        else:
            now = timezone.now()
            found = changes(now - datetime.timedelta(days=FEED_DAYS), now + datetime.timedelta(1))
        return [_entry(change) for change in found[: settings.FEED_ENTRIES]]


def _entry(change):
    entry = change.entry
    title = f"{change.kind_of_record}: {change.title}" if change.title else change.kind_of_record
    summary = str(entry.kind_label)
    if entry.fields:
        summary += f" ({', '.join(entry.fields)})"
    summary += f", {date_format(timezone.localtime(entry.at), 'j E Y, H:i')}"
    who = str(entry.signature)
    return FeedEntry(
        key=f"zmiana-{change.key}",
        title=f"{title} – {entry.kind_label}",
        path=change.url or reverse("history:register"),
        summary=f"{summary}. Wprowadził(a): {who}.",
        published_at=entry.at,
        author=who,
    )
