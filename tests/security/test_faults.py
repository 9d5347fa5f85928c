"""The archive under faults: the database gone and back, the health check, traceable logs."""

import contextlib
import json
import logging
import socket
import threading

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection

from krakow_ngo.log_format import JsonFormatter
from krakow_ngo.request_id import RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch, settings):
    """Every query fails as it does when the server is gone."""
    settings.DEBUG = False

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    monkeypatch.setattr(connection, "cursor", refuse)


def test_with_the_database_down_pages_answer_a_polish_503(client, database_down):
    client.raise_request_exception = False
    for url in ("/", "/2025/", "/postulaty/", "/szukaj/?q=kultura", "/kanaly/nowe.atom"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "60"
        assert response["Cache-Control"] == "no-store"
        page = response.content.decode()
        assert "Archiwum jest chwilowo niedostępne" in page
        assert "Traceback" not in page and "OperationalError" not in page


def test_other_server_errors_stay_a_500(client, settings, monkeypatch):
    settings.DEBUG = False
    client.raise_request_exception = False
    from meetings import views

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(views.HomeView, "get", broken)
    response = client.get("/")
    assert response.status_code == 500
    assert "wystąpił błąd serwera" in response.content.decode()


def test_the_health_check_reports_database_and_cache(client):
    response = client.get("/zdrowie/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_names_the_failing_database(client, database_down):
    response = client.get("/zdrowie/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "cache": "ok"}


def test_the_health_check_names_the_failing_cache(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("redis is gone")

    monkeypatch.setattr(caches["default"], "set", refuse)
    response = client.get("/zdrowie/")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


def test_every_response_carries_a_request_id_and_keeps_a_proxys(client):
    generated = client.get("/")["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/")["X-Request-ID"] != generated
    kept = client.get("/", headers={"x-request-id": "lb-1234abcd"})
    assert kept["X-Request-ID"] == "lb-1234abcd"
    # Anything that could forge log lines is replaced.
    forged = client.get("/", headers={"x-request-id": "x\nFAKE LOG LINE"})
    assert forged["X-Request-ID"] != "x\nFAKE LOG LINE"


def test_log_lines_are_json_with_the_request_id(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/nie-ma-takiej-strony/")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["level"] == "WARNING"
    assert line["logger"] == "django.request"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["message"] == "Not Found: /nie-ma-takiej-strony/"
    assert line["status_code"] == 404


class Outage:
    """A TCP relay to PostgreSQL that can be cut and restored, as a network outage would."""

    def __init__(self, port):
        self.target = ("127.0.0.1", port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.connections = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.connections += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()

    def cut(self):
        self.up = False
        for end in self.connections:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
        self.connections = []

    def restore(self):
        self.up = True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real outage needs a server")
# No serialized_rollback here: on PostgreSQL it reloads content types that exist already.
# Tests that need rows migrations seed recreate them (see public_pages in tests/conftest.py).
@pytest.mark.django_db(transaction=True)
def test_after_a_real_outage_the_site_recovers_by_itself(client, settings):
    """Requests go through a relay that is cut and restored; no restart in between."""
    from django.db import close_old_connections, connections

    settings.DEBUG = False
    client.raise_request_exception = False
    outage = Outage(int(connection.settings_dict.get("PORT") or 5432))
    original = dict(connection.settings_dict)
    connections["default"].close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(outage.port), CONN_MAX_AGE=60)

    def get(url):
        # The WSGI handler runs close_old_connections() around every request (it drops a
        # broken connection); Django's test client disconnects it, so it is called here.
        close_old_connections()
        response = client.get(url)
        close_old_connections()
        return response

    try:
        assert get("/").status_code == 200
        outage.cut()
        assert get("/").status_code == 503
        assert get("/zdrowie/").status_code == 503
        outage.restore()
        assert get("/").status_code == 200
        assert get("/zdrowie/").json()["database"] == "ok"
    finally:
        connections["default"].close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
        outage.listener.close()
