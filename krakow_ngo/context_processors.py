from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, override

from core.absolute_urls import absolute_url
from core.views import PAGE_PARAMETER

# Open Graph wants a territory; the archive is Kraków's, its English is British.
OG_LOCALES = {"pl": "pl_PL", "en": "en_GB"}


def strip_language_prefix(path):
    """The path without a leading /<language>/ of a non-default language."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def language_path(full_path, language):
    """The same page (with its query string) in `language`. A page that resolves is translated
    by Django; one that does not (a 404) keeps its path behind the other language's prefix.
    Only ever a path on this site: where the request's own path would make it an off-site link
    (`/en//evil.example` becomes `//evil.example`), the language's home page instead."""
    translated = translate_url(full_path, language)
    if translated != full_path or language == get_language():
        path = translated
    else:
        neutral = strip_language_prefix(full_path)
        path = neutral if language == settings.LANGUAGE_CODE else f"/{language}{neutral}"
    if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    with override(language):
        return reverse("meetings:home")


def site(request):
    """Addresses every page's <head> needs: its canonical URL, the site's root, the same page
    in every language (hreflang alternates and the language switch) and the Open Graph locale."""
    current = get_language()
    full_path = request.get_full_path()
    languages = []
    for code, name in settings.LANGUAGES:  # each language named in itself
        path = language_path(full_path, code)
        # The switch keeps the query string (the same filters, the same search); the hreflang
        # alternates point, like the canonical link, at the page itself (each translation
        # resolves the URL again, so a path without a query string is translated once).
        own = own_address(request)
        page_path = path if full_path == own else language_path(own, code)
        languages.append(
            {
                "code": code,
                "name": name,
                "path": path,
                "url": absolute_url(page_path),
                "is_current": code == current,
            }
        )
    default = next(item for item in languages if item["code"] == settings.LANGUAGE_CODE)
    return {
        "canonical_url": absolute_url(own_address(request)),
        "site_root": absolute_url("/"),
        "language_versions": languages,
        "other_languages": [item for item in languages if not item["is_current"]],
        "x_default_url": default["url"],
        "og_locale": OG_LOCALES.get(current, "pl_PL"),
        "og_locale_alternates": [
            OG_LOCALES[item["code"]] for item in languages if not item["is_current"]
        ],
    }


def own_address(request):
    """The page's address as search engines should keep it: its path, with the page number of
    a list's page past the first (each page of a list holds other records, so each is a page
    of its own, which points at page 1 would hide from the index); filters, sorting and
    searches are views of a list, not pages of their own."""
    try:
        number = int(request.GET.get(PAGE_PARAMETER, ""))
    except ValueError:
        number = 1
    return f"{request.path}?{PAGE_PARAMETER}={number}" if number > 1 else request.path
