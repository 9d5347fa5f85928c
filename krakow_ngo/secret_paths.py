"""Addresses that carry a secret: an alert subscriber's token is the only key to their
subscription (confirm, manage, unsubscribe), so it must never be written to a log, where
anyone who reads logs could act as the subscriber. Every log the archive writes passes its
lines through `redact`: Django's (krakow_ngo.log_format), gunicorn's access log
(`RedactingGunicornLogger`) and nginx's (the same pattern in deploy/nginx/archiwum-ngo.conf).

No Django import: gunicorn's master process loads this before the app.
"""

import re

HIDDEN = "[ukryty]"

# The segment after these prefixes is a token (tests/alerts/test_log_redaction.py checks that
# every URL with a `token` parameter is covered); a language prefix such as /en/ may precede.
SECRET_PATH = re.compile(r"(/powiadomienia/(?:potwierdz|zarzadzaj|wypisz)/)[^/?#\s\"'<>]+")


def redact(text):
    """`text` with the token of every secret address in it replaced by HIDDEN."""
    if "/powiadomienia/" not in text:  # the common case costs one substring search
        return text
    return SECRET_PATH.sub(rf"\g<1>{HIDDEN}", text)


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is a server dependency; the app runs without it (runserver)
    _GunicornLogger = object


class RedactingGunicornLogger(_GunicornLogger):
    """gunicorn's logger whose access-log line never holds a token, whatever its format
    names: the request line, the path, the referrer, a redirect's Location, any header."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
