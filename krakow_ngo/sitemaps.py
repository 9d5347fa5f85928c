"""What every sitemap of the archive shares, and the sitemap of pages that are not records.

The sitemaps write the archive's canonical origin, settings.SITE_URL, like every absolute
address (core.absolute_urls); django.contrib.sites is not installed, so a Site row is not a
second place to keep the domain in.
"""

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import Page, Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.safestring import mark_safe

from accessibility.models import AccessibilityStatement
from core.absolute_urls import absolute_url, site_domain, site_scheme
from core.scalars import first_values
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

    # The values of index_queries(): read in one statement when first needed, or given by
    # `sitemap_index` with every other section's.
    known = None

    def index_queries(self):
        """{key: query} (see core.scalars) of what this section's index entry needs: its
        latest change and its number of pages. Keys name what they read
        ("latest:meetings.meeting"), so sections asking the same share one subquery."""
        return {}

    def value(self, key):
        if self.known is None:
            self.known = first_values(self.index_queries())
        return self.known[key]

    def page_count(self):
        return self.paginator.num_pages

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

    def __init__(self, records, per_page, languages, key_range):
        super().__init__(records, per_page)
        self.languages = languages
        self.key_range = key_range  # the lowest and highest id of `records`

    @property
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
    def label(self):
        return self.model._meta.label_lower

    def index_queries(self):
        keys = self.items().values_list("pk", flat=True)
        return {
            f"latest:{self.label}": latest_change_query(self.items()),
            f"lowest:{self.label}": keys.order_by("pk"),
            f"highest:{self.label}": keys.order_by("-pk"),
        }

    @property
    def paginator(self):
        return KeyRangePaginator(
            self.items(),
            self.limit // len(self.languages),
            self.languages,
            key_range=(self.value(f"lowest:{self.label}"), self.value(f"highest:{self.label}")),
        )

    def lastmod(self, record):
        return record.updated_at

    def get_latest_lastmod(self):
        # Instead of Django's default of loading every item for the index.
        return self.value(f"latest:{self.label}")


def latest_change_query(records):
    """The latest `updated_at` among `records` (its first value): read backwards along the
    published rows' index of it (Publishable.Meta), where an aggregate would visit every row."""
    return records.order_by("-updated_at").values_list("updated_at", flat=True)


def latest_change_key(model):
    return f"latest:{model._meta.label_lower}"


def latest_published_change_queries(*models):
    return {
        latest_change_key(model): latest_change_query(model.objects.published()) for model in models
    }


def latest_of(sitemap, *models):
    """The latest published change of `models`, from `sitemap`'s values (asked for by its
    index_queries() with latest_published_change_queries())."""
    changes = (sitemap.value(latest_change_key(model)) for model in models)
    return max(filter(None, changes), default=None)


def latest_published_change(*models):
    changes = first_values(latest_published_change_queries(*models)).values()
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

    statement_dates = ("prepared_on", "reviewed_on", "site_updated_on")

    def index_queries(self):
        statement = AccessibilityStatement.objects.order_by("pk")
        return {
            # Pages share models (the years, the meetings): each is asked once.
            **latest_published_change_queries(*set().union(*self.shown_records.values())),
            "statement:pk": statement.values_list("pk", flat=True),
            **{
                f"statement:{name}": statement.values_list(name, flat=True)
                for name in self.statement_dates
            },
        }

    def items(self):
        pages = list(self.shown_records)
        # The statement's page answers 404 until the statement exists.
        if self.value("statement:pk") is not None:
            pages.append("accessibility:statement")
        return pages

    def location(self, page):
        return reverse(page)

    def lastmod(self, page):
        if page == "accessibility:statement":
            dates = (self.value(f"statement:{name}") for name in self.statement_dates)
            return start_of_day(max(filter(None, dates)))
        return latest_of(self, *self.shown_records[page])

    def get_latest_lastmod(self):
        return max(filter(None, map(self.lastmod, self.items())), default=None)


@x_robots_tag
def sitemap_index(request, sitemaps, sitemap_url_name):
    """Django's sitemap index (the same template, entries and Last-Modified), with what it
    needs of every section (its latest change, its number of pages: two or three queries
    each, 41 in all) read in one statement, and the sections' addresses at the site's
    canonical origin where Django writes the request's host."""
    sections = {name: section() for name, section in sitemaps.items()}
    known = first_values(
        {
            key: query
            for section in sections.values()
            for key, query in section.index_queries().items()
        }
    )
    entries, lastmods = [], []
    for name, section in sections.items():
        section.known = known
        location = absolute_url(reverse(sitemap_url_name, kwargs={"section": name}))
        lastmod = section.get_latest_lastmod()
        lastmods.append(lastmod)
        entries.append(SitemapIndexItem(location, lastmod))
        entries += [
            SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, section.page_count() + 1)
        ]
    headers = None
    if lastmods and all(lastmods):
        headers = {"Last-Modified": http_date(max(lastmods).timestamp())}
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )
