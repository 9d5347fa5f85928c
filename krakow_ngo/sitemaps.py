"""What every sitemap of the archive shares, and the sitemap of pages that are not records.

The sitemaps write the archive's canonical origin, settings.SITE_URL, like every absolute
address (core.absolute_urls); django.contrib.sites is not installed, so a Site row is not a
second place to keep the domain in.
"""

import datetime
from dataclasses import replace
from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from accessibility.models import AccessibilityStatement
from core.absolute_urls import absolute_url, site_domain, site_scheme
from departments.models import Department
from meetings.models import ArchiveYear, Document, Meeting, Round
from organisations.models import Organisation
from postulates.models import Position, Postulate
from programmes.models import Programme


class PublicSitemap(Sitemap):
    # URLs per sitemap page (the protocol allows 50,000; the index lists every further page,
    # ?p=2, ...). A URL costs ~70 µs to write and carries its language alternates, ~350 bytes:
    # 500 keep a page within 50 ms and near 170 kB; 50,000 made 35 MB pages that took seconds
    # each, and 2,500 still took 180 ms of Python.
    limit = 500

    # Every page in both languages, each with xhtml:link alternates and x-default (Polish),
    # so search engines pair the Polish page with its English interface.
    i18n = True
    languages = [code for code, _name in settings.LANGUAGES]
    alternates = True
    x_default = True

    @property
    def protocol(self):
        # Read per request, not at import (tests change the site's address).
        return site_scheme()

    def get_domain(self, site=None):
        return site_domain()

    def get_urls(self, page=1, site=None, protocol=None):
        """What Django's Sitemap.get_urls() gives for i18n with alternates and x-default, with
        each record's address worked out once per language: Django's works out each of them
        four times (its own entry, two alternates, x-default), which made most of the time
        of a page of 2,500 URLs."""
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        addresses, urls = {}, []
        for item, language in self.paginator.page(page).object_list:
            if id(item) not in addresses:
                addresses[id(item)] = self.addresses(item, origin)
            address = addresses[id(item)]
            alternates = [{"location": address[code], "lang_code": code} for code in address]
            default = address[settings.LANGUAGE_CODE].replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)
            alternates.append({"location": default, "lang_code": "x-default"})
            lastmod = self.lastmod(item)
            urls.append(
                {
                    "item": (item, language),
                    "location": address[language],
                    "lastmod": lastmod,
                    "changefreq": None,
                    "priority": "",
                    "alternates": alternates,
                    "xml": url_element(address[language], lastmod, alternates),
                }
            )
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and all(lastmods):
            self.latest_lastmod = max(lastmods)
        return urls

    def addresses(self, item, origin):
        """{language: absolute URL} of `item`."""
        found = {}
        for code in self.languages:
            with translation.override(code):
                found[code] = f"{origin}{self.location(item)}"
        return found


def url_element(location, lastmod, alternates):
    """A sitemap's <url> element, as Django's sitemap.xml template writes it, written in Python:
    templates/sitemap.xml only joins them. The template's tags, filters and loops over 2,500
    URLs and their alternates took most of a page's time."""
    day = ""
    if lastmod:
        if isinstance(lastmod, datetime.datetime):
            lastmod = timezone.localtime(lastmod) if timezone.is_aware(lastmod) else lastmod
        day = f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>"
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
        f'href="{escape(alternate["location"])}"/>'
        for alternate in alternates
    )
    return mark_safe(f"<url><loc>{escape(location)}</loc>{day}{links}</url>")


class KeyRangePaginator(Paginator):
    """Pages of a sitemap's records by ranges of their ids: from the lowest id on, each page
    lists the records of the next `per_page` ids, each in every language. A page is read
    along the primary key's index and the number of pages comes from the lowest and highest
    ids, so the index and every page cost the same at any size; Django's own pagination made
    a list of every record in every language, for the index and for each page (3.6 s for the
    index at 100,000 postulates). A page thinned by drafts or deletions lists fewer URLs,
    which the protocol allows."""

    def __init__(self, records, per_page, languages):
        super().__init__(records, per_page)
        self.languages = languages

    @cached_property
    def key_range(self):
        keys = self.object_list.values_list("pk", flat=True)
        return keys.order_by("pk").first(), keys.order_by("-pk").first()

    @cached_property
    def num_pages(self):
        lowest, highest = self.key_range
        return 1 if lowest is None else (highest - lowest) // self.per_page + 1

    def page(self, number):
        number = self.validate_number(number)
        start = (self.key_range[0] or 0) + (number - 1) * self.per_page
        records = self.object_list.filter(pk__gte=start, pk__lt=start + self.per_page)
        pairs = [(record, language) for record in records for language in self.languages]
        return Page(pairs, number, self)


class PublishedRecordSitemap(PublicSitemap):
    """Every published record of `model`, dated by its own last change."""

    model = None

    def items(self):
        return self.model.objects.published().order_by("pk")

    @property
    def paginator(self):
        return KeyRangePaginator(self.items(), self.limit // len(self.languages), self.languages)

    def lastmod(self, record):
        return record.updated_at

    def get_latest_lastmod(self):
        # Instead of Django's default of loading every item for the index.
        return latest_published_change(self.model)


def latest_change(records):
    """The latest `updated_at` among `records`: read backwards along the published rows'
    index of it (Publishable.Meta), where an aggregate would visit every row."""
    return records.order_by("-updated_at").values_list("updated_at", flat=True).first()


def latest_published_change(*models):
    changes = [latest_change(model.objects.published()) for model in models]
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
        # The change register lists changes of these records' pages.
        "history:register": (Round, Meeting, Document, Postulate, Position, Department),
    }

    def __init__(self):
        # Pages share models (the years, the meetings): each is asked once per sitemap.
        self.latest_changes = {}

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
        return max(filter(None, map(self.latest_change_of, self.shown_records[page])), default=None)

    def latest_change_of(self, model):
        if model not in self.latest_changes:
            self.latest_changes[model] = latest_published_change(model)
        return self.latest_changes[model]

    def get_latest_lastmod(self):
        return max(filter(None, map(self.lastmod, self.items())), default=None)


def sitemap_index(request, **kwargs):
    """Django's sitemap index, its sections' addresses at the site's canonical origin: Django
    writes them with the request's host (a RequestSite), whatever the sections say."""
    response = sitemap_views.index(request, **kwargs)
    response.context_data["sitemaps"] = [
        replace(
            item,
            location=absolute_url(urlsplit(item.location)._replace(scheme="", netloc="").geturl()),
        )
        for item in response.context_data["sitemaps"]
    ]
    return response
