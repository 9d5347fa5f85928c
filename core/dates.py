"""Dates shared by the models and the search that orders by them."""

import datetime

from django.db.models import F, Value
from django.db.models.functions import Coalesce

NO_DATE = datetime.date(1, 1, 1)  # sorts undated records last, newest first


def newest_first(day):
    """The order "`day` newest first, undated last, then the newest entered": the search's
    newest-first read (search.engine.search) and the indexes that serve it, written once so
    that each index is an exact match for the query's expression (a NULLS LAST, which SQLite
    refuses in an index, is not needed)."""
    return (Coalesce(day, Value(NO_DATE)).desc(), F("id").desc())
