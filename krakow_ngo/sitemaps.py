"""What every sitemap of the archive shares, and the sitemap of pages that are not records.

The sitemaps take the host from the request: django.contrib.sites is not installed, so
Django 5.2's sitemap views use a RequestSite (the request's Host header, already checked
against ALLOWED_HOSTS). A Site row would be one more place to keep the domain in, wrong on
every staging copy. The scheme follows core.absolute_urls: https unless debugging.
"""

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accessibility.models import AccessibilityStatement
from departments.models import Department
from meetings.models import ArchiveYear, Document, Meeting, Round
from organisations.models import Organisation
from postulates.models import Position, Postulate
from programmes.models import Programme


class PublicSitemap(Sitemap):
    # URLs per sitemap page (the protocol allows 50,000; the index lists every further page,
    # ?p=2, ...). Each URL carries its language alternates, ~700 bytes: 2,500 keep a page near
    # 1.7 MB, which the page cache keeps; 50,000 made 35 MB pages that took seconds each.
    limit = 2500

    # Every page in both languages, each with xhtml:link alternates and x-default (Polish),
    # so search engines pair the Polish page with its English interface.
    i18n = True
    languages = [code for code, _name in settings.LANGUAGES]
    alternates = True
    x_default = True

    @property
    def protocol(self):
        # Read per request, not at import: None lets the views use the request's own scheme.
        return None if settings.DEBUG else "https"


class PublishedRecordSitemap(PublicSitemap):
    """Every published record of `model`, dated by its own last change."""

    model = None

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, record):
        return record.updated_at

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default of loading every item for the index.
        return self.model.objects.published().aggregate(latest=Max("updated_at"))["latest"]


def latest_published_change(*models):
    changes = [
        model.objects.published().aggregate(latest=Max("updated_at"))["latest"] for model in models
    ]
    return max(filter(None, changes), default=None)


def start_of_day(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


class StaticPageSitemap(PublicSitemap):
    """The home page, the lists, the page on subscribing and the accessibility statement, each dated by the latest
    change among the published records it shows."""

    shown_records = {
        "meetings:home": (ArchiveYear, Round, Document),
        "meetings:list": (Meeting,),
        "departments:list": (Department,),
        "organisations:list": (Organisation,),
        "programmes:list": (Programme,),
        "postulates:list": (Postulate,),
        # The page on subscribing lists each published year's feed.
        "subscriptions": (ArchiveYear,),
        "postulates:commitments": (Position,),
    }

    def items(self):
        pages = list(self.shown_records)
        # The statement's page answers 404 until the statement exists.
        if AccessibilityStatement.objects.exists():
            pages.append("accessibility:statement")
        return pages

    def location(self, page):
        return reverse(page)

    def lastmod(self, page):
        if page == "accessibility:statement":
            statement = AccessibilityStatement.objects.get()
            dates = (statement.prepared_on, statement.reviewed_on, statement.site_updated_on)
            return start_of_day(max(filter(None, dates)))
        return latest_published_change(*self.shown_records[page])

    def get_latest_lastmod(self):
        return max(filter(None, map(self.lastmod, self.items())), default=None)
