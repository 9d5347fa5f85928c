"""Feeds and calendars benchmark: the size and time of every URL under /kanaly/.

    .venv/bin/python bench/feeds_bench.py [--reload]
    .venv/bin/python bench/feeds_bench.py --database-url postgres://postgres@127.0.0.1:5432/db

Without --database-url it fills (or reuses) the database `krakow_ngo_bench` through
bench/server.py, as `make bench` does (they share it); with it, it measures that database as it
is, loading nothing.

Every pattern of krakow_ngo/feed_urls.py is requested, in this process with the page cache off,
with arguments picked from the database at the heavy end: the year, department and organisation
with the most published meetings. Prints each URL's status, size in bytes, entries (Atom
<entry>, iCalendar VEVENT) and median time of --repeat requests after one warm-up; `measure()`
returns the same rows for a caller such as bench/http_bench.py. A benchmark, not a test: it
asserts nothing, except that it knows how to fill every feed URL's arguments.
"""

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server

DATABASE = "krakow_ngo_bench"
REPEAT = 5

# Each feed's own work, not a page cache hit (the warm-up request would store it).
os.environ["DJANGO_PAGE_CACHE"] = "off"


@dataclass
class FeedMeasurement:
    name: str
    path: str
    status: int
    size: int  # bytes of the body
    entries: int
    median_ms: float


def heaviest_arguments():
    """URL arguments per feed URL name, at the heavy end of the database."""
    from django.db.models import Count

    from core.publishing import published_condition
    from departments.models import Department
    from meetings.models import Meeting
    from organisations.models import Organisation

    published_meetings = published_condition(Meeting, "meetings__")
    year = (
        Meeting.objects.published()
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .first()
    )
    department = (
        Department.objects.published()
        .annotate(n=Count("meetings", filter=published_meetings))
        .order_by("-n", "pk")
        .first()
    )
    organisation = (
        Organisation.objects.published()
        .annotate(n=Count("meetings", filter=published_meetings))
        .order_by("-n", "pk")
        .first()
    )
    print(
        f"arguments: year {year['year']} ({year['n']:,} meetings), "
        f"department {department.slug} ({department.n:,}), "
        f"organisation {organisation.slug} ({organisation.n:,})"
    )
    return {
        "year": {"year": year["year"]},
        "department": {"slug": department.slug},
        "department_calendar": {"slug": department.slug},
        "organisation": {"slug": organisation.slug},
        "organisation_calendar": {"slug": organisation.slug},
    }


def feed_paths():
    """(URL name, path) of every feed and calendar URL the site serves."""
    from django.urls import reverse

    from krakow_ngo import feed_urls

    arguments = heaviest_arguments()
    paths = []
    for pattern in feed_urls.urlpatterns:
        wanted = set(pattern.pattern.converters)
        kwargs = arguments.get(pattern.name, {})
        if set(kwargs) != wanted:
            raise SystemExit(
                f"bench/feeds_bench.py: no arguments for feeds:{pattern.name} "
                f"({', '.join(sorted(wanted))}); add them to heaviest_arguments()"
            )
        paths.append((pattern.name, reverse(f"feeds:{pattern.name}", kwargs=kwargs)))
    return paths


def count_entries(response):
    body = response.content
    if response["Content-Type"].startswith("text/calendar"):
        return body.count(b"BEGIN:VEVENT")
    return body.count(b"<entry>") + body.count(b"<entry ")


def measure(client, repeat=REPEAT):
    rows = []
    for name, path in feed_paths():
        response = client.get(path)  # warm-up: connection, caches, plans
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        rows.append(
            FeedMeasurement(
                name=name,
                path=path,
                status=response.status_code,
                size=len(response.content),
                entries=count_entries(response),
                median_ms=statistics.median(timings),
            )
        )
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    server.add_database_arguments(parser)
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed requests per URL")
    parser.add_argument("--json", help="also write the rows to this file (for make bench)")
    args = parser.parse_args()
    server.open_database(args, DATABASE)

    from django.db import connection
    from django.test import Client

    from meetings.models import Meeting, MeetingDate
    from postulates.models import Postulate

    print(
        f"data: {Meeting.objects.count():,} meetings on {MeetingDate.objects.count():,} days, "
        f"{Postulate.objects.count():,} postulates"
    )
    rows = measure(Client(), args.repeat)
    width = max(len(row.path) for row in rows)
    print(f"{'URL':{width}}  status       bytes  entries  median ms")
    for row in rows:
        print(
            f"{row.path:{width}}  {row.status:6}  {row.size:10,}  {row.entries:7,}  "
            f"{row.median_ms:9.1f}"
        )
    largest = max(rows, key=lambda row: row.size)
    print(f"largest: {largest.path}, {largest.size:,} bytes")
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(row) for row in rows], indent=1) + "\n")
    connection.close()


if __name__ == "__main__":
    main()
