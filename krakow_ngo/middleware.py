from django.conf import settings
from django.middleware import gzip, locale
from django.views import View

from core.http import compressible


class PermissionsPolicyMiddleware:
    """Sends Permissions-Policy (Django's SecurityMiddleware sets the other security headers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class AdminNoIndexMiddleware:
    """Tells crawlers not to index the admin. robots.txt cannot say so without publishing the
    admin's unguessable address, and a header also covers what is not HTML (CSV exports)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(f"/{settings.ADMIN_URL}"):
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response


class MethodNotAllowedMiddleware:
    """A POST (or PUT, DELETE...) to a page that only reads answers 405 with the methods the
    page takes, as its view would, not with the CSRF failure page: CsrfViewMiddleware checks a
    form's token before the view can say it takes no form at all. Views that take the method
    (forms, the admin) are left to CSRF as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        if view_class is None:
            return None
        view = view_class(**view_func.view_initkwargs)
        # The base setup only (a view's own may read the database): it gives HEAD to GET.
        View.setup(view, request, *view_args, **view_kwargs)
        method = request.method.lower()
        if method in view.http_method_names and hasattr(view, method):
            return None
        return view.http_method_not_allowed(request, *view_args, **view_kwargs)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, except for a response marked as the same in every language
    (core.http.same_in_every_language): left without Vary: Accept-Language and
    Content-Language. Pages in the reader's language keep both."""

    def process_response(self, request, response):
        if getattr(response, "same_in_every_language", False):
            return response
        return super().process_response(request, response)


class GZipMiddleware(gzip.GZipMiddleware):
    """Django's, except for a format compressed already (core.http.compressible: the ZIP
    dump, documents' PDF and DOCX files): sent as it is, with its Content-Length and byte
    ranges, which a streamed compression would drop for a gain of nothing."""

    def process_response(self, request, response):
        if not compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
