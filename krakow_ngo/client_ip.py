"""The visitor's address, as the trusted proxies in front of the archive saw it.

Behind N proxies that each append to X-Forwarded-For, the Nth address from the right is the
one the outermost trusted proxy received the request from. Addresses further left are what
the client claimed and can be forged, so they are never used: a forged header must not let an
attacker spread password guesses over made-up addresses (django-axes locks per address).
"""

from django.conf import settings


def client_ip(request):
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
