"""A download slower than gunicorn's worker timeout, under the shipped gunicorn.conf.py, arrives
whole, and the site answers meanwhile: the worker keeps its heartbeat while a thread sends the
file (gthread), where a sync worker is killed mid-file at the timeout and the client gets a
200 with its full Content-Length but a short body."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.proxy import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
# More than the sockets' buffers hold, so the server is still sending when the worker's
# timeout has passed several times.
FILE_BYTES = 16 * 1024 * 1024
TIMEOUT_SECONDS = 1


@pytest.fixture
def gunicorn(tmp_path):
    download = tmp_path / "eksport.csv"
    download.write_bytes(os.urandom(FILE_BYTES))
    port = free_port()
    env = {
        **os.environ,
        "DOWNLOAD_TEST_FILE": str(download),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_TIMEOUT": str(TIMEOUT_SECONDS),
        "GUNICORN_ACCESS_LOG": "",
    }
    env.pop("GUNICORN_WORKER_CLASS", None)
    env.pop("GUNICORN_THREADS", None)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "tests.deployment.file_download_app:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"gunicorn stopped: {process.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


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
