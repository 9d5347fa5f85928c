"""Absolute addresses for what leaves the site: API answers and its OpenAPI `servers`,
sitemaps, robots.txt, feeds, calendars, canonical links, the exports and the harvest files.

One rule for all of them: settings.SITE_URL (DJANGO_SITE_URL) is the archive's canonical
origin. The files built ahead of requests (opendata/builds.py) have no request to take a host
from, so an address built from the request would differ from theirs whenever the site is
reached by another name or scheme (a proxy's internal address, a plain-http health check, a
missing X-Forwarded-Proto); an address that a search engine, a feed reader or a reuser of the
API stores must not depend on how one request arrived. django.contrib.sites is not installed:
SITE_URL is the only place the domain is kept.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


def host_name():
    """The site's host without its port: the authority of feed entry ids and calendar UIDs."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def site_domain():
    """The site's host with its port, if any (what a sitemap writes after the scheme)."""
    return urlsplit(settings.SITE_URL).netloc


def site_scheme():
    return urlsplit(settings.SITE_URL).scheme or "https"


def webcal_url(path):
    """The calendar at `path` as a subscription: calendar apps open webcal: addresses and
    subscribe (and keep refreshing), where an https: link only downloads the file once."""
    return f"webcal://{site_domain()}{path}"
