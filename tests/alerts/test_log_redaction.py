"""A subscriber's token is the key to their alerts: no log the archive writes holds one (the
app's, in text and JSON, gunicorn's access log; nginx's is tested with the proxy), and the
private pages send no Referer that would carry it to another site."""

import io
import logging
import runpy
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from alerts.models import Subscriber
from krakow_ngo.log_format import JsonFormatter, TextFormatter
from krakow_ngo.secret_paths import HIDDEN, SECRET_PATH, RedactingGunicornLogger, redact

TOKEN = "Zq3xK9-secretTOKENvalue_0123456789abcdef"


def token_routes(resolver=None, namespace=""):
    """(name, pattern) of every URL in the project that takes a `token`."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from token_routes(entry, inner)
        elif isinstance(entry, URLPattern) and "token" in entry.pattern.converters:
            yield f"{namespace}{entry.name}"


def test_every_address_with_a_token_is_one_the_logs_redact():
    names = sorted(set(token_routes()))
    assert names == ["alerts:confirm", "alerts:manage", "alerts:unsubscribe"]
    for name in names:
        for language in ("pl", "en"):
            with translation.override(language):
                path = reverse(name, kwargs={"token": TOKEN})
            assert SECRET_PATH.search(path), path
            assert redact(f'"GET {path}?a=1 HTTP/1.1" 404') == (
                f'"GET {path.replace(TOKEN, HIDDEN)}?a=1 HTTP/1.1" 404'
            )


def test_text_without_a_secret_address_is_left_alone():
    line = "GET /powiadomienia/wydzial/wydzial-kultury/ 200 /spotkania/2025/"
    assert redact(line) == line


@pytest.mark.parametrize("formatter", [TextFormatter("%(name)s: %(message)s"), JsonFormatter()])
@pytest.mark.django_db
def test_a_404_of_a_token_link_is_logged_without_the_token(client, formatter):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(lambda record: setattr(record, "request_id", "-") or True)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get(f"/powiadomienia/zarzadzaj/{TOKEN}/")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    written = stream.getvalue()
    assert f"/powiadomienia/zarzadzaj/{HIDDEN}/" in written
    assert TOKEN not in written


def test_the_projects_console_log_uses_the_redacting_formatter():
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    record = logging.makeLogRecord(
        {"msg": "Not Found: %s", "args": (f"/en/powiadomienia/wypisz/{TOKEN}/",), "request_id": "-"}
    )
    assert TOKEN not in console.format(record)


def test_gunicorns_access_log_line_holds_no_token():
    path = f"/powiadomienia/potwierdz/{TOKEN}/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://archiwum-ngo.krakow.pl/powiadomienia/zarzadzaj/{TOKEN}/",
        "REMOTE_ADDR": "192.0.2.1",
    }
    response = SimpleNamespace(
        status="302 Found", sent=0, headers=[("Location", f"/powiadomienia/zarzadzaj/{TOKEN}/")]
    )
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger = RedactingGunicornLogger.__new__(RedactingGunicornLogger)
    logger.cfg = SimpleNamespace(env={})
    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=5))
    assert atoms["r"] == f"GET /powiadomienia/potwierdz/{HIDDEN}/ HTTP/1.1"
    assert TOKEN not in repr(atoms)
    assert atoms["s"] == "302"


def test_gunicorn_is_configured_with_the_redacting_logger():
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    assert config["logger_class"] == "krakow_ngo.secret_paths.RedactingGunicornLogger"


@pytest.mark.django_db
def test_a_private_page_sends_its_address_to_no_other_site(client):
    subscriber = Subscriber.objects.create(
        email="anna.nowak@example.org", confirmed_at=timezone.now()
    )
    response = client.get(subscriber.get_absolute_url())
    assert response.status_code == 200
    # Not "no-referrer": browsers would then send `Origin: null` and the forms' CSRF check
    # would refuse every POST (tests/browser/test_alerts_in_browser.py submits them).
    assert response["Referrer-Policy"] == "same-origin"
