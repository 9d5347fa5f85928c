"""The visitor's address, for throttling logins and API requests per address.

X-Forwarded-For is read only when the request comes straight from one of TRUSTED_PROXIES:
from anyone else it is the client's own claim, and rotating it would spread password guesses
over made-up addresses. Each trusted proxy appends the address it received the request from,
so the header is read from the right, past the trusted proxies, to the first address that is
not one of them: everything further left is what the client claimed.
"""

import functools
import ipaddress

from django.conf import settings


@functools.cache
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request):
    peer = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))

    def is_proxy(address):
        return address is not None and any(address in network for network in networks)

    nearest = _address(peer)
    if not is_proxy(nearest):
        return peer
    for part in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not part.strip():
            continue
        address = _address(part)
        if address is None:
            # Not an address: nothing left of it can be vouched for, so the proxy that passed
            # it on stands for the client.
            break
        nearest = address
        if not is_proxy(address):
            break
    return str(nearest)
