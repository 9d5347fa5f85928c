from django.conf import settings


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
