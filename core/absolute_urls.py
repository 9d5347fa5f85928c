"""Absolute addresses for what leaves the site: sitemaps, robots.txt, feeds and calendars.

The host is the one the request came to (django.contrib.sites is not installed, so there is
no second place to keep the domain in). The scheme is https whenever debug is off: the
production site is only served over TLS behind a proxy, and an address that a search engine
or a feed reader stores must not depend on whether that proxy set X-Forwarded-Proto on one
particular request. On a developer's machine (debug on) the request's own scheme is kept, so
the links work on plain-http runserver.
"""

from django.conf import settings
from django.http.request import split_domain_port


def public_scheme(request):
    return request.scheme if settings.DEBUG else "https"


def absolute_url(request, path):
    return f"{public_scheme(request)}://{request.get_host()}{path}"


def host_name(request):
    """The request's host without its port: the authority of feed entry ids and calendar UIDs."""
    domain, _port = split_domain_port(request.get_host())
    return domain or request.get_host()


def webcal_url(request, path):
    """The calendar at `path` as a subscription: calendar apps open webcal: addresses and
    subscribe (and keep refreshing), where an https: link only downloads the file once."""
    return f"webcal://{request.get_host()}{path}"
