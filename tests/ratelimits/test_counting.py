"""The rate limits count in one store every server process shares: the database (two
connections, as two gunicorn workers have) or Redis (two cache clients). A count kept in each
process's memory would let every worker allow the whole limit again."""

import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import connection, connections

from ratelimits.counting import CacheStore, DatabaseStore, take
from tests.conftest import require_tool

LIMIT = (3, 60)


def in_another_process(function):
    """Runs `function` on a thread of its own, hence on a database connection of its own."""

    def run():
        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as other:
        return other.submit(run).result()


@pytest.mark.django_db(transaction=True)
def test_two_database_connections_share_the_count():
    now = 1_000_020.0  # a window starts here
    first = take("api", "203.0.113.7", LIMIT, now=now)
    second = in_another_process(lambda: take("api", "203.0.113.7", LIMIT, now=now + 1))
    assert in_another_process(lambda: connection.vendor) == connection.vendor
    third = take("api", "203.0.113.7", LIMIT, now=now + 2)
    fourth = in_another_process(lambda: take("api", "203.0.113.7", LIMIT, now=now + 3))
    assert [q.taken for q in (first, second, third, fourth)] == [1, 2, 3, 4]
    assert [q.allowed for q in (first, second, third, fourth)] == [True, True, True, False]
    assert fourth.remaining == 0
    assert fourth.retry_after(now=now + 3) == 57


@pytest.mark.django_db
def test_a_new_window_starts_the_count_afresh_and_clients_are_apart():
    assert take("api", "a", LIMIT, now=59.0).taken == 1
    assert take("api", "a", LIMIT, now=59.5).taken == 2
    assert take("api", "a", LIMIT, now=60.0).taken == 1
    assert take("api", "b", LIMIT, now=60.0).taken == 1
    assert take("alerts-client", "a", LIMIT, now=60.0).taken == 1


@pytest.mark.django_db
def test_the_store_keeps_no_address():
    from ratelimits.models import RequestCount

    take("api", "203.0.113.7", LIMIT, counts=DatabaseStore())
    assert "203.0.113.7" not in RequestCount.objects.get().key


@pytest.fixture
def redis_url(tmp_path):
    require_tool("redis-server", "Redis")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            tmp_path,
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait()


def test_two_redis_clients_share_the_count(redis_url):
    # Each gunicorn worker builds its own cache client; they reach one Redis.
    workers = [CacheStore(RedisCache(redis_url, {})) for _ in range(2)]
    now = 2_000_000.0
    taken = [take("api", "203.0.113.9", LIMIT, now=now, counts=workers[i % 2]) for i in range(4)]
    assert [q.taken for q in taken] == [1, 2, 3, 4]
    assert not taken[-1].allowed


@pytest.mark.django_db
def test_the_api_counts_in_the_database_without_redis(client, settings):
    from ratelimits.models import RequestCount

    settings.API_RATE_LIMIT = (2, 60)
    assert settings.RATE_LIMIT_STORE == "database"
    answers = [client.get("/api/v1/", REMOTE_ADDR="203.0.113.7") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert RequestCount.objects.get().count == 3
    assert answers[0]["X-RateLimit-Limit"] == "2"
    assert answers[0]["X-RateLimit-Remaining"] == "1"
    assert answers[2]["X-RateLimit-Remaining"] == "0"
    assert int(answers[2]["X-RateLimit-Reset"]) > time.time()
