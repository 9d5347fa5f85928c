"""A download slower than gunicorn's worker timeout, under the shipped gunicorn.conf.py, arrives
whole, and the site answers meanwhile: the worker keeps its heartbeat while a thread sends the
file (gthread), where a sync worker is killed mid-file at the timeout and the client gets a
200 with its full Content-Length but a short body."""

import os
import socket
import time

import pytest

from tests.deployment.gunicorn_process import serving

# More than the sockets' buffers hold, so the server is still sending when the worker's
# timeout has passed several times.
FILE_BYTES = 16 * 1024 * 1024
TIMEOUT_SECONDS = 1


@pytest.fixture
def gunicorn(tmp_path):
    download = tmp_path / "eksport.csv"
    download.write_bytes(os.urandom(FILE_BYTES))
    env = {
        **os.environ,
        "DOWNLOAD_TEST_FILE": str(download),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_TIMEOUT": str(TIMEOUT_SECONDS),
        "GUNICORN_ACCESS_LOG": "",
    }
    env.pop("GUNICORN_WORKER_CLASS", None)
    env.pop("GUNICORN_THREADS", None)
    with serving(env, "tests.deployment.file_download_app:application") as port:
        yield port


def request(port, path, *, receive_buffer=None):
    connection = socket.socket()
    if receive_buffer:
        # Set before connecting: it bounds the window the client offers.
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    connection.settimeout(30)
    connection.connect(("127.0.0.1", port))
    connection.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return connection


def test_a_download_slower_than_the_worker_timeout_arrives_whole(gunicorn):
    slow = request(gunicorn, "/plik", receive_buffer=64 * 1024)
    started = time.monotonic()
    received, page_seconds = b"", None
    while chunk := slow.recv(64 * 1024):
        received += chunk
        # A slow client for three timeouts (the server still has most of the file to send),
        # then one reading as fast as it can.
        if time.monotonic() - started < 3 * TIMEOUT_SECONDS:
            time.sleep(0.05)
        if page_seconds is None and time.monotonic() - started > TIMEOUT_SECONDS:
            page_started = time.monotonic()
            with request(gunicorn, "/") as page:
                assert page.recv(4096).split(b"\r\n")[0].endswith(b" 200 OK")
            page_seconds = time.monotonic() - page_started
    slow.close()
    seconds = time.monotonic() - started
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0].endswith(b" 200 OK")
    assert f"Content-Length: {FILE_BYTES}".encode() in head
    assert seconds > 3 * TIMEOUT_SECONDS
    assert len(body) == FILE_BYTES
    # The site answered while the file was still being sent, without waiting for it.
    assert page_seconds is not None and page_seconds < TIMEOUT_SECONDS
