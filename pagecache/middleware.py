"""Whole public pages cached server-side and revalidated by ETag.

A visitor without a session (everyone but editors) gets pages from the cache, keyed by the
content generation (pagecache/generation.py) and the page's absolute URL. A conditional
request whose ETag matches the generation is answered 304 without rendering anything and
without reading the cache entry. Editors (who carry a session cookie) always get fresh pages:
previews of drafts and the admin are never cached.

What a visitor can add to a URL is bounded, so made-up query strings cannot fill the cache: a
page requested with a parameter no page reads (PAGE_CACHE_QUERY_PARAMETERS) is rendered and
never stored (its ETag still saves a CDN the download), and pages with a query string share a
fixed number of places per generation.
"""

import functools
import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.module_loading import import_string

from pagecache import generation as generations

logger = logging.getLogger(__name__)

# Pages above this size (the full export, big CSV files) are served but not kept in memory.
MAX_CACHED_BYTES = 2 * 1024 * 1024
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "Content-Encoding",
    "Vary",
    "Link",
    "X-Robots-Tag",
)
REFUSED_CACHE_CONTROL = ("no-store", "private", "no-cache")
# Pages with a query string (filters, search, page numbers) stored per generation, over all
# paths and both encodings: real filter combinations stay cached, while ?page=1, 2, 3... or
# invented searches cannot take more than this. Past it such pages are rendered, not stored.
MAX_QUERY_VARIANTS = 1000


@functools.cache
def _known_parameters(dotted_path):
    return frozenset(import_string(dotted_path))


def reads_only_known_parameters(request):
    known = _known_parameters(settings.PAGE_CACHE_QUERY_PARAMETERS)
    return all(name in known for name in request.GET)


def url_digest(url):
    return hashlib.sha256(url.encode()).hexdigest()


def page_key(token, digest, gzip):
    # Pages are kept as sent: compressed for clients that accept it, plain for the others.
    encoding = "gzip" if gzip else "identity"
    return f"pagecache:page:{token}:{encoding}:{digest}"


def vary_key(token, digest):
    # The Vary of the page at a URL: the same for both encodings the page is kept in.
    return f"pagecache:vary:{token}:{digest}"


def names_tag(header, etag):
    """Whether an If-None-Match header lists `etag`, compared weakly (W/"x" and "x" are the
    same tag), as RFC 9110 (13.1.2) asks for If-None-Match."""
    return opaque(etag) in {opaque(tag) for tag in parse_etags(header)}


def names_any(header):
    """If-None-Match: * holds for any current page: a page that exists answers 304, one that
    does not (a 404) answers as usual."""
    return parse_etags(header) == ["*"]


def opaque(tag):
    return tag.removeprefix("W/")


def page_etag(token, digest):
    # Weak: the page is equivalent within a generation, not promised byte for byte.
    return f'W/"{token}-{digest[:16]}"'


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies_to(request):
            response = self.get_response(request)
            if self.is_staff_write(request, response):
                # Editors' saves are also caught by model signals; this also catches writes
                # that bypass them (queryset.update() in an admin action).
                generations.invalidate_on_commit()
            return response

        digest = url_digest(request.build_absolute_uri())
        try:
            generation = generations.current_generation()
        except DatabaseError:
            # The database is down: serve what this process still has, or let the view fail
            # into the 503 page (krakow_ngo/errors.py).
            generation = generations.last_seen_generation()
            if generation is None:
                return self.get_response(request)

        etag = page_etag(generation.token, digest)
        if_none_match = request.headers.get("If-None-Match", "")
        cache = caches["default"]
        # A parameter no page reads (?utm_source=) is never stored, so it is not looked up.
        storable = reads_only_known_parameters(request)
        if names_tag(if_none_match, etag):
            # A 304 carries the Vary of the page it stands for (RFC 9110, 15.4.5), remembered
            # from the page; if it is not (another process rendered it), the page is rendered
            # once more for its headers, below.
            vary = cache.get(vary_key(generation.token, digest)) if storable else None
            if vary is not None:
                return self.not_modified(etag, vary)

        accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        key = page_key(generation.token, digest, accepts_gzip)
        stored = cache.get(key) if storable else None
        if stored is not None:
            response = self.rebuild(stored)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not self.may_cache(response):
                return response
            if storable and self.within_budget(request, cache, generation.token):
                cache.set(key, self.freeze(response), timeout=settings.PAGE_CACHE_SECONDS)
                cache.set(
                    vary_key(generation.token, digest),
                    response.get("Vary", ""),
                    timeout=settings.PAGE_CACHE_SECONDS,
                )
            response["X-Page-Cache"] = "miss"
        if names_any(if_none_match) or names_tag(if_none_match, etag):
            return self.not_modified(etag, response.get("Vary", ""))
        response["ETag"] = etag
        self.set_cache_control(response)
        return response

    @staticmethod
    def applies_to(request):
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(f"/{settings.ADMIN_URL}")
        )

    @staticmethod
    def within_budget(request, cache, token):
        """Whether one more page with a query string may be stored in this generation."""
        if not request.META.get("QUERY_STRING"):
            return True  # as many as the archive has pages
        counter = f"pagecache:query-variants:{token}"
        cache.add(counter, 0, timeout=settings.PAGE_CACHE_SECONDS)
        try:
            return cache.incr(counter) <= MAX_QUERY_VARIANTS
        except ValueError:  # the counter expired in between
            return False

    @staticmethod
    def is_staff_write(request, response):
        # Only staff change content: an anonymous POST (a bot at the login form) must never
        # empty the cache.
        user = getattr(request, "user", None)
        return (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and response.status_code < 400
            and user is not None
            and user.is_staff
        )

    @staticmethod
    def may_cache(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Cookie" not in response.get("Vary", "")
            and not any(word in cache_control for word in REFUSED_CACHE_CONTROL)
            and len(response.content) <= MAX_CACHED_BYTES
        )

    @staticmethod
    def freeze(response):
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        return {"content": response.content, "headers": headers}

    @staticmethod
    def rebuild(stored):
        response = HttpResponse(stored["content"])
        response["Content-Length"] = len(stored["content"])
        for name, value in stored["headers"].items():
            response[name] = value
        return response

    def not_modified(self, etag, vary):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        if vary:
            response["Vary"] = vary
        self.set_cache_control(response)
        return response

    @staticmethod
    def set_cache_control(response):
        """Shared caches (a CDN) may store public pages; they must revalidate by ETag unless
        PAGE_CACHE_MAX_AGE allows them to reuse a page for a while unasked."""
        if settings.PAGE_CACHE_MAX_AGE:
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_MAX_AGE
            )
        else:
            patch_cache_control(response, public=True, no_cache=True)
