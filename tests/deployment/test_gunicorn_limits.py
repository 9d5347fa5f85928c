"""gunicorn with the shipped gunicorn.conf.py lets through every request the app refuses by
its own limits (krakow_ngo/request_limits.py), so a client gets the app's 414/431 in the
archive's shapes, never gunicorn's English HTML error pages. The app's limits answer before
any database access, so this gunicorn runs on an empty SQLite file."""

import json
import os
import socket

import pytest

from tests.deployment.gunicorn_process import serving


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": "",
    }
    with serving(env) as port:
        yield port


def raw(port, target, headers=()):
    """(status, headers, body) of a GET written byte for byte (http.client checks sizes);
    HTTP/1.0, so the body comes unchunked."""
    lines = [f"GET {target} HTTP/1.0", "Host: 127.0.0.1", "Connection: close", *headers]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), fields, body.decode()


def assert_app_problem(answer, status):
    code, headers, body = answer
    assert code == status
    assert headers["Content-Type"] == "application/json"
    assert set(json.loads(body)) == {"blad", "parametry"}
    return json.loads(body)["blad"]


def test_a_long_request_line_reaches_the_app(gunicorn):
    # Longer than gunicorn's default 4094, inside the 8190 it is set to.
    answer = raw(gunicorn, "/api/v1/postulaty/?q=" + "a" * 8000)
    assert assert_app_problem(answer, 414).startswith("Adres zapytania jest za długi")
    code, _headers, body = raw(gunicorn, "/postulaty/?q=" + "a" * 8000)
    assert code == 414
    assert "<h1>Adres jest za długi</h1>" in body


def test_many_header_fields_reach_the_app(gunicorn):
    # More than gunicorn's default 100.
    fields = [f"X-Naglowek-{number}: a" for number in range(300)]
    assert "najwyżej 100" in assert_app_problem(raw(gunicorn, "/api/v1/", fields), 431)


def test_a_long_header_field_reaches_the_app(gunicorn):
    # Longer than gunicorn's default 8190 per field.
    answer = raw(gunicorn, "/api/v1/", [f"X-Dlugi: {'a' * 20000}"])
    assert assert_app_problem(answer, 431).startswith("Nagłówek X-Dlugi jest za długi")


def test_a_request_line_past_gunicorns_largest_finite_limit_reaches_the_app(gunicorn):
    # 8190 is the most gunicorn can be told to take; 0 lets the app answer longer ones.
    answer = raw(gunicorn, "/api/v1/postulaty/?q=" + "a" * 20000)
    assert assert_app_problem(answer, 414).startswith("Adres zapytania jest za długi")


def test_a_header_field_past_32_kb_and_many_long_fields_reach_the_app(gunicorn):
    answer = raw(gunicorn, "/api/v1/", [f"X-Dlugi: {'a' * 40000}"])
    assert assert_app_problem(answer, 431).startswith("Nagłówek X-Dlugi jest za długi")
    fields = [f"X-Naglowek-{number}: {'a' * 8000}" for number in range(90)]
    answer = raw(gunicorn, "/api/v1/", fields)
    assert assert_app_problem(answer, 431).startswith("Nagłówki zapytania są razem za długie")
