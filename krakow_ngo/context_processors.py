from krakow_ngo.absolute_urls import absolute_url


def site(request):
    """Addresses every page's <head> needs: its canonical URL and the site's root."""
    return {
        "canonical_url": absolute_url(request, request.path),
        "site_root": absolute_url(request, "/"),
    }
