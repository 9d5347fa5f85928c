import pytest
from django.core.management import call_command

from alerts import worker
from alerts.models import Subscriber


@pytest.fixture
def run_worker(monkeypatch):
    """One round of `manage.py alerts_worker`: what the worker process does every half minute.

    django-tasks-db's worker closes connections it judges stale between tasks; inside a test's
    transaction that would drop the test's own connection (PostgreSQL), so, as Django's test
    client does around requests, the tests keep it."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        # A test's saves never commit, so the page cache's generation, which tells the worker
        # that something changed, stays put: each round looks (test_worker.py tests the rule).
        monkeypatch.setitem(worker._last_look, "at", None)
        call_command("alerts_worker", "--once", verbosity=0)

    return run


@pytest.fixture(autouse=True)
def fresh_limits():
    """Rate limits count in Redis when configured (the cache outlives a test); else in the
    database, which each test rolls back."""
    from django.core.cache import caches

    caches["default"].clear()


def confirm_link(message):
    return next(
        line.strip() for line in message.body.splitlines() if "/powiadomienia/potwierdz/" in line
    )


def path_of(url):
    return url.split("testserver", 1)[1]


def subscriber(email):
    return Subscriber.objects.get(email=email)
