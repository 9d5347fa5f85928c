"""What ends a generation: any change to the archive's own records, however it is made."""

import functools
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from pagecache.generation import invalidate_on_commit

# Apps whose records never appear on public pages: saving them must not empty the cache
# (a login saves a session; a failed login writes an axes record; a download built ahead
# of requests records itself; anyone may ask for email alerts, and the worker records what
# it sends; the statistics keep facts derived from the archive for the current generation).
IGNORED_APPS = {"pagecache", "editors", "opendata", "alerts", "stats"}


@functools.cache
def is_archive_model(model):
    """A model of one of the project's own apps (a folder at the top of the repository)."""
    if model.__module__ == "__fake__":
        return False  # a historical model in a data migration: the cache table may not exist
    config = apps.app_configs.get(model._meta.app_label)  # None: Django's migration recorder
    return (
        config is not None
        and config.label not in IGNORED_APPS
        and Path(config.path).parent == settings.BASE_DIR
    )


def record_changed(sender, **kwargs):
    if is_archive_model(sender):
        invalidate_on_commit()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(record_changed, dispatch_uid=f"pagecache-{id(signal)}")
