"""The worker reads the whole archive for published changes only when public content may have
changed (the page cache's generation: every save, scheduled publication and midnight), or every
ten minutes whatever happened."""

import datetime

import pytest
from django.utils import timezone

from alerts import worker
from core.publishing import Status
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


def test_the_archive_is_read_again_after_a_save_or_ten_minutes(
    monkeypatch, django_capture_on_commit_callbacks
):
    looks = []
    monkeypatch.setattr(worker.capture, "capture", looks.append)
    monkeypatch.setattr(worker, "_last_look", {"generation": None, "at": None})
    now = timezone.now()
    worker.look_for_changes(now)
    worker.look_for_changes(now + datetime.timedelta(seconds=30))
    assert len(looks) == 1  # nothing changed

    with django_capture_on_commit_callbacks(execute=True):
        PositionFactory(status=Status.PUBLISHED)
    worker.look_for_changes(now + datetime.timedelta(seconds=60))
    assert len(looks) == 2  # a save

    worker.look_for_changes(now + datetime.timedelta(minutes=11))
    assert len(looks) == 3  # ten minutes
