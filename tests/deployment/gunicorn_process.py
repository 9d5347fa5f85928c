"""gunicorn started with the shipped gunicorn.conf.py, as production starts it, for the tests
of what a client sees through it."""

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.proxy import free_port

ROOT = Path(__file__).resolve().parent.parent.parent


@contextlib.contextmanager
def serving(env, *app):
    """Yields the port of a gunicorn serving `app` (the config's own when not given) with the
    environment `env`, once it accepts connections; stops it after."""
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", *app],
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
